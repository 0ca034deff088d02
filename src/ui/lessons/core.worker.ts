/**
 * The heavy part of the lesson core (src/lessons: parsing lesson files, reading stored
 * progress through its schema and migrations, the check language) run in a worker. Vite
 * bundles a worker on its own, so zod, yaml and the lesson parser never share chunks with
 * the page's initial bundle (sharing them made Rolldown split it and grow it by about
 * 10 kB gzipped). The page keeps localStorage and the light progress updates.
 */
import { evaluateCheck, type Check } from '../../lessons/check';
import { loadCourse, type LessonFile } from '../../lessons/course';
import { importProgress } from '../../lessons/progress-format';
import type { TraceEvent } from '../../engine/trace';

export type Request =
  | { op: 'course'; files: LessonFile[] }
  | { op: 'progress'; text: string }
  | { op: 'check'; check: Check; events: readonly TraceEvent[]; since: number };

function handle(req: Request): unknown {
  switch (req.op) {
    case 'course':
      return loadCourse(req.files);
    case 'progress':
      return importProgress(req.text);
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
