import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../src/lessons/lesson';
import {
  HISTORY_LIMIT,
  MIGRATIONS,
  PROGRESS_VERSION,
  ProgressError,
  STORAGE_KEY,
  answerQuiz,
  completeStep,
  emptyProgress,
  exportProgress,
  goToStep,
  importProgress,
  lessonProgress,
  lessonStatus,
  loadProgress,
  memoryStorage,
  migrate,
  openLesson,
  reconcile,
  recordHistory,
  resetLesson,
  revealHint,
  saveProgress,
  type Migration,
  type Progress,
} from '../../../src/lessons/progress';

const fixture = (version: number) =>
  readFileSync(new URL(`./fixtures/progress-v${version}.json`, import.meta.url), 'utf8');

/** A lesson shaped just enough for progress: 3 steps with 2, 1, 0 hints; 2 quiz questions. */
const lesson = {
  id: 'hello-smtp',
  steps: [{ hints: ['a', 'b'] }, { hints: ['c'] }, { hints: [] }],
  quiz: [
    { question: 'q1', choices: ['x', 'y'], answer: 1, explanation: '' },
    { question: 'q2', choices: ['x', 'y', 'z'], answer: 0, explanation: '' },
  ],
} as unknown as Lesson;

describe('stored progress, by version', () => {
  it('is at version 1, with no migrations yet', () => {
    expect(PROGRESS_VERSION).toBe(1);
    expect(Object.keys(MIGRATIONS)).toEqual([]);
  });

  // One fixture per stored version: each must still load, as what it meant then.
  it('reads the version 1 fixture', () => {
    const progress = importProgress(fixture(1));
    expect(progress.currentLesson).toBe('ehlo-extensions');
    expect(progress.lessons['hello-smtp']).toEqual({
      currentStep: 6,
      completed: [0, 1, 2, 3, 4, 5],
      hintsRevealed: [0, 2, 0, 0, 1],
      quizAnswers: [1, 1, null],
      history: {
        'laptop.alpha.example': ['telnet mx1.beta.example 25', 'HELO laptop.alpha.example'],
      },
    });
    expect(importProgress(exportProgress(progress))).toEqual(progress);
  });

  it('has a fixture for every version up to the current one', () => {
    for (let v = 1; v <= PROGRESS_VERSION; v++)
      expect(() => importProgress(fixture(v))).not.toThrow();
  });
});

describe('migrations', () => {
  // A pretend future: version 2 renamed currentLesson, version 3 added a field.
  const future: Record<number, Migration> = {
    1: ({ currentLesson, ...rest }) => ({ ...rest, lastLesson: currentLesson }),
    2: (v2) => ({ ...v2, theme: 'light' }),
  };

  it('runs every step from the stored version up, in order', () => {
    const v1 = JSON.parse(fixture(1)) as Record<string, unknown>;
    const v3 = migrate(v1, future, 3);
    expect(v3).toMatchObject({ version: 3, lastLesson: 'ehlo-extensions', theme: 'light' });
    expect(v3).not.toHaveProperty('currentLesson');
    expect(migrate({ ...v1, version: 2, lastLesson: 'x' }, future, 3)).toMatchObject({
      version: 3,
      lastLesson: 'x',
    });
    expect(migrate(v1, future, 1)).toEqual(v1);
  });

  it('refuses what it cannot read', () => {
    expect(() => migrate({ version: 4 }, future, 3)).toThrow(
      'progress: saved by a newer SMTP Lab (format version 4; this one reads up to 3)',
    );
    expect(() => migrate({ version: 1 }, {}, 2)).toThrow('progress: no migration from version 1');
    expect(() => migrate({ lessons: {} })).toThrow('progress: no valid "version" field');
    expect(() => migrate({ version: 0 })).toThrow('progress: no valid "version" field');
    expect(() => migrate([])).toThrow('progress: expected an object');
  });
});

describe('import and export', () => {
  it('round-trips through JSON', () => {
    const progress = completeStep(emptyProgress(), lesson, 0);
    const json = exportProgress(progress);
    expect(JSON.parse(json)).toEqual(progress);
    expect(importProgress(json)).toEqual(progress);
  });

  it('validates with messages that name the field', () => {
    const bad = (data: unknown) => () => importProgress(JSON.stringify(data));
    expect(bad({ version: 1, currentLesson: null, lessons: { x: { currentStep: -1 } } })).toThrow(
      ProgressError,
    );
    expect(
      bad({
        version: 1,
        currentLesson: null,
        lessons: { x: { ...lessonProgress(emptyProgress(), 'x'), completed: ['1'] } },
      }),
    ).toThrow('progress: lessons.x.completed[0]: expected number');
    expect(bad({ version: 1, currentLesson: null, lessons: {}, extra: true })).toThrow(
      'progress: unknown field "extra"',
    );
    expect(() => importProgress('{')).toThrow(/^progress: not JSON/);
  });
});

describe('updates', () => {
  it('completes steps and moves to the next one not done', () => {
    let p = openLesson(emptyProgress(), 'hello-smtp');
    expect(p.currentLesson).toBe('hello-smtp');
    expect(lessonStatus(p, lesson)).toBe('not-started');
    p = completeStep(p, lesson, 0);
    expect(lessonProgress(p, 'hello-smtp')).toMatchObject({ completed: [0], currentStep: 1 });
    expect(lessonStatus(p, lesson)).toBe('in-progress');
    p = completeStep(p, lesson, 2);
    p = completeStep(p, lesson, 1);
    expect(lessonProgress(p, 'hello-smtp')).toMatchObject({ completed: [0, 1, 2], currentStep: 3 });
    expect(lessonStatus(p, lesson)).toBe('complete');
    expect(completeStep(p, lesson, 1)).toEqual(p);
  });

  it('leaves its argument alone', () => {
    const before = emptyProgress();
    const frozen = JSON.stringify(before);
    completeStep(before, lesson, 0);
    revealHint(before, lesson, 0);
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it('reveals hints one at a time, up to the number there are', () => {
    let p = emptyProgress();
    let revealed: number;
    ({ progress: p, revealed } = revealHint(p, lesson, 1));
    expect(revealed).toBe(1);
    expect(lessonProgress(p, 'hello-smtp').hintsRevealed).toEqual([0, 1]);
    ({ progress: p, revealed } = revealHint(p, lesson, 1));
    expect(revealed).toBe(1);
    ({ progress: p, revealed } = revealHint(p, lesson, 0));
    ({ progress: p, revealed } = revealHint(p, lesson, 0));
    expect(revealed).toBe(2);
    expect(lessonProgress(p, 'hello-smtp').hintsRevealed).toEqual([2, 1]);
  });

  it('records quiz answers and says whether they are right', () => {
    let p = emptyProgress();
    let correct: boolean;
    ({ progress: p, correct } = answerQuiz(p, lesson, 1, 2));
    expect(correct).toBe(false);
    ({ progress: p, correct } = answerQuiz(p, lesson, 1, 0));
    expect(correct).toBe(true);
    expect(lessonProgress(p, 'hello-smtp').quizAnswers).toEqual([null, 0]);
    expect(() => answerQuiz(p, lesson, 0, 5)).toThrow(RangeError);
  });

  it('keeps terminal history per host, bounded', () => {
    let p = recordHistory(
      emptyProgress(),
      'hello-smtp',
      'laptop.alpha.example',
      'telnet mx1.beta.example 25',
    );
    p = recordHistory(p, 'hello-smtp', 'mx1.beta.example', 'mailq');
    expect(lessonProgress(p, 'hello-smtp').history).toEqual({
      'laptop.alpha.example': ['telnet mx1.beta.example 25'],
      'mx1.beta.example': ['mailq'],
    });
    for (let i = 0; i < HISTORY_LIMIT + 5; i++)
      p = recordHistory(p, 'hello-smtp', 'mx1.beta.example', `line ${i}`);
    const lines = lessonProgress(p, 'hello-smtp').history['mx1.beta.example']!;
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines.at(-1)).toBe(`line ${HISTORY_LIMIT + 4}`);
  });

  it('resets a lesson but keeps its history; goes to steps within range', () => {
    let p = completeStep(
      recordHistory(emptyProgress(), 'hello-smtp', 'laptop.alpha.example', 'ls'),
      lesson,
      0,
    );
    p = resetLesson(p, 'hello-smtp');
    expect(lessonProgress(p, 'hello-smtp')).toEqual({
      currentStep: 0,
      completed: [],
      hintsRevealed: [],
      quizAnswers: [],
      history: { 'laptop.alpha.example': ['ls'] },
    });
    expect(lessonProgress(goToStep(p, lesson, 9), 'hello-smtp').currentStep).toBe(3);
    expect(lessonProgress(goToStep(p, lesson, -1), 'hello-smtp').currentStep).toBe(0);
  });

  it('fits progress to lessons that changed', () => {
    const stored = importProgress(fixture(1));
    const fitted = reconcile(stored, [lesson]);
    expect(fitted.lessons['hello-smtp']).toEqual({
      currentStep: 3,
      completed: [0, 1, 2],
      hintsRevealed: [0, 1, 0],
      quizAnswers: [1, 1],
      history: stored.lessons['hello-smtp']!.history,
    });
    // Progress of a lesson that is gone is kept, in case it comes back.
    expect(fitted.lessons['ehlo-extensions']).toEqual(stored.lessons['ehlo-extensions']);
  });
});

describe('storage', () => {
  it('saves and loads', () => {
    const storage = memoryStorage();
    expect(loadProgress(storage)).toEqual({ progress: emptyProgress() });
    const progress = completeStep(emptyProgress(), lesson, 0);
    expect(saveProgress(storage, progress)).toEqual({ ok: true });
    expect(storage.items.has(STORAGE_KEY)).toBe(true);
    expect(loadProgress(storage)).toEqual({ progress });
  });

  it('keeps unreadable data aside and says so', () => {
    const storage = memoryStorage({ [STORAGE_KEY]: '{"version": 7}' });
    const { progress, notice } = loadProgress(storage);
    expect(progress).toEqual(emptyProgress());
    expect(notice).toBe(
      `Saved progress could not be used (progress: saved by a newer SMTP Lab (format version 7; this one reads up to ${PROGRESS_VERSION})); it was kept under "${STORAGE_KEY}.unreadable". Starting afresh.`,
    );
    expect(storage.items.get(`${STORAGE_KEY}.unreadable`)).toBe('{"version": 7}');
  });

  it('turns storage failures into notices', () => {
    const broken = {
      getItem(): string | null {
        throw new Error('SecurityError: storage is disabled');
      },
      setItem(): void {
        throw new Error('QuotaExceededError');
      },
    };
    const loaded = loadProgress(broken);
    expect(loaded.progress).toEqual(emptyProgress());
    expect(loaded.notice).toMatch(
      /^Saved progress could not be read \(SecurityError: storage is disabled\)/,
    );
    const progress: Progress = completeStep(emptyProgress(), lesson, 0);
    expect(saveProgress(broken, progress)).toEqual({
      ok: false,
      notice: 'Progress could not be saved (QuotaExceededError). Export it to a file to keep it.',
    });
  });
});
