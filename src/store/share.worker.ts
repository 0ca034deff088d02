/**
 * Replays a shared lab off the page's thread (./openShare.ts says why) and answers with
 * nothing, or with the reason it cannot be replayed. The page replays it again for real.
 */
import { preloadCommands } from '../shell/commands';
import type { LabDoc } from './doc';
import { LabRuntime } from './runtime';
import { scenarioFor } from './scenarios';

self.onmessage = async (e: MessageEvent<LabDoc>) => {
  await preloadCommands();
  try {
    const runtime = new LabRuntime(scenarioFor(e.data.scenario), e.data);
    runtime.runToEnd();
    self.postMessage({});
  } catch (error) {
    self.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
