/** Helpers for the shell tests: labs, scripts, and terminals with a screen. */
import { parseScenario, type ScenarioInput } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import { Lab } from '../../../src/shell/lab';
import { runScript } from '../../../src/shell/script';
import { Screen } from '../../../src/shell/screen';
import type { TerminalOptions } from '../../../src/shell/terminal';

export function lab(extra: Partial<ScenarioInput> = {}): Lab {
  return new Lab(parseScenario({ ...defaultScenario, ...extra }, 'test scenario'));
}

/** Type `lines` headlessly (as `lab run` does) and return what the terminals show. */
export function run(lines: string | string[], on: Lab = lab()): string {
  return runScript(on, typeof lines === 'string' ? lines : lines.join('\n') + '\n', 'test');
}

/** Expected screen text, one argument per line. */
export function screen(...lines: string[]): string {
  return lines.join('\n') + '\n';
}

/** A live (not headless) terminal on `host`, drawing on an 80-column screen. */
export function terminal(
  host = 'laptop.alpha.example',
  options: TerminalOptions = {},
  on: Lab = lab(),
) {
  const view = new Screen(80);
  const raw: string[] = [];
  const session = on.open(
    host,
    (text) => {
      raw.push(text);
      view.write(text);
    },
    { color: false, ...options },
  );
  session.start();
  return { lab: on, session, screen: view, raw };
}

/** The screen of the MX beta.example SMTP session that leaves one message for bob. */
export const SEND_TO_BOB = [
  'telnet mx1.beta.example 25',
  'HELO laptop.alpha.example',
  'MAIL FROM:<alice@alpha.example>',
  'RCPT TO:<bob@beta.example>',
  'DATA',
  'Subject: hi',
  '',
  'From here on, hello.',
  '.',
  'QUIT',
];
