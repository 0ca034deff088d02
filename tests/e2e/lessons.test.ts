/**
 * The lesson view: lesson 1 done by typing into the real terminal (each step ticks off as
 * its check holds on the trace), progress intact after a reload, "show me" typing a
 * step's reference solution until the step completes, the quiz answered and checked,
 * progress exported to a file and imported in a fresh browser, terminal history recalled
 * after a reload, every diagram of the course drawn, and a greylisting step completed by
 * skipping virtual time to the next retry.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { isLessonFile, parseLesson, type Lesson } from '../../src/lessons/lesson';
import { codeBlocks } from '../../src/lessons/markdown';
import { launch, terminalText, typeLine } from './browser';

const LESSONS = new URL('../../lessons/', import.meta.url);
const course: Lesson[] = readdirSync(LESSONS)
  .filter(isLessonFile)
  .map((name) => {
    const result = parseLesson(`lessons/${name}`, readFileSync(new URL(name, LESSONS), 'utf8'));
    if (!result.ok) throw new Error(result.errors.join('\n'));
    return result.lesson;
  });
const lessonById = (id: string) => course.find((l) => l.id === id)!;

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

const stepState = (i: number, on: Page = page) =>
  on.getAttribute(`[data-testid=lesson-step-${i}]`, 'data-step-state');

/** The last line the terminal shows that is not blank. */
async function lastTerminalLine(on: Page): Promise<string> {
  return (await terminalText(on)).split('\n').at(-1) ?? '';
}

/** The progress the page keeps in localStorage. */
async function storedProgress(on: Page): Promise<string> {
  return on.evaluate(() => localStorage.getItem('smtp-lab.progress') ?? '');
}

async function waitForLab() {
  await page.waitForSelector('[data-testid=terminal] .xterm-rows');
  await page.waitForFunction(() =>
    document
      .querySelector('[data-testid=terminal] .xterm-rows')
      ?.textContent?.includes('alice@laptop'),
  );
}

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()));
  await page.goto(inject('baseURL'));
  await waitForLab();
});

afterAll(async () => {
  await browser?.close();
});

describe('the lesson view', () => {
  it('opens the course on lesson 1', async () => {
    await page.click('[data-testid=view-tab-lesson]');
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    const map = await page.textContent('.course-map');
    expect(map).toContain('Hello, SMTP');
    expect(map).toContain('10 min');
    expect(await stepState(0)).toBe('current');
    // Instructions are Markdown, rendered.
    await expect
      .poll(() => page.textContent('[data-testid=lesson-current-step] pre'))
      .toContain('telnet mx1.beta.example 25');
  });

  it('reveals hints one at a time', async () => {
    await page.click('[data-testid=lesson-hint]');
    await page.waitForSelector('[data-testid=lesson-hint-0]');
    expect(await page.$('[data-testid=lesson-hint-1]')).toBeNull();
  });

  it('ticks off steps typed into the real terminal', async () => {
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'telnet mx1.beta.example 25');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=done]');
    await page.waitForSelector('[data-testid=lesson-explain]');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="1"]');

    await page.click('[data-testid=terminal]');
    await typeLine(page, 'HELO laptop.alpha.example');
    await page.waitForSelector('[data-testid=lesson-step-1][data-step-state=done]');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="2"]');
  });

  it('keeps the progress over a reload', async () => {
    await page.reload();
    await waitForLab();
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="2"]');
    expect(await stepState(0)).toBe('done');
    expect(await stepState(1)).toBe('done');
    expect(await stepState(2)).toBe('current');
    // The hint revealed on step 1 is remembered too.
    await page.click('[data-testid=lesson-step-0] button');
    await page.waitForSelector('[data-testid=lesson-hint-0]');
    await page.click('[data-testid=lesson-step-2] button');
    expect(await page.$('[data-testid=lesson-notice]')).toBeNull();
  });

  it('"show me" types the reference solution and the step completes', async () => {
    // A fresh world: the lesson starts over, then "show me" plays step 1 and step 2.
    await page.click('[data-testid=lesson-reset]');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=current]');
    expect(await stepState(1)).toBe('todo');
    await page.click('[data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-step-0][data-step-state=done]');
    await expect.poll(() => terminalText(page)).toContain('220 mx1.beta.example');
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector('[data-testid=lesson-current-step][data-step="1"]');
    await page.click('[data-testid=lesson-show-me]');
    await page.waitForSelector('[data-testid=lesson-step-1][data-step-state=done]');
    await expect.poll(() => terminalText(page)).toContain('250 mx1.beta.example');
    expect(pageErrors).toEqual([]);
  });

  it('checks quiz answers, right and wrong, and keeps them', async () => {
    const hello = lessonById('hello-smtp');
    const question = hello.quiz[0]!;
    const right = question.answers[0]!;
    const wrong = question.choices.findIndex((_, i) => i !== right);
    await page.click('[data-testid=lesson-step-recap] button');
    await page.waitForSelector('[data-testid=lesson-recap]');
    const q0 = '[data-testid=quiz-question-0]';
    expect(await page.getAttribute(q0, 'data-quiz-result')).toBe('unanswered');
    // One right choice: radio buttons. Nothing picked yet: nothing to check.
    expect(await page.getAttribute('[data-testid=quiz-0-choice-0]', 'type')).toBe('radio');
    expect(await page.isDisabled('[data-testid=quiz-check-0]')).toBe(true);

    await page.check(`[data-testid=quiz-0-choice-${wrong}]`);
    await page.click('[data-testid=quiz-check-0]');
    await page.waitForSelector(`${q0}[data-quiz-result=wrong]`);
    const feedback = await page.textContent('[data-testid=quiz-feedback-0]');
    expect(feedback).toContain('Not quite');
    expect(feedback).toContain('RFC 5321 §4.1.1.4'); // the explanation, rendered
    expect(await page.getAttribute(`${q0} li:nth-child(${right + 1})`, 'data-choice-mark')).toBe(
      'right',
    );
    expect(await page.isDisabled(`[data-testid=quiz-0-choice-${right}]`)).toBe(true);

    await page.click('[data-testid=quiz-again-0]');
    await page.check(`[data-testid=quiz-0-choice-${right}]`);
    await page.click('[data-testid=quiz-check-0]');
    await page.waitForSelector(`${q0}[data-quiz-result=right]`);
    expect(await page.textContent('[data-testid=quiz-feedback-0]')).toContain('Right.');
    expect(await page.textContent('[data-testid=quiz-score]')).toContain(
      `1 of ${hello.quiz.length} answered`,
    );

    // Kept in the progress: still answered after a reload.
    await expect
      .poll(async () => {
        const stored = JSON.parse(await storedProgress(page)) as {
          lessons: Record<string, { quizAnswers: unknown[] }>;
        };
        return stored.lessons['hello-smtp']!.quizAnswers[0];
      })
      .toEqual([right]);
    await page.reload();
    await waitForLab();
    await page.click('[data-testid=lesson-step-recap] button');
    await page.waitForSelector(`${q0}[data-quiz-result=right]`);
  });

  it('asks a question with several right answers with check boxes', async () => {
    const codes = lessonById('reply-codes');
    const index = codes.quiz.findIndex((q) => q.multiple);
    const question = codes.quiz[index]!;
    expect(question.answers.length).toBeGreaterThan(1);
    await page.click('[data-testid=lesson-open-reply-codes]');
    await page.waitForSelector('[data-testid=lesson][data-lesson=reply-codes]');
    await page.click('[data-testid=lesson-step-recap] button');
    const choice = (j: number) => `[data-testid=quiz-${index}-choice-${j}]`;
    expect(await page.getAttribute(choice(0), 'type')).toBe('checkbox');
    // Only some of the right ones: wrong.
    await page.check(choice(question.answers[0]!));
    await page.click(`[data-testid=quiz-check-${index}]`);
    await page.waitForSelector(`[data-testid=quiz-question-${index}][data-quiz-result=wrong]`);
    await page.click(`[data-testid=quiz-again-${index}]`);
    for (const j of question.answers) await page.check(choice(j));
    await page.click(`[data-testid=quiz-check-${index}]`);
    await page.waitForSelector(`[data-testid=quiz-question-${index}][data-quiz-result=right]`);
    await page.click('[data-testid=lesson-open-hello-smtp]');
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
  });

  it("recalls the lesson's terminal history after a reload", async () => {
    // A fresh world after the reload: its terminal is at the shell prompt.
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    await page.click('[data-testid=terminal]');
    await typeLine(page, 'hostname -f');
    await expect.poll(() => terminalText(page)).toMatch(/hostname -f\nlaptop\.alpha\.example/);
    await expect.poll(() => storedProgress(page)).toContain('"hostname -f"');
    await page.reload();
    await waitForLab();
    await page.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    await page.click('[data-testid=terminal]');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => lastTerminalLine(page)).toMatch(/\$ hostname -f$/);
    // Older lines of the lesson come next: the telnet command of step 1.
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => lastTerminalLine(page)).toMatch(/\$ telnet mx1\.beta\.example 25$/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+U');
  });

  it('exports progress to a file and imports it in a fresh browser', async () => {
    const download = page.waitForEvent('download');
    await page.click('[data-testid=progress-export]');
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^smtp-lab-progress-\d{4}-\d{2}-\d{2}\.json$/);
    const path = join(tmpdir(), `smtp-lab-progress-${process.pid}.json`);
    await file.saveAs(path);
    const exported = JSON.parse(readFileSync(path, 'utf8')) as {
      version: number;
      lessons: Record<string, { completed: number[]; history: Record<string, string[]> }>;
    };
    expect(exported.version).toBe(2);
    expect(exported.lessons['hello-smtp']!.completed).toEqual([0, 1]);
    expect(exported.lessons['hello-smtp']!.history['laptop.alpha.example']).toContain(
      'hostname -f',
    );

    const context = await browser.newContext();
    const fresh = await context.newPage();
    await fresh.goto(inject('baseURL'));
    await fresh.click('[data-testid=view-tab-lesson]');
    await fresh.waitForSelector('[data-testid=lesson][data-lesson=hello-smtp]');
    expect(await stepState(0, fresh)).toBe('current');
    // Something of its own first, which a refused import must not lose.
    await fresh.click('[data-testid=lesson-hint]');
    await fresh.waitForSelector('[data-testid=lesson-hint-0]');
    const before = await storedProgress(fresh);

    // A broken file and a foreign one are refused, naming the problem; nothing changes.
    const broken = join(tmpdir(), `broken-progress-${process.pid}.json`);
    writeFileSync(broken, JSON.stringify({ ...exported, lessons: { x: { completed: 'all' } } }));
    await fresh.setInputFiles('[data-testid=progress-import-file]', broken);
    await expect
      .poll(() => fresh.textContent('[data-testid=lesson-notice]'))
      .toMatch(
        /was not imported: progress: lessons\.x\.currentStep: required; .*Your progress is unchanged\./,
      );
    const foreign = join(tmpdir(), `saved-lab-${process.pid}.json`);
    writeFileSync(
      foreign,
      JSON.stringify({ format: 'smtp-lab/v2', scenario: 'default', inputs: [] }),
    );
    await fresh.setInputFiles('[data-testid=progress-import-file]', foreign);
    await expect
      .poll(() => fresh.textContent('[data-testid=lesson-notice]'))
      .toContain('not lesson progress but a "smtp-lab/v2" file');
    expect(await storedProgress(fresh)).toBe(before);
    expect(await stepState(0, fresh)).toBe('current');
    await fresh.waitForSelector('[data-testid=lesson-hint-0]');

    await fresh.setInputFiles('[data-testid=progress-import-file]', path);
    await expect
      .poll(() => fresh.textContent('[data-testid=lesson-notice]'))
      .toContain('Imported “smtp-lab-progress-');
    await fresh.waitForSelector('[data-testid=lesson-step-0][data-step-state=done]');
    expect(await stepState(1, fresh)).toBe('done');
    expect(JSON.parse(await storedProgress(fresh))).toEqual(exported);
    // The imported history is recalled in this browser's terminal too (Up arrow).
    await fresh.click('[data-testid=terminal]');
    await fresh.keyboard.press('ArrowUp');
    await expect.poll(() => lastTerminalLine(fresh)).toMatch(/\$ hostname -f$/);

    // Undo brings back what was there before the import.
    await fresh.click('[data-testid=lesson-import-undo]');
    await fresh.waitForSelector('[data-testid=lesson-step-0][data-step-state=current]');
    expect(JSON.parse(await storedProgress(fresh))).toEqual(JSON.parse(before));
    await context.close();
  });

  it('draws every diagram of the course as SVG', async () => {
    const places = course.flatMap((lesson) => [
      { lesson, where: 'intro', count: codeBlocks(lesson.intro, 'mermaid').length },
      ...lesson.steps.map((s, i) => ({
        lesson,
        where: `step ${i}`,
        count: codeBlocks(s.instructions, 'mermaid').length,
      })),
      { lesson, where: 'recap', count: codeBlocks(lesson.recap, 'mermaid').length },
    ]);
    const drawn = places.filter((p) => p.count > 0);
    // The course teaches with diagrams (lesson 8's hops, lesson 9's fallback, …)…
    expect(drawn.map((p) => p.lesson.id)).toEqual(
      expect.arrayContaining(['following-hops', 'backup-mx', 'queue-deferrals']),
    );
    // … and keeps them where a learner meets them without finishing steps first.
    const everywhere = course.reduce(
      (n, l) =>
        n +
        [l.intro, ...l.steps.flatMap((s) => [s.instructions, s.explain, ...s.hints]), l.recap]
          .map((m) => codeBlocks(m, 'mermaid').length)
          .reduce((a, b) => a + b, 0),
      0,
    );
    expect(drawn.reduce((n, p) => n + p.count, 0)).toBe(everywhere);

    for (const { lesson, where, count } of drawn) {
      await page.click(`[data-testid=lesson-open-${lesson.id}]`);
      await page.waitForSelector(`[data-testid=lesson][data-lesson=${lesson.id}]`);
      if (where === 'recap') await page.click('[data-testid=lesson-step-recap] button');
      else if (where !== 'intro') {
        await page.click(`[data-testid=lesson-step-${where.split(' ')[1]}] button`);
      }
      const diagrams = '[data-testid=lesson] [data-testid=lesson-diagram]';
      await expect
        .poll(() => page.$$eval(`${diagrams} .diagram[data-rendered] svg`, (s) => s.length), {
          timeout: 20_000,
        })
        .toBe(count);
      expect(await page.$$(`${diagrams} .error`)).toHaveLength(0);
      // Drawn, with the lesson's own labels and the title for screen readers.
      const svg = await page.$eval(`${diagrams} svg`, (e) => e.textContent ?? '');
      expect(svg.length).toBeGreaterThan(20);
      expect(await page.getAttribute(`${diagrams} .diagram`, 'aria-label')).not.toBe('Diagram');
    }
    await page.click('[data-testid=lesson-open-hello-smtp]');
  });

  it('completes a greylisting step by skipping virtual time to the next retry', async () => {
    const grey = lessonById('queue-deferrals');
    const hand = grey.steps.findIndex((s) => s.title.startsWith('Hand the message'));
    const wait = hand + 1;
    expect(grey.steps[wait]!.waitMs).toBeGreaterThan(0);
    await page.click('[data-testid=lesson-open-queue-deferrals]');
    // The lesson's world is another scenario: the panel offers to load it.
    await page.click('[data-testid=lesson-scenario-notice] button');
    await page.waitForURL(/scenario=greylisting/);
    await waitForLab();
    await page.waitForSelector('[data-testid=lesson][data-lesson=queue-deferrals]');

    // The message is handed to alice's server, which mx1 greylists (451): it waits.
    await page.click(`[data-testid=lesson-step-${hand}] button`);
    expect(await page.$('[data-testid=lesson-time-help]')).toBeNull();
    await page.click('[data-testid=lesson-show-me]');
    await page.waitForSelector(`[data-testid=lesson-step-${hand}][data-step-state=done]`, {
      timeout: 20_000,
    });
    await page.click('[data-testid=lesson-next]');
    await page.waitForSelector(`[data-testid=lesson-current-step][data-step="${wait}"]`);

    // The step that waits says how to move time on, and offers the next retry.
    const help = await page.textContent('[data-testid=lesson-time-help]');
    expect(help).toContain('This step waits on virtual time');
    expect(help).toContain('sleep 5m');
    await page.waitForSelector('[data-testid=lesson-skip-to-retry]:not([disabled])');
    expect(await page.isDisabled('[data-testid=skip-to-retry]')).toBe(false);
    const before = Number(await page.getAttribute('[data-testid=timeline]', 'data-now'));
    await page.click('[data-testid=lesson-skip-to-retry]');
    await page.waitForSelector(`[data-testid=lesson-step-${wait}][data-step-state=done]`);
    // Greylisting on mx1 holds for five minutes; the queue retried after them.
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid=timeline]', 'data-now')))
      .toBeGreaterThanOrEqual(before + 4 * 60_000);
    expect(await page.isDisabled('[data-testid=skip-to-retry]')).toBe(true);
    expect(await page.textContent('[data-testid=lesson-explain]')).toContain('Mail queue is empty');
    expect(pageErrors).toEqual([]);
  });

  it('says so when progress cannot be saved', async () => {
    const other = await browser.newPage();
    await other.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException('full', 'QuotaExceededError');
      };
    });
    await other.goto(inject('baseURL'));
    await other.click('[data-testid=view-tab-lesson]');
    await other.click('[data-testid=lesson-hint]');
    await expect
      .poll(() => other.textContent('[data-testid=lesson-notice]'))
      .toContain('Progress could not be saved');
    await other.close();
  });
});
