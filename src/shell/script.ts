/**
 * The `lab run` script form (DESIGN.md): each line is typed into the current terminal
 * followed by Enter; `#! host NAME` switches to a terminal on NAME, `#! wait DURATION`
 * advances virtual time. For demos (docs/demos.md), `#! caption TEXT` starts the next
 * caption and `#! pause` stops a presenter within one; headless runs print a caption as a
 * line "[caption] TEXT" and pass over pauses. Used headlessly by the CLI, by lesson checks,
 * by "show me" and by the demos.
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
  | { kind: 'wait'; ms: number; line: number }
  | { kind: 'caption'; text: string; line: number }
  | { kind: 'pause'; line: number };

/** The directives every script may use, as an error message lists them. */
export const SCRIPT_DIRECTIVES = [
  '#! host NAME',
  '#! wait DURATION',
  '#! caption TEXT',
  '#! pause',
] as const;

/** Lines of a script file (a final newline ends the last line, it does not add one). */
export function scriptLines(script: string): string[] {
  const lines = script.replace(/\r\n/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The directive name and its argument text of a `#!` line, or undefined for a typed line. */
export function directiveOf(text: string): { name: string; rest: string } | undefined {
  if (!text.startsWith('#!')) return undefined;
  const body = text.slice(2).trim();
  const space = body.search(/\s/);
  return space < 0
    ? { name: body, rest: '' }
    : { name: body.slice(0, space), rest: body.slice(space).trim() };
}

/** One line of a script (`line` is its 1-based number in `source`); errors name both. */
export function parseScriptLine(text: string, line: number, source: string): ScriptStep {
  const directive = directiveOf(text);
  if (!directive) return { kind: 'type', text, line };
  const { name, rest } = directive;
  const args = rest === '' ? [] : rest.split(/\s+/);
  const fail = (why: string) => new ScriptError(`${source}:${line}: ${why}`);
  switch (name) {
    case 'host':
      if (args.length !== 1) throw fail('"#! host" takes one host name');
      return { kind: 'host', host: args[0]!, line };
    case 'wait': {
      if (args.length !== 1) throw fail('"#! wait" takes one duration, such as 90s, 30m or 2h');
      const ms = parseDuration(args[0]!);
      if (ms === undefined) throw fail(`bad duration "${args[0]}" (such as 90s, 30m or 2h)`);
      return { kind: 'wait', ms, line };
    }
    case 'caption':
      if (rest === '') throw fail('"#! caption" needs the text to show');
      return { kind: 'caption', text: rest, line };
    case 'pause':
      if (rest !== '') throw fail('"#! pause" takes no arguments');
      return { kind: 'pause', line };
    default:
      throw fail(
        `unknown directive "${text}" (use ${SCRIPT_DIRECTIVES.slice(0, -1)
          .map((d) => `"${d}"`)
          .join(', ')} or "${SCRIPT_DIRECTIVES.at(-1)}")`,
      );
  }
}

/** Parse a script; errors name the source and line. */
export function parseScript(script: string, source: string): ScriptStep[] {
  return scriptLines(script).map((text, i) => parseScriptLine(text, i + 1, source));
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
    this.runSteps(parseScript(script, source), source);
  }

  /** Type parsed steps (`source` names them in errors). */
  runSteps(steps: readonly ScriptStep[], source: string): void {
    for (const step of steps) {
      if (step.kind === 'type') this.terminal().type(step.text);
      else if (step.kind === 'wait') {
        // Like a typed line: what the wait set going (a retry) runs to its end.
        this.lab.world.advance(step.ms);
        this.lab.world.settle();
      } else if (step.kind === 'host') {
        if (!this.lab.world.host(step.host)) {
          throw new ScriptError(
            `${source}:${step.line}: no host named "${step.host}" in this scenario`,
          );
        }
        this.host = step.host;
        this.section(`== ${this.host} ==\n`);
      } else if (step.kind === 'caption') {
        this.section(`[caption] ${step.text}\n`);
      }
      // A pause only stops a presenter; headless runs go straight on.
    }
  }

  /** The plain text the terminals showed so far. */
  output(): string {
    return this.sections
      .filter((s, i) => i > 0 || s.screen.text() !== '')
      .map(({ header, screen }) => header + screen.text() + '\n')
      .join('');
  }

  /** Start a new section of output under `header`, on the current host. */
  private section(header: string): void {
    this.sections.push({ header, screen: new Screen() });
    // A terminal already open on this host shows its prompt again in the new section.
    this.terminals.get(this.host)?.redrawPrompt();
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
