import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Lesson } from '../../../src/lessons/lesson';
import {
  HISTORY_LIMIT,
  PROGRESS_VERSION,
  STORAGE_KEY,
  answerQuiz,
  clearQuizAnswer,
  completeStep,
  emptyProgress,
  exportProgress,
  goToStep,
  lessonProgress,
  lessonStatus,
  loadProgress,
  memoryStorage,
  openLesson,
  reconcile,
  resetLesson,
  revealHint,
  saveProgress,
  setHistory,
  type Progress,
} from '../../../src/lessons/progress';
import {
  MIGRATIONS,
  ProgressError,
  importProgress,
  migrate,
  type Migration,
} from '../../../src/lessons/progress-format';

const fixture = (version: number) =>
  readFileSync(new URL(`./fixtures/progress-v${version}.json`, import.meta.url), 'utf8');

/**
 * A lesson shaped just enough for progress: 3 steps with 2, 1, 0 hints; 3 quiz questions,
 * the last with check boxes (choices 1 and 3 right).
 */
const lesson = {
  id: 'hello-smtp',
  steps: [{ hints: ['a', 'b'] }, { hints: ['c'] }, { hints: [] }],
  quiz: [
    { question: 'q1', choices: ['x', 'y'], answers: [1], multiple: false, explanation: '' },
    { question: 'q2', choices: ['x', 'y', 'z'], answers: [0], multiple: false, explanation: '' },
    { question: 'q3', choices: ['x', 'y', 'z'], answers: [0, 2], multiple: true, explanation: '' },
  ],
} as unknown as Lesson;

describe('stored progress, by version', () => {
  it('is at version 2, with one migration per earlier version', () => {
    expect(PROGRESS_VERSION).toBe(2);
    expect(Object.keys(MIGRATIONS)).toEqual(['1']);
  });

  // One fixture per stored version: each must still load, as what it meant then.
  it('reads the version 1 fixture: one picked choice per question becomes a list', () => {
    const progress = importProgress(fixture(1));
    expect(progress.version).toBe(2);
    expect(progress.currentLesson).toBe('ehlo-extensions');
    expect(progress.lessons['hello-smtp']).toEqual({
      currentStep: 6,
      completed: [0, 1, 2, 3, 4, 5],
      hintsRevealed: [0, 2, 0, 0, 1],
      quizAnswers: [[1], [1], null],
      history: {
        'laptop.alpha.example': ['telnet mx1.beta.example 25', 'HELO laptop.alpha.example'],
      },
    });
    expect(progress.lessons['ehlo-extensions']!.quizAnswers).toEqual([]);
    expect(importProgress(exportProgress(progress))).toEqual(progress);
  });

  it('reads the version 2 fixture as it is', () => {
    const progress = importProgress(fixture(2));
    expect(progress).toEqual(JSON.parse(fixture(2)));
    expect(progress.lessons['backup-mx']!.quizAnswers).toEqual([null, [0, 2]]);
    expect(progress.lessons['backup-mx']!.history['mx2.beta.example']).toEqual(['mailq']);
  });

  it('migrates version 1 defensively: what it does not know is left to the schema', () => {
    const v1 = { version: 1, currentLesson: null, lessons: { a: { quizAnswers: 'x' } } };
    expect(migrate(v1)).toEqual({ ...v1, version: 2 });
    expect(migrate({ version: 1, currentLesson: null, lessons: 3 })).toMatchObject({
      version: 2,
      lessons: 3,
    });
    expect(() =>
      importProgress(JSON.stringify({ version: 1, currentLesson: null, lessons: 3 })),
    ).toThrow('progress: lessons: expected record');
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
    expect(() => migrate({ lessons: {} })).toThrow(
      'progress: no valid "version" field (is this lesson progress?)',
    );
    expect(() => migrate({ version: 0 })).toThrow('progress: no valid "version" field');
    expect(() => migrate([])).toThrow('progress: expected an object, found a list');
    expect(() => migrate('hello')).toThrow('progress: expected an object, found string');
    expect(() => migrate(null)).toThrow('progress: expected an object, found null');
  });

  it('names a foreign SMTP Lab file for what it is', () => {
    // A saved lab (the header's "Save lab") is not lesson progress.
    expect(() => migrate({ format: 'smtp-lab/v2', scenario: 'default', inputs: [] })).toThrow(
      'progress: this is not lesson progress but a "smtp-lab/v2" file',
    );
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
    const empty = lessonProgress(emptyProgress(), 'x');
    expect(bad({ version: 2, currentLesson: null, lessons: { x: { currentStep: -1 } } })).toThrow(
      ProgressError,
    );
    expect(
      bad({ version: 2, currentLesson: null, lessons: { x: { ...empty, completed: ['1'] } } }),
    ).toThrow('progress: lessons.x.completed[0]: expected number');
    expect(
      bad({ version: 2, currentLesson: null, lessons: { x: { ...empty, quizAnswers: [[]] } } }),
    ).toThrow('progress: lessons.x.quizAnswers[0]: expected at least 1 item(s)');
    expect(bad({ version: 2, currentLesson: null, lessons: {}, extra: true })).toThrow(
      'progress: unknown field "extra"',
    );
    expect(() => importProgress('{')).toThrow(/^progress: not JSON/);
  });

  it('lists at most three problems of a badly broken file', () => {
    const lessons = Object.fromEntries(['a', 'b', 'c', 'd', 'e'].map((id) => [id, {}]));
    const message = (() => {
      try {
        importProgress(JSON.stringify({ version: 2, currentLesson: null, lessons }));
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/^progress: lessons\.a\.currentStep: required; .*; and \d+ more$/);
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
    ({ progress: p, correct } = answerQuiz(p, lesson, 1, [2]));
    expect(correct).toBe(false);
    ({ progress: p, correct } = answerQuiz(p, lesson, 1, [0]));
    expect(correct).toBe(true);
    expect(lessonProgress(p, 'hello-smtp').quizAnswers).toEqual([null, [0]]);
    p = clearQuizAnswer(p, lesson, 1);
    expect(lessonProgress(p, 'hello-smtp').quizAnswers).toEqual([null, null]);
  });

  it('checks a check-box question: exactly the right choices, in any order', () => {
    const answer = (picked: number[]) => answerQuiz(emptyProgress(), lesson, 2, picked);
    expect(answer([2, 0]).correct).toBe(true);
    expect(lessonProgress(answer([2, 0, 2]).progress, 'hello-smtp').quizAnswers[2]).toEqual([0, 2]);
    expect(answer([0]).correct).toBe(false);
    expect(answer([0, 1, 2]).correct).toBe(false);
  });

  it('refuses answers that are not choices of the question', () => {
    const p = emptyProgress();
    expect(() => answerQuiz(p, lesson, 0, [5])).toThrow('question 0 of hello-smtp: no choice 5');
    expect(() => answerQuiz(p, lesson, 0, [])).toThrow('no choice picked');
    expect(() => answerQuiz(p, lesson, 0, [0, 1])).toThrow('one choice only');
    expect(() => answerQuiz(p, lesson, 7, [0])).toThrow(RangeError);
  });

  it('keeps terminal history per host, bounded', () => {
    let p = setHistory(emptyProgress(), 'hello-smtp', 'laptop.alpha.example', [
      'telnet mx1.beta.example 25',
    ]);
    p = setHistory(p, 'hello-smtp', 'mx1.beta.example', ['mailq']);
    expect(lessonProgress(p, 'hello-smtp').history).toEqual({
      'laptop.alpha.example': ['telnet mx1.beta.example 25'],
      'mx1.beta.example': ['mailq'],
    });
    const many = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => `line ${i}`);
    p = setHistory(p, 'hello-smtp', 'mx1.beta.example', many);
    const lines = lessonProgress(p, 'hello-smtp').history['mx1.beta.example']!;
    expect(lines).toHaveLength(HISTORY_LIMIT);
    expect(lines[0]).toBe('line 5');
    expect(lines.at(-1)).toBe(`line ${HISTORY_LIMIT + 4}`);
  });

  it('resets a lesson but keeps its history; goes to steps within range', () => {
    let p = completeStep(
      setHistory(emptyProgress(), 'hello-smtp', 'laptop.alpha.example', ['ls']),
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
      quizAnswers: [[1], [1], null],
      history: stored.lessons['hello-smtp']!.history,
    });
    // Progress of a lesson that is gone is kept, in case it comes back.
    expect(fitted.lessons['ehlo-extensions']).toEqual(stored.lessons['ehlo-extensions']);
    // Answers that no longer fit their question (a choice gone, radio buttons now) go.
    const answered = {
      ...stored,
      lessons: {
        'hello-smtp': { ...lessonProgress(stored, 'hello-smtp'), quizAnswers: [[5], [0, 1], [0]] },
      },
    };
    expect(reconcile(answered, [lesson]).lessons['hello-smtp']!.quizAnswers).toEqual([
      null,
      null,
      [0],
    ]);
  });
});

describe('storage', () => {
  it('saves and loads', async () => {
    const storage = memoryStorage();
    expect(await loadProgress(storage, importProgress)).toEqual({ progress: emptyProgress() });
    const progress = completeStep(emptyProgress(), lesson, 0);
    expect(saveProgress(storage, progress)).toEqual({ ok: true });
    expect(storage.items.has(STORAGE_KEY)).toBe(true);
    expect(await loadProgress(storage, importProgress)).toEqual({ progress });
  });

  it('loads an older version from storage, migrated', async () => {
    const storage = memoryStorage({ [STORAGE_KEY]: fixture(1) });
    const { progress, notice } = await loadProgress(storage, importProgress);
    expect(notice).toBeUndefined();
    expect(progress.version).toBe(PROGRESS_VERSION);
    expect(progress.lessons['hello-smtp']!.quizAnswers).toEqual([[1], [1], null]);
  });

  it('keeps unreadable data aside and says so', async () => {
    const storage = memoryStorage({ [STORAGE_KEY]: '{"version": 7}' });
    const { progress, notice } = await loadProgress(storage, importProgress);
    expect(progress).toEqual(emptyProgress());
    expect(notice).toBe(
      `Saved progress could not be used (progress: saved by a newer SMTP Lab (format version 7; this one reads up to ${PROGRESS_VERSION})); it was kept under "${STORAGE_KEY}.unreadable". Starting afresh.`,
    );
    expect(storage.items.get(`${STORAGE_KEY}.unreadable`)).toBe('{"version": 7}');
  });

  it('takes a parser that answers later (the lesson worker)', async () => {
    const storage = memoryStorage({ [STORAGE_KEY]: '[]' });
    const later = (text: string) => Promise.resolve().then(() => importProgress(text));
    const { notice } = await loadProgress(storage, later);
    expect(notice).toMatch(/^Saved progress could not be used \(progress: expected an object/);
    expect(storage.items.get(`${STORAGE_KEY}.unreadable`)).toBe('[]');
  });

  it('turns storage failures into notices', async () => {
    const broken = {
      getItem(): string | null {
        throw new Error('SecurityError: storage is disabled');
      },
      setItem(): void {
        throw new Error('QuotaExceededError');
      },
    };
    const loaded = await loadProgress(broken, importProgress);
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
