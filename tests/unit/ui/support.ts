/** Worlds for the view-builder tests: a scenario, lines typed on the laptop, time run on. */
import { emptyDoc } from '../../../src/store/doc';
import { LabRuntime } from '../../../src/store/runtime';
import { loadScenario } from '../../../src/store/scenarios';
import { parseScenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import type { ScenarioInput } from '../../../src/engine/scenario/schema';

export const LAPTOP = 'laptop.alpha.example';
export const AUTH_PLAIN = 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=';

export function submission(rcpt: string, subject = 'hello'): string[] {
  return [
    'telnet mail.alpha.example 587',
    'EHLO laptop.alpha.example',
    AUTH_PLAIN,
    'MAIL FROM:<alice@alpha.example>',
    `RCPT TO:<${rcpt}>`,
    'DATA',
    `Subject: ${subject}`,
    '',
    'Hi.',
    '.',
    'QUIT',
  ];
}

/** Run `lines` on the laptop in scenario `name` (or a variant of the default), then `more` ms. */
export function run(
  name: string | ScenarioInput,
  lines: readonly string[],
  more = 60_000,
): LabRuntime {
  const scenario =
    typeof name === 'string'
      ? loadScenario(name)
      : parseScenario({ ...defaultScenario, ...name }, 'test scenario');
  const rt = new LabRuntime(scenario, emptyDoc(scenario.name));
  for (const line of lines) rt.input(LAPTOP, `${line}\r`);
  rt.advanceTo(rt.now + more);
  return rt;
}
