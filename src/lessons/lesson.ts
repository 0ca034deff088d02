/**
 * Lesson files (lessons/README.md): YAML front matter, an introduction, `## Step: …`
 * sections with ```hint, ```check, ```solution and ```explain blocks, a `## Recap` and a
 * `## Quiz` of ```quiz blocks. The parser is pure: the CLI reads files with Node's fs, the
 * browser through Vite's import.meta.glob, and both hand it (fileName, text).
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { builtInScenario, scenarioNames } from '../engine/scenario';
import { parseScript, ScriptError } from '../shell/script';
import { parseCheck, type Check } from './check';
import { formatIssue, validate, type Issue } from './issues';
import { splitLesson, type Block } from './markdown';

export interface Step {
  title: string;
  /** 1-based line of the step's heading in the file. */
  line: number;
  /** Markdown: what the learner is asked to do. */
  instructions: string;
  /** Markdown, revealed one at a time, gentlest first. */
  hints: string[];
  check: Check;
  /** The reference solution in the `lab run` script form. */
  solution: string;
  /** Markdown shown when the check holds. */
  explain: string;
}

export interface QuizQuestion {
  question: string;
  choices: string[];
  /** Index of the right choice, from 0 (the file counts from 1). */
  answer: number;
  /** Markdown shown after the learner answers. */
  explanation: string;
}

export interface Lesson {
  /** The file name as given to the parser, e.g. `lessons/01-hello-smtp.md`. */
  file: string;
  id: string;
  title: string;
  order: number;
  scenario: string;
  minutes: number;
  objectives: string[];
  prerequisites: string[];
  /** Markdown before the first step. */
  intro: string;
  steps: Step[];
  recap: string;
  /** Markdown around the quiz blocks, if any. */
  quizIntro: string;
  quiz: QuizQuestion[];
}

export type ParseResult =
  | { ok: true; lesson: Lesson }
  /** `front` is there when the front matter itself was valid, for checks across lessons. */
  | { ok: false; errors: string[]; front?: { id: string; order: number } };

/** Which Markdown files in lessons/ are lessons: all but the guide. */
export function isLessonFile(fileName: string): boolean {
  const base = fileName.split('/').pop()!;
  return base.endsWith('.md') && base.toLowerCase() !== 'readme.md';
}

const STEP_BLOCKS = ['hint', 'check', 'solution', 'explain'] as const;
const BLOCKS = [...STEP_BLOCKS, 'quiz'] as const;

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const frontMatterSchema = z.strictObject({
  id: z.string().regex(ID, { error: 'use lower-case letters, digits and hyphens' }),
  title: z.string().trim().min(1),
  order: z.int().min(1),
  scenario: z.string().min(1),
  minutes: z.int().min(5).max(20),
  objectives: z.array(z.string().trim().min(1)).min(1),
  prerequisites: z.array(z.string().regex(ID, { error: 'not a lesson id' })).default([]),
});

/** YAML may read a choice such as `250` as a number; a choice is text either way. */
const text = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string().trim().min(1),
);

const quizSchema = z.strictObject({
  question: text,
  choices: z.array(text).min(2),
  answer: z.int().min(1),
  explanation: text,
});

export function parseLesson(fileName: string, source: string): ParseResult {
  const errors: string[] = [];
  const report = (where: string, issues: Issue[]) => {
    for (const issue of issues) {
      errors.push(
        issue.path.length > 0
          ? `${fileName}: ${where} ${formatIssue(issue)}`
          : `${fileName}: ${where}: ${issue.message}`,
      );
    }
  };
  const at = (line: number, message: string) => errors.push(`${fileName}:${line}: ${message}`);

  const split = splitLesson(source, BLOCKS);
  for (const p of split.problems) at(p.line, p.message);
  if (split.problems.length > 0) return { ok: false, errors };

  // Front matter
  let meta: z.infer<typeof frontMatterSchema> | undefined;
  if (!split.frontMatter) {
    at(1, 'no front matter: start the file with a line "---", the fields, and another "---"');
  } else {
    const yaml = parseYaml(split.frontMatter.yaml, split.frontMatter.line - 1);
    if (!yaml.ok) report('front matter', [{ path: [], message: yaml.message }]);
    else {
      const issues: Issue[] = [];
      meta = validate(frontMatterSchema, yaml.value ?? {}, [], issues);
      if (meta && !scenarioNames().includes(meta.scenario)) {
        issues.push({
          path: ['scenario'],
          message: `unknown scenario "${meta.scenario}" (built in: ${scenarioNames().join(', ')})`,
        });
      }
      report('front matter', issues);
    }
  }
  // The hosts `#! host` may name in solutions, when the scenario is known.
  const hosts =
    meta && scenarioNames().includes(meta.scenario)
      ? builtInScenario(meta.scenario).hosts.map((h) => h.name)
      : undefined;

  // Sections: introduction, steps, recap, quiz — in that order.
  let intro = '';
  let recap: string | undefined;
  let quizIntro = '';
  const quizBlocks: Block[] = [];
  let sawQuiz = false;
  const steps: Step[] = [];
  let stepCount = 0;
  for (const section of split.sections) {
    const stepTitle = /^step\s*:\s*(.*)$/i.exec(section.heading);
    const misplaced = (allowed: readonly string[]) => {
      for (const b of section.blocks) {
        if (!allowed.includes(b.info)) {
          at(
            b.line,
            `a \`\`\`${b.info} block belongs ${b.info === 'quiz' ? 'in "## Quiz"' : 'in a step'}`,
          );
        }
      }
    };
    if (section.heading === '') {
      intro = section.text;
      misplaced([]);
    } else if (stepTitle) {
      if (recap !== undefined || sawQuiz)
        at(section.line, 'steps come before "## Recap" and "## Quiz"');
      misplaced(STEP_BLOCKS);
      stepCount++;
      const step = parseStep(
        stepTitle[1]!.trim(),
        section.line,
        section.text,
        section.blocks,
        stepCount,
      );
      if (step) steps.push(step);
    } else if (/^recap$/i.test(section.heading)) {
      if (recap !== undefined) at(section.line, 'a second "## Recap"');
      if (sawQuiz) at(section.line, '"## Recap" comes before "## Quiz"');
      misplaced([]);
      recap = section.text;
      if (recap === '') at(section.line, '"## Recap" is empty');
    } else if (/^quiz$/i.test(section.heading)) {
      if (sawQuiz) at(section.line, 'a second "## Quiz"');
      sawQuiz = true;
      misplaced(['quiz']);
      quizIntro = section.text;
      quizBlocks.push(...section.blocks.filter((b) => b.info === 'quiz'));
    } else {
      at(
        section.line,
        `unknown section "## ${section.heading}" (use "## Step: TITLE", "## Recap" or "## Quiz"; "###" for headings inside them)`,
      );
    }
  }
  if (stepCount === 0) {
    errors.push(`${fileName}: no steps (a step starts with "## Step: TITLE")`);
  }
  if (recap === undefined) errors.push(`${fileName}: no "## Recap" section`);
  if (!sawQuiz) errors.push(`${fileName}: no "## Quiz" section`);
  else if (quizBlocks.length === 0) errors.push(`${fileName}: "## Quiz" has no \`\`\`quiz block`);

  const quiz: QuizQuestion[] = [];
  quizBlocks.forEach((block, i) => {
    const where = `quiz ${i + 1}`;
    const yaml = parseYaml(block.body, block.line);
    if (!yaml.ok) return report(where, [{ path: [], message: yaml.message }]);
    const issues: Issue[] = [];
    const q = validate(quizSchema, yaml.value, [], issues);
    if (q && q.answer > q.choices.length) {
      issues.push({
        path: ['answer'],
        message: `must be at most ${q.choices.length} (choices count from 1)`,
      });
    }
    report(where, issues);
    if (q && issues.length === 0) quiz.push({ ...q, answer: q.answer - 1 });
  });

  function parseStep(
    title: string,
    line: number,
    instructions: string,
    blocks: Block[],
    n: number,
  ): Step | undefined {
    const where = `step ${n} (${title || 'untitled'})`;
    const before = errors.length;
    const fail = (message: string) => errors.push(`${fileName}: ${where}: ${message}`);
    if (title === '') fail('the heading needs a title: "## Step: TITLE"');
    if (instructions === '') fail('no instructions (Markdown text before the blocks)');
    const of = (info: string) => blocks.filter((b) => b.info === info);
    const hints = of('hint').map((b) => b.body.trim());
    if (hints.length === 0) fail('no ```hint block (give at least one)');
    if (hints.some((h) => h === '')) fail('an empty ```hint block');
    const one = (info: string): Block | undefined => {
      const found = of(info);
      if (found.length === 0) fail(`no \`\`\`${info} block`);
      else if (found.length > 1) fail(`more than one \`\`\`${info} block`);
      return found.length === 1 ? found[0] : undefined;
    };
    const checkBlock = one('check');
    const solutionBlock = one('solution');
    const explainBlock = one('explain');

    let check: Check | undefined;
    if (checkBlock) {
      const yaml = parseYaml(checkBlock.body, checkBlock.line);
      if (!yaml.ok) report(`${where} check`, [{ path: [], message: yaml.message }]);
      else {
        const result = parseCheck(yaml.value);
        report(
          where,
          result.issues.map((i) => ({ ...i, path: ['check', ...i.path] })),
        );
        check = result.check;
      }
    }
    const solution = solutionBlock ? solutionBlock.body.replace(/\s+$/, '') + '\n' : '';
    if (solutionBlock) {
      if (solution.trim() === '') fail('the ```solution block is empty');
      try {
        for (const s of parseScript(solution, `${fileName}: ${where} solution`)) {
          if (s.kind === 'host' && hosts && !hosts.includes(s.host)) {
            fail(
              `solution line ${s.line}: no host named "${s.host}" in scenario "${meta!.scenario}"`,
            );
          }
        }
      } catch (error) {
        if (!(error instanceof ScriptError)) throw error;
        errors.push(error.message);
      }
    }
    const explain = explainBlock?.body.trim() ?? '';
    if (explainBlock && explain === '') fail('the ```explain block is empty');
    if (errors.length > before || !check) return undefined;
    return { title, line, instructions, hints, check, solution, explain };
  }

  if (errors.length > 0 || !meta) {
    return { ok: false, errors, ...(meta ? { front: { id: meta.id, order: meta.order } } : {}) };
  }
  return {
    ok: true,
    lesson: {
      file: fileName,
      ...meta,
      intro,
      steps,
      recap: recap ?? '',
      quizIntro,
      quiz,
    },
  };
}

/** Parse YAML; errors give the line in the lesson file (`offset` lines precede the text). */
function parseYaml(
  source: string,
  offset: number,
): { ok: true; value: unknown } | { ok: false; message: string } {
  const doc = parseDocument(source);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line;
    const reason = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    return {
      ok: false,
      message: `invalid YAML${line === undefined ? '' : ` at line ${offset + line}`}: ${reason}`,
    };
  }
  return { ok: true, value: doc.toJS() };
}
