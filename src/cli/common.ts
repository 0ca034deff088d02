/** What the `lab` commands share: usage errors and loading a scenario by name or file. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  builtInScenario,
  loadScenario as validateScenario,
  type Scenario,
} from '../engine/scenario';
import type { TraceEvent } from '../engine/trace';

export const BRIDGE_USAGE =
  'usage: lab bridge [--scenario NAME|FILE] [--listen 127.0.0.1:2525] [--to HOST:PORT] [--trace OUT.jsonl]';

/** Invalid command-line input: the command prints the message and exits with code 2. */
export class UsageError extends Error {}

/** A built-in scenario by name, or a scenario JSON file. */
export function loadScenario(nameOrFile: string): Scenario {
  if (!nameOrFile.endsWith('.json') && !existsSync(nameOrFile)) return builtInScenario(nameOrFile);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch (error) {
    throw new UsageError(
      `${nameOrFile}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return validateScenario(data, nameOrFile);
}

/** `--trace OUT.jsonl`: one JSON object per event, one per line. */
export function writeTrace(path: string, events: readonly TraceEvent[]): void {
  writeFileSync(path, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
}
