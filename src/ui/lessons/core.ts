/** The page's side of the lesson worker: requests as promises, answered in order. */
import type { Check } from '../../lessons/check';
import type { Course, LessonFile } from '../../lessons/course';
import type { Progress } from '../../lessons/progress';
import type { TraceEvent } from '../../engine/trace';
import type { Request } from './core.worker';
import CoreWorker from './core.worker?worker';

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();

function call<T>(req: Request): Promise<T> {
  if (!worker) {
    worker = new CoreWorker();
    worker.onmessage = (e: MessageEvent<{ id: number; result?: unknown; error?: string }>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if (e.data.error !== undefined) p?.fail(new Error(e.data.error));
      else p?.ok(e.data.result);
    };
  }
  const id = nextId++;
  return new Promise<T>((ok, fail) => {
    pending.set(id, { ok: ok as (v: unknown) => void, fail });
    try {
      worker!.postMessage({ id, req });
    } catch (error) {
      pending.delete(id);
      fail(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

export const core = {
  course: (files: LessonFile[]) => call<Course>({ op: 'course', files }),
  /** Read stored or exported progress of any version; rejects with what is wrong. */
  progress: (text: string) => call<Progress>({ op: 'progress', text }),
  /** Whether `check` holds on `events` from index `since` on (earlier ones give context). */
  check: (check: Check, events: readonly TraceEvent[], since: number) =>
    call<boolean>({ op: 'check', check, events, since }),
};
