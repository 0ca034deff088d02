/**
 * Lesson files (lessons/README.md): YAML front matter, an introduction, `## Step: …`
 * sections with ```hint, ```check, ```solution and ```explain blocks, a `## Recap` and a
 * `## Quiz` of ```quiz blocks; ```mermaid diagrams anywhere in the Markdown. The parser is
 * pure: the CLI reads files with Node's fs, the browser through Vite's import.meta.glob,
 * and both hand it (fileName, text).
 */
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { builtInScenario, scenarioNames } from '../engine/scenario';
import { parseDuration, parseScript, ScriptError, type ScriptStep } from '../shell/script';
import { parseCheck, type Check } from './check';
import { diagramProblem } from './diagram';
import { formatIssue, validate, type Issue } from './issues';
import { codeBlocks, splitLesson, type Block } from './markdown';

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
  /** The same, parsed: what "show me" plays. */
  script: ScriptStep[];
  /**
   * Virtual time the reference solution lets pass (`#! wait`, `sleep`), in ms: a step
   * that needs it shows the learner how to advance time. 0 for most steps.
   */
  waitMs: number;
  /** Markdown shown when the check holds. */
  explain: string;
}

export interface QuizQuestion {
  /** Markdown (inline). */
  question: string;
  /** Markdown (inline), each. */
  choices: string[];
  /** Indexes of the right choices, from 0, ascending (the file counts from 1). */
  answers: number[];
  /** Several choices may be right (`answer: [1, 3]`): check boxes rather than radio buttons. */
  multiple: boolean;
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
  // A choice number or a list of them: readAnswer() checks it against the choices.
  answer: z.unknown(),
  explanation: text,
});

/** `answer: 2` (one right choice) or `answer: [1, 3]` (check boxes), counting from 1. */
function readAnswer(
  value: unknown,
  choices: number,
  issues: Issue[],
): { answers: number[]; multiple: boolean } | undefined {
  if (value === undefined) {
    issues.push({ path: ['answer'], message: 'required' });
    return undefined;
  }
  const multiple = Array.isArray(value);
  const list: unknown[] = multiple ? value : [value];
  const before = issues.length;
  if (list.length === 0) issues.push({ path: ['answer'], message: 'lists no choice' });
  list.forEach((v, i) => {
    const path = multiple ? ['answer', i] : ['answer'];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      issues.push({ path, message: 'expected a choice number (choices count from 1)' });
    } else if (v < 1) issues.push({ path, message: 'must be at least 1' });
    else if (v > choices) {
      issues.push({ path, message: `must be at most ${choices} (choices count from 1)` });
    } else if (list.indexOf(v) < i) {
      issues.push({ path, message: `lists choice ${v} twice` });
    }
  });
  if (issues.length > before) return undefined;
  const answers = (list as number[]).map((n) => n - 1).sort((a, b) => a - b);
  return { answers, multiple };
}

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
    const answer = q && readAnswer(q.answer, q.choices.length, issues);
    report(where, issues);
    if (q && answer && issues.length === 0) {
      quiz.push({
        question: q.question,
        choices: q.choices,
        ...answer,
        explanation: q.explanation,
      });
    }
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
    let script: ScriptStep[] = [];
    if (solutionBlock) {
      if (solution.trim() === '') fail('the ```solution block is empty');
      try {
        script = parseScript(solution, `${fileName}: ${where} solution`);
        for (const s of script) {
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
    return {
      title,
      line,
      instructions,
      hints,
      check,
      solution,
      script,
      waitMs: waitOf(script),
      explain,
    };
  }

  const lesson: Lesson | undefined = meta && {
    file: fileName,
    ...meta,
    intro,
    steps,
    recap: recap ?? '',
    quizIntro,
    quiz,
  };
  if (lesson) {
    for (const { where, markdown } of markdownOf(lesson)) {
      codeBlocks(markdown, 'mermaid').forEach((block, i, all) => {
        const problem = diagramProblem(block.body);
        const which = all.length > 1 ? ` ${i + 1}` : '';
        if (problem) errors.push(`${fileName}: ${where}: mermaid diagram${which} ${problem}`);
      });
    }
  }
  if (errors.length > 0 || !lesson) {
    return { ok: false, errors, ...(meta ? { front: { id: meta.id, order: meta.order } } : {}) };
  }
  return { ok: true, lesson };
}

/**
 * The virtual time a solution lets pass: its `#! wait` lines, and `sleep` typed at a
 * prompt (the shell's sleep takes the same durations, several adding up).
 */
function waitOf(script: readonly ScriptStep[]): number {
  let ms = 0;
  for (const s of script) {
    if (s.kind === 'wait') ms += s.ms;
    const sleep = s.kind === 'type' ? /^\s*sleep\s+(.+)$/.exec(s.text) : null;
    for (const arg of sleep?.[1]!.trim().split(/\s+/) ?? []) ms += parseDuration(arg) ?? 0;
  }
  return ms;
}

/** Every piece of Markdown in a lesson, with where it sits (for messages). */
export function markdownOf(lesson: Lesson): { where: string; markdown: string }[] {
  return [
    { where: 'introduction', markdown: lesson.intro },
    ...lesson.steps.flatMap((s, i) => {
      const where = `step ${i + 1} (${s.title})`;
      return [s.instructions, ...s.hints, s.explain].map((markdown) => ({ where, markdown }));
    }),
    { where: 'recap', markdown: lesson.recap },
    { where: 'quiz', markdown: lesson.quizIntro },
    ...lesson.quiz.flatMap((q, i) =>
      [q.question, ...q.choices, q.explanation].map((markdown) => ({
        where: `quiz ${i + 1}`,
        markdown,
      })),
    ),
  ];
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
