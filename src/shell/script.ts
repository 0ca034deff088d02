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
  const runner = new ScriptRunner(lab);
  runner.run(script, source);
  return runner.output();
}

/**
 * Types scripts into one lab, one after another, as a learner would: each terminal, and
 * the host being typed on, carry over from one script to the next (a lesson's solutions,
 * played step by step).
 */
export class ScriptRunner {
  // Each `#! host` starts a new section of output; a terminal keeps its session across them.
  private readonly sections: { header: string; screen: Screen }[] = [
    { header: '', screen: new Screen() },
  ];
  private readonly terminals = new Map<string, TerminalSession>();
  private host: string;

  constructor(private readonly lab: Lab) {
    const hosts = lab.world.scenario.hosts;
    this.host = (hosts.find((h) => h.role === 'workstation') ?? hosts[0]!).name;
  }

  /** Parse `script` whole (errors name `source` and the line), then type it. */
  run(script: string, source: string): void {
    for (const step of parseScript(script, source)) {
      if (step.kind === 'type') this.terminal().type(step.text);
      else if (step.kind === 'wait') {
        // Like a typed line: what the wait set going (a retry) runs to its end.
        this.lab.world.advance(step.ms);
        this.lab.world.settle();
      } else {
        if (!this.lab.world.host(step.host)) {
          throw new ScriptError(
            `${source}:${step.line}: no host named "${step.host}" in this scenario`,
          );
        }
        this.host = step.host;
        this.sections.push({ header: `== ${this.host} ==\n`, screen: new Screen() });
        // A terminal already open on this host shows its prompt again in the new section.
        this.terminals.get(this.host)?.redrawPrompt();
      }
    }
  }

  /** The plain text the terminals showed so far. */
  output(): string {
    return this.sections
      .filter((s, i) => i > 0 || s.screen.text() !== '')
      .map(({ header, screen }) => header + screen.text() + '\n')
      .join('');
  }

  private terminal(): TerminalSession {
    let t = this.terminals.get(this.host);
    if (!t) {
      t = this.lab.open(this.host, (text) => this.sections.at(-1)!.screen.write(text), {
        color: false,
        headless: true,
      });
      this.terminals.set(this.host, t);
      t.start();
    }
    return t;
  }
}
