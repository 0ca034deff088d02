/**
 * Checking a demo headlessly (`lab demos check`, the unit tests): a fresh lab on the demo's
 * scenario, every caption typed in turn as `lab run` would, and each `#! expect` evaluated
 * where it stands against the events recorded since its caption began.
 */
import { parse as parseYaml } from 'yaml';
import { builtInScenario } from '../engine/scenario';
import { describeCheck, evaluateCheck, parseCheck, type Check } from '../lessons/check';
import { formatIssue } from '../lessons/issues';
import { Lab } from '../shell/lab';
import { ScriptError, ScriptRunner, type ScriptStep } from '../shell/script';
import type { Demo } from './demo';

export interface DemoFailure {
  line: number;
  message: string;
}

export interface DemoRun {
  failure?: DemoFailure;
  /** What the terminals showed, captions included. */
  output: string;
  /** How many expectations held. */
  passed: number;
}

/** Parse an expectation: a check of the lesson language written as one line of YAML. */
export function parseExpectation(text: string): { check: Check } | { error: string } {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    return { error: `not YAML: ${error instanceof Error ? error.message.split('\n')[0] : error}` };
  }
  const { check, issues } = parseCheck(value);
  if (check) return { check };
  return { error: issues.map(formatIssue).join('; ') };
}

export function runDemo(demo: Demo): DemoRun {
  const lab = new Lab(builtInScenario(demo.scenario));
  const runner = new ScriptRunner(lab);
  const events = lab.world.trace.events;
  let passed = 0;
  const fail = (line: number, message: string): DemoRun => ({
    failure: { line, message },
    output: runner.output(),
    passed,
  });
  const at = (line: number, why: string) => fail(line, `${demo.file}:${line}: ${why}`);
  for (const caption of demo.captions) {
    const since = events.length;
    runner.runSteps([{ kind: 'caption', text: caption.text, line: caption.line }], demo.file);
    for (const step of caption.parts.flat()) {
      if (step.kind !== 'expect') {
        try {
          runner.runSteps([step satisfies ScriptStep], demo.file);
        } catch (error) {
          if (error instanceof ScriptError) return fail(step.line, error.message);
          throw error;
        }
        continue;
      }
      const parsed = parseExpectation(step.check);
      if ('error' in parsed) return at(step.line, `bad expectation: ${parsed.error}`);
      if (!evaluateCheck(parsed.check, events, since)) {
        return at(
          step.line,
          `expected ${describeCheck(parsed.check)}, but it did not happen under the caption "${caption.text}"`,
        );
      }
      passed++;
    }
  }
  return { output: runner.output(), passed };
}
