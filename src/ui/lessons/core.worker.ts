/**
 * The lesson core (src/lessons: parsing, the check language, progress) run in a worker.
 * Vite bundles a worker on its own, so zod, yaml and the lesson parser never share chunks
 * with the page's initial bundle (sharing them made Rolldown split it and grow it by
 * about 10 kB gzipped). The page keeps localStorage; the worker only transforms data.
 */
import { evaluateCheck, type Check } from '../../lessons/check';
import { loadCourse, type LessonFile } from '../../lessons/course';
import type { Lesson } from '../../lessons/lesson';
import {
  completeStep,
  exportProgress,
  goToStep,
  loadProgress,
  openLesson,
  resetLesson,
  revealHint,
  saveProgress,
  type Progress,
} from '../../lessons/progress';
import type { TraceEvent } from '../../engine/trace';

export type Update =
  | { op: 'open'; lessonId: string }
  | { op: 'complete'; lesson: Lesson; step: number }
  | { op: 'goto'; lesson: Lesson; step: number }
  | { op: 'hint'; lesson: Lesson; step: number }
  | { op: 'reset'; lessonId: string };

export type Request =
  | { op: 'course'; files: LessonFile[] }
  | { op: 'load'; text: string | null; readError?: string }
  | { op: 'update'; progress: Progress; update: Update }
  | { op: 'check'; check: Check; events: readonly TraceEvent[]; since: number };

function apply(p: Progress, u: Update): Progress {
  switch (u.op) {
    case 'open':
      return openLesson(p, u.lessonId);
    case 'complete':
      return completeStep(p, u.lesson, u.step);
    case 'goto':
      return goToStep(p, u.lesson, u.step);
    case 'hint':
      return revealHint(p, u.lesson, u.step).progress;
    case 'reset':
      return resetLesson(p, u.lessonId);
  }
}

function handle(req: Request): unknown {
  switch (req.op) {
    case 'course':
      return loadCourse(req.files);
    case 'load': {
      const storage = {
        getItem: () => {
          if (req.readError !== undefined) throw new Error(req.readError);
          return req.text;
        },
        setItem: () => undefined,
      };
      return loadProgress(storage);
    }
    case 'update': {
      const progress = apply(req.progress, req.update);
      // Checked as saving would (the text is what the page stores).
      let text = '';
      saveProgress({ getItem: () => null, setItem: (_k, v) => void (text = v) }, progress);
      return { progress, text: text || exportProgress(progress) };
    }
    case 'check':
      return evaluateCheck(req.check, req.events, req.since);
  }
}

self.onmessage = (e: MessageEvent<{ id: number; req: Request }>) => {
  const { id, req } = e.data;
  try {
    self.postMessage({ id, result: handle(req) });
  } catch (error) {
    self.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
