/**
 * The course itself: every lesson in lessons/ is valid and its reference solutions, played
 * headlessly step by step, satisfy every check (as learnGitBranching tests its levels).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCourse, type LessonFile } from '../../../src/lessons/course';
import { EVENT_TYPES, fieldPaths, isDerived } from '../../../src/lessons/events';
import { isLessonFile, parseLesson, type Lesson } from '../../../src/lessons/lesson';
import { runLesson } from '../../../src/lessons/runner';

const DIR = new URL('../../../lessons/', import.meta.url);
const files: LessonFile[] = readdirSync(DIR)
  .filter(isLessonFile)
  .sort()
  .map((name) => ({ name: `lessons/${name}`, text: readFileSync(new URL(name, DIR), 'utf8') }));
const course = loadCourse(files);
const readme = readFileSync(new URL('README.md', DIR), 'utf8');

describe('the course', () => {
  it('has the first lessons of issue 7, in order', () => {
    expect(course.entries.flatMap((e) => e.errors)).toEqual([]);
    expect(course.lessons.map((l) => l.id).slice(0, 3)).toEqual([
      'hello-smtp',
      'ehlo-extensions',
      'reply-codes',
    ]);
    for (const lesson of course.lessons) {
      expect(lesson.minutes).toBeGreaterThanOrEqual(5);
      expect(lesson.minutes).toBeLessThanOrEqual(20);
      expect(lesson.quiz.length).toBeGreaterThan(0);
    }
  });

  for (const { name } of files) {
    it(`${name}: every reference solution satisfies its step's check`, () => {
      const lesson = course.lessons.find((l) => l.file === name);
      expect(lesson, name).toBeDefined();
      const run = runLesson(lesson!);
      expect(run.failure).toBeUndefined();
    });
  }
});

describe('the runner', () => {
  const base = course.lessons[0]!;
  const withStep = (i: number, change: Partial<Lesson['steps'][number]>): Lesson => ({
    ...base,
    steps: base.steps.map((s, j) => (j === i ? { ...s, ...change } : s)),
  });

  it('names the step whose check the solution does not satisfy', () => {
    const quiet = withStep(1, { solution: 'NOOP\n' });
    const run = runLesson(quiet);
    expect(run.failure).toMatchObject({ step: 2, title: base.steps[1]!.title });
    expect(run.failure!.message).toMatch(
      /^the reference solution does not satisfy the check\n {2}expected: smtp\.reply with /,
    );
    expect(run.failure!.message).toContain('c1 C: NOOP');
    expect(run.failure!.message).toContain('c1 S: 250 2.0.0 Ok');
  });

  it('fails a check that holds before its step begins', () => {
    const always = withStep(2, {
      check: { kind: 'not', check: { kind: 'event', spec: { events: ['net.reset'], match: [] } } },
    });
    expect(runLesson(always).failure).toEqual({
      step: 3,
      title: base.steps[2]!.title,
      message: 'the check holds before the solution runs, so the step would complete at once',
    });
  });

  it('reports a solution that types on a host the scenario lacks', () => {
    const lost = withStep(0, { solution: '#! host nowhere.example\n' });
    expect(runLesson(lost).failure?.message).toBe(
      `${base.file}: step 1 (${base.steps[0]!.title}) solution:1: no host named "nowhere.example" in this scenario`,
    );
  });

  it('evaluates each step only on its own events', () => {
    // Step 2's check (a 250 to HELO) with step 3's solution: the HELO of step 2 is too early.
    const shifted = withStep(2, { check: base.steps[1]!.check });
    expect(runLesson(shifted).failure?.step).toBe(3);
  });
});

describe('lessons/README.md', () => {
  it('lists every event type with the fields checks may use', () => {
    for (const type of EVENT_TYPES) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${type}\` |`));
      expect(row, type).toBeDefined();
      const expected = fieldPaths(type)
        .map((p) => (isDerived(type, p) ? `*${p}*` : `\`${p}\``))
        .join(', ');
      expect(row).toBe(`| \`${type}\` | ${expected} |`);
    }
  });

  it('has a worked example that is a valid lesson whose solution passes', () => {
    const match =
      /<!-- worked-example:start -->\s*````markdown\n([\s\S]*?)\n````\s*<!-- worked-example:end -->/.exec(
        readme,
      );
    expect(match).not.toBeNull();
    const example = { name: 'lessons/99-mail-for-carol.md', text: match![1]! };
    expect(parseLesson(example.name, example.text)).toMatchObject({ ok: true });
    const withExample = loadCourse([...files, example]);
    const entry = withExample.entries.find((e) => e.file === example.name)!;
    expect(entry.errors).toEqual([]);
    expect(runLesson(entry.lesson!).failure).toBeUndefined();
  });
});
