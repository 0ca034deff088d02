/**
 * The `lab run` script form (DESIGN.md): each line is typed into the current terminal
 * followed by Enter; `#! host NAME` switches to a terminal on NAME, `#! wait DURATION`
 * advances virtual time. Used headlessly by the CLI, by lesson checks and by "show me".
 */
import type { Lab } from './lab';
import { Screen } from './screen';
import type { TerminalSession } from './terminal';

export class ScriptError extends Error {}

/** "90s", "30m", "2h", "500ms" → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? 's']!;
  return Number(m[1]) * unit;
}

export type ScriptStep =
  | { kind: 'type'; text: string; line: number }
  | { kind: 'host'; host: string; line: number }
  | { kind: 'wait'; ms: number; line: number };

/** Parse a script; errors name the source and line. */
export function parseScript(script: string, source: string): ScriptStep[] {
  const steps: ScriptStep[] = [];
  const lines = script.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((text, i) => {
    const line = i + 1;
    if (!text.startsWith('#!')) {
      steps.push({ kind: 'type', text, line });
      return;
    }
    const [directive, ...args] = text.slice(2).trim().split(/\s+/);
    if (directive === 'host' && args.length === 1)
      steps.push({ kind: 'host', host: args[0]!, line });
    else if (directive === 'wait' && args.length === 1) {
      const ms = parseDuration(args[0]!);
      if (ms === undefined) throw new ScriptError(`${source}:${line}: bad duration "${args[0]}"`);
      steps.push({ kind: 'wait', ms, line });
    } else {
      throw new ScriptError(
        `${source}:${line}: unknown directive "${text}" (use "#! host NAME" or "#! wait DURATION")`,
      );
    }
  });
  return steps;
}

/** Run a script against `lab` and return the plain text the terminals showed. */
export function runScript(lab: Lab, script: string, source: string): string {
  const steps = parseScript(script, source);
  const firstHost =
    lab.world.scenario.hosts.find((h) => h.role === 'workstation') ?? lab.world.scenario.hosts[0]!;
  const screens: { host: string; screen: Screen }[] = [];
  const terminals = new Map<string, TerminalSession>();

  const terminalFor = (host: string, announce: boolean): TerminalSession => {
    let terminal = terminals.get(host);
    const screen = new Screen();
    screens.push({ host: announce ? host : '', screen });
    if (terminal) {
      // Output of an existing terminal continues in a new section.
      const current = terminal;
      sinks.set(current, screen);
      return current;
    }
    terminal = lab.open(host, (text) => sinks.get(terminal!)!.write(text), { color: false });
    sinks.set(terminal, screen);
    terminals.set(host, terminal);
    terminal.start();
    return terminal;
  };
  const sinks = new Map<TerminalSession, Screen>();

  let current = terminalFor(firstHost.name, false);
  for (const step of steps) {
    if (step.kind === 'type') current.type(step.text);
    else if (step.kind === 'wait') lab.world.advance(step.ms);
    else {
      if (!lab.world.host(step.host)) {
        throw new ScriptError(
          `${source}:${step.line}: no host named "${step.host}" in this scenario`,
        );
      }
      current = terminalFor(step.host, true);
    }
  }
  return screens
    .map(({ host, screen }) => (host ? `== ${host} ==\n` : '') + screen.text() + '\n')
    .join('');
}
