/**
 * Progress as stored and exported: JSON that carries its format version. Older versions
 * are brought up to date by the migrations below, one version at a time, and the result
 * is validated by the schema before use, so a broken or foreign file is refused with a
 * message naming the problem. Runs in the lesson worker (zod stays out of the page).
 */
import { z } from 'zod';
import { formatIssue, validate, type Issue } from './issues';
import { PROGRESS_VERSION, type Progress } from './progress';

const index = z.int().min(0);
const lessonProgressSchema = z.strictObject({
  currentStep: index,
  completed: z.array(index),
  hintsRevealed: z.array(index),
  quizAnswers: z.array(z.array(index).min(1).nullable()),
  history: z.record(z.string(), z.array(z.string())),
});
export const progressSchema = z.strictObject({
  version: z.literal(PROGRESS_VERSION),
  currentLesson: z.string().nullable(),
  lessons: z.record(z.string(), lessonProgressSchema),
});

// ---------------------------------------------------------------------------------------
// Versions and migrations

/** Upgrades stored data from version N (the key) to N + 1. Never edit one once shipped. */
export type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The registry; each step has a fixture of the version it reads in
 * tests/unit/lessons/fixtures/. A migration leaves alone what it does not recognise: the
 * schema reports it afterwards.
 */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  /** Version 2 keeps a list of picked choices per quiz question (check-box questions). */
  1: (v1) => {
    if (!isRecord(v1.lessons)) return v1;
    const lessons: Record<string, unknown> = {};
    for (const [id, l] of Object.entries(v1.lessons)) {
      lessons[id] =
        isRecord(l) && Array.isArray(l.quizAnswers)
          ? {
              ...l,
              quizAnswers: l.quizAnswers.map((a: unknown) => (typeof a === 'number' ? [a] : a)),
            }
          : l;
    }
    return { ...v1, lessons };
  },
};

export class ProgressError extends Error {}

/** Bring stored data of any known version up to `current`. */
export function migrate(
  data: unknown,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
  current: number = PROGRESS_VERSION,
): Record<string, unknown> {
  if (!isRecord(data)) {
    const found = Array.isArray(data) ? 'a list' : data === null ? 'null' : typeof data;
    throw new ProgressError(`progress: expected an object, found ${found}`);
  }
  let value = data;
  const version = value.version;
  if (typeof value.format === 'string' && version === undefined) {
    throw new ProgressError(
      `progress: this is not lesson progress but a "${value.format.slice(0, 40)}" file`,
    );
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new ProgressError('progress: no valid "version" field (is this lesson progress?)');
  }
  if (version > current) {
    throw new ProgressError(
      `progress: saved by a newer SMTP Lab (format version ${version}; this one reads up to ${current})`,
    );
  }
  for (let v = version; v < current; v++) {
    const step = migrations[v];
    if (!step) throw new ProgressError(`progress: no migration from version ${v}`);
    value = { ...step(value), version: v + 1 };
  }
  return value;
}

/** Validate data already at the current version. */
export function validateProgress(data: unknown): Progress {
  const issues: Issue[] = [];
  const progress = validate(progressSchema, data, [], issues);
  if (!progress) {
    const shown = issues.slice(0, 3).map((i) => formatIssue(i));
    if (issues.length > 3) shown.push(`and ${issues.length - 3} more`);
    throw new ProgressError(`progress: ${shown.join('; ')}`);
  }
  return progress;
}

/** Read exported or stored JSON of any known version; throws ProgressError. */
export function importProgress(json: string): Progress {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new ProgressError(
      `progress: not JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return validateProgress(migrate(data));
}
