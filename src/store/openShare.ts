/**
 * Opening the lab in the page's `#share=…` fragment (loaded only when there is one). The
 * link is decoded and checked (./share.ts), replayed once in a worker to make sure it
 * finishes in reasonable time — a command such as `ping -c 10000000` runs the world
 * synchronously once typed, and a link must not freeze the page — and then loaded like a
 * file. A refusal says why in the page's notices; the lab as it was keeps working.
 */
import type { LabDoc } from './doc';
import type { useLab } from './labStore';
import { decodeShare } from './share';
import ReplayWorker from './share.worker?worker';

/** Longest a shared lab may take to replay before it is refused. */
export const REPLAY_BUDGET_MS = 5000;

export async function openLink(lab: typeof useLab): Promise<void> {
  const fragment = location.hash;
  // The fragment has done its job: a reload or another link starts afresh.
  history.replaceState(null, '', location.pathname + location.search);
  const decoded = await decodeShare(fragment);
  let error = decoded.ok ? await replaysInTime(decoded.doc) : decoded.error;
  if (decoded.ok && !error) {
    await lab.getState().prepareReplay();
    error = lab.getState().load(decoded.doc, 'end');
  }
  if (error) lab.setState({ notice: `This share link was refused: ${error}` });
}

/** Replay `doc` in a worker; a reason to refuse it, or undefined when it finished in time. */
function replaysInTime(doc: LabDoc): Promise<string | undefined> {
  return new Promise((resolve) => {
    const worker = new ReplayWorker();
    const done = (reason: string | undefined) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(reason);
    };
    const timer = setTimeout(
      () => done(`it takes more than ${REPLAY_BUDGET_MS / 1000} s to replay.`),
      REPLAY_BUDGET_MS,
    );
    worker.onmessage = (e: MessageEvent<{ error?: string }>) => done(e.data.error);
    worker.onerror = (e) => done(`it could not be replayed (${e.message}).`);
    worker.postMessage(doc);
  });
}
