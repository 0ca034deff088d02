/**
 * A learner's progress: plain, serializable data with pure updates, small enough for the
 * lesson panel to use directly. Reading stored or imported progress (versions, migrations,
 * the schema) is progress-format.ts, which runs in the lesson worker. Where progress is
 * kept (the browser's localStorage) is the UI's business: it hands over a ProgressStorage.
 */
import type { Lesson } from './lesson';
import { choiceProblem, isRightAnswer, normalizeChoices } from './quiz';

/** The stored format's version; progress-format.ts migrates older ones. */
export const PROGRESS_VERSION = 2;

/** Lines typed per host are kept up to this many, newest last. */
export const HISTORY_LIMIT = 200;

export interface LessonProgress {
  /** Index of the step the learner is on (steps.length: the recap and quiz). */
  currentStep: number;
  /** Indexes of completed steps, ascending. */
  completed: number[];
  /** Per step index: how many hints have been revealed. */
  hintsRevealed: number[];
  /** Per quiz question index: the choices picked (from 0, ascending), or null if not answered. */
  quizAnswers: (number[] | null)[];
  /** Per host name: the lines its terminal's history holds for this lesson, oldest first. */
  history: Record<string, string[]>;
}

export interface Progress {
  version: typeof PROGRESS_VERSION;
  /** The lesson the learner last worked on. */
  currentLesson: string | null;
  lessons: Record<string, LessonProgress>;
}

/** Progress as a JSON document, for storage and for "export". */
export function exportProgress(progress: Progress): string {
  return JSON.stringify(progress, null, 2) + '\n';
}

// ---------------------------------------------------------------------------------------
// Updates (each returns a new Progress and leaves its argument alone)

export function emptyProgress(): Progress {
  return { version: PROGRESS_VERSION, currentLesson: null, lessons: {} };
}

export function emptyLessonProgress(): LessonProgress {
  return { currentStep: 0, completed: [], hintsRevealed: [], quizAnswers: [], history: {} };
}

export function lessonProgress(progress: Progress, lessonId: string): LessonProgress {
  return progress.lessons[lessonId] ?? emptyLessonProgress();
}

function update(
  progress: Progress,
  lessonId: string,
  change: (lesson: LessonProgress) => LessonProgress,
): Progress {
  return {
    ...progress,
    currentLesson: lessonId,
    lessons: { ...progress.lessons, [lessonId]: change(lessonProgress(progress, lessonId)) },
  };
}

/** Open a lesson (it becomes the current one; its progress is kept). */
export function openLesson(progress: Progress, lessonId: string): Progress {
  return update(progress, lessonId, (l) => l);
}

/** Mark a step done and move on to the next one not yet done. */
export function completeStep(progress: Progress, lesson: Lesson, step: number): Progress {
  return update(progress, lesson.id, (l) => {
    const completed = [...new Set([...l.completed, step])].sort((a, b) => a - b);
    let next = step + 1;
    while (completed.includes(next)) next++;
    return { ...l, completed, currentStep: Math.min(next, lesson.steps.length) };
  });
}

/** Go to a step (the panel's step list); within 0 … steps.length (the recap and quiz). */
export function goToStep(progress: Progress, lesson: Lesson, step: number): Progress {
  const currentStep = Math.max(0, Math.min(step, lesson.steps.length));
  return update(progress, lesson.id, (l) => ({ ...l, currentStep }));
}

/** Reveal the next hint of a step; returns how many are revealed now. */
export function revealHint(
  progress: Progress,
  lesson: Lesson,
  step: number,
): { progress: Progress; revealed: number } {
  const available = lesson.steps[step]?.hints.length ?? 0;
  const revealed = Math.min(
    available,
    (lessonProgress(progress, lesson.id).hintsRevealed[step] ?? 0) + 1,
  );
  return {
    revealed,
    progress: update(progress, lesson.id, (l) => {
      const hintsRevealed = Array.from(
        { length: Math.max(l.hintsRevealed.length, step + 1) },
        (_, i) => l.hintsRevealed[i] ?? 0,
      );
      hintsRevealed[step] = revealed;
      return { ...l, hintsRevealed };
    }),
  };
}

function setQuizAnswer(
  progress: Progress,
  lessonId: string,
  question: number,
  answer: number[] | null,
): Progress {
  return update(progress, lessonId, (l) => {
    const quizAnswers = Array.from(
      { length: Math.max(l.quizAnswers.length, question + 1) },
      (_, i) => l.quizAnswers[i] ?? null,
    );
    quizAnswers[question] = answer;
    return { ...l, quizAnswers };
  });
}

/** Record the learner's answer (the choices picked, from 0); returns whether it is right. */
export function answerQuiz(
  progress: Progress,
  lesson: Lesson,
  question: number,
  picked: readonly number[],
): { progress: Progress; correct: boolean } {
  const q = lesson.quiz[question];
  const problem = q ? choiceProblem(q, picked) : 'no such question';
  if (!q || problem) {
    throw new RangeError(`question ${question} of ${lesson.id}: ${problem}`);
  }
  return {
    correct: isRightAnswer(q, picked),
    progress: setQuizAnswer(progress, lesson.id, question, normalizeChoices(picked)),
  };
}

/** Forget the answer to a question, so that the learner can answer it again. */
export function clearQuizAnswer(progress: Progress, lesson: Lesson, question: number): Progress {
  return setQuizAnswer(progress, lesson.id, question, null);
}

/** Keep what the terminal on `host` recalls for a lesson (the newest HISTORY_LIMIT lines). */
export function setHistory(
  progress: Progress,
  lessonId: string,
  host: string,
  lines: readonly string[],
): Progress {
  return update(progress, lessonId, (l) => ({
    ...l,
    history: { ...l.history, [host]: lines.slice(-HISTORY_LIMIT) },
  }));
}

/** "Reset lesson": start it over, keeping the terminal history. */
export function resetLesson(progress: Progress, lessonId: string): Progress {
  return update(progress, lessonId, (l) => ({ ...emptyLessonProgress(), history: l.history }));
}

export type LessonStatus = 'not-started' | 'in-progress' | 'complete';

export function lessonStatus(progress: Progress, lesson: Lesson): LessonStatus {
  const l = progress.lessons[lesson.id];
  if (!l || (l.completed.length === 0 && l.currentStep === 0)) return 'not-started';
  const done = lesson.steps.every((_, i) => l.completed.includes(i));
  return done ? 'complete' : 'in-progress';
}

/**
 * Fit progress to the lessons as they are now (a lesson lost steps or questions, or was
 * removed): indexes past the end are dropped, and progress of unknown lessons kept as it
 * is, in case the lesson comes back.
 */
export function reconcile(progress: Progress, lessons: readonly Lesson[]): Progress {
  const lessonsById = new Map(lessons.map((l) => [l.id, l]));
  const fitted: Record<string, LessonProgress> = {};
  for (const [id, l] of Object.entries(progress.lessons)) {
    const lesson = lessonsById.get(id);
    if (!lesson) {
      fitted[id] = l;
      continue;
    }
    const steps = lesson.steps.length;
    fitted[id] = {
      ...l,
      currentStep: Math.min(l.currentStep, steps),
      completed: l.completed.filter((i) => i < steps),
      hintsRevealed: l.hintsRevealed
        .slice(0, steps)
        .map((n, i) => Math.min(n, lesson.steps[i]!.hints.length)),
      quizAnswers: l.quizAnswers
        .slice(0, lesson.quiz.length)
        .map((a, i) => (a !== null && !choiceProblem(lesson.quiz[i]!, a) ? a : null)),
    };
  }
  return { ...progress, lessons: fitted };
}

// ---------------------------------------------------------------------------------------
// Storage

/** Where progress is kept: the shape of the Web Storage API, so localStorage fits as is. */
export interface ProgressStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const STORAGE_KEY = 'smtp-lab.progress';

/**
 * Load progress, reading the stored text with `parse` (progress-format.ts's importProgress,
 * or the lesson worker's). Nothing stored gives empty progress. Stored data that cannot be
 * read is copied to `KEY.unreadable` (so saving over it loses nothing) and a notice says
 * so; a storage that fails gives a notice too. Never rejects.
 */
export async function loadProgress(
  storage: ProgressStorage,
  parse: (text: string) => Progress | Promise<Progress>,
  key: string = STORAGE_KEY,
): Promise<{ progress: Progress; notice?: string }> {
  let text: string | null;
  try {
    text = storage.getItem(key);
  } catch (error) {
    return {
      progress: emptyProgress(),
      notice: `Saved progress could not be read (${describe(error)}); it will not be saved either until storage works again.`,
    };
  }
  if (text === null) return { progress: emptyProgress() };
  try {
    return { progress: await parse(text) };
  } catch (error) {
    let kept = `it was kept under "${key}.unreadable"`;
    try {
      storage.setItem(`${key}.unreadable`, text);
    } catch {
      kept = 'it could not be kept';
    }
    return {
      progress: emptyProgress(),
      notice: `Saved progress could not be used (${describe(error)}); ${kept}. Starting afresh.`,
    };
  }
}

/** Save progress; a failing storage (full, disabled) gives a notice instead of throwing. */
export function saveProgress(
  storage: ProgressStorage,
  progress: Progress,
  key: string = STORAGE_KEY,
): { ok: true } | { ok: false; notice: string } {
  try {
    storage.setItem(key, exportProgress(progress));
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      notice: `Progress could not be saved (${describe(error)}). Export it to a file to keep it.`,
    };
  }
}

/** A storage in memory, for tests and for browsers without localStorage. */
export function memoryStorage(initial: Record<string, string> = {}): ProgressStorage & {
  items: Map<string, string>;
} {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
