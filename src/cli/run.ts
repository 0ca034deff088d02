/** `lab run`: type a script into simulated terminals and print what they show. */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../engine/scenario';
import { Lab } from '../shell/lab';
import { runScript, ScriptError } from '../shell/script';
import { loadScenario, UsageError, writeTrace } from './common';

interface RunOptions {
  scenario: string;
  seed?: number;
  trace?: string;
  script?: string;
}

export function parseRunArgs(args: string[]): RunOptions {
  const options: RunOptions = { scenario: 'default' };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--scenario') options.scenario = value();
    else if (arg === '--seed') {
      const v = value();
      if (!/^\d+$/.test(v)) throw new UsageError(`--seed must be a whole number, not "${v}"`);
      options.seed = Number(v);
    } else if (arg === '--trace') options.trace = value();
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg}`);
    else if (options.script === undefined) options.script = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  return options;
}

export async function runCommand(args: string[]): Promise<number> {
  let options: RunOptions;
  let scenario: Scenario;
  let script: string;
  try {
    options = parseRunArgs(args);
    scenario = loadScenario(options.scenario);
    if (options.seed !== undefined) scenario = { ...scenario, seed: options.seed };
    script =
      options.script && options.script !== '-'
        ? readFileSync(options.script, 'utf8')
        : readFileSync(0, 'utf8');
  } catch (error) {
    process.stderr.write(`lab run: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  const lab = new Lab(scenario);
  let output: string;
  try {
    output = runScript(lab, script, options.script ?? 'stdin');
  } catch (error) {
    if (error instanceof ScriptError) {
      process.stderr.write(`lab run: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  process.stdout.write(output);
  if (options.trace) writeTrace(options.trace, lab.world.trace.events);
  return 0;
}
