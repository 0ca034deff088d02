/**
 * The running lab behind the UI, derived from a LabDoc: a world, one terminal session per
 * host, and a cursor in virtual time. The state at time T is "the scenario replayed with
 * the inputs up to T": moving forward runs the world (applying recorded inputs when their
 * time comes), moving back builds a fresh world and replays. No DOM, no React: the store
 * drives it and tests run it in Node.
 *
 * Determinism rules (so that live use and replay give the same trace, byte for byte):
 * - an input is applied only once every task and timer due at or before its time has run
 *   (`input()` catches up first, replay orders ties task → timer → input);
 * - terminals never settle the world themselves (`afterLine` is a no-op); the runtime
 *   settles after a live input through `advanceTo`, which a replay passes through too;
 * - the shell's "real time" (continuous ping) runs on virtual time, as timers of this
 *   runtime, so it replays like everything else.
 */
import type { Millis } from '../engine/clock';
import type { Scenario } from '../engine/scenario';
import type { TraceEvent } from '../engine/trace';
import { SETTLE_QUIET } from '../engine/world';
import { Lab } from '../shell/lab';
import type { RealTime } from '../shell/program';
import type { TerminalSession } from '../shell/terminal';
import { DOC_FORMAT, isPlainTyping, type InputRecord, type LabDoc } from './doc';

/** Output kept per terminal (at least; up to a quarter more) to redraw its screen. */
export const SCREEN_LIMIT = 512 * 1024;

/** Guard against a world that never stops scheduling at the same instant. */
const MAX_STEPS = 20_000_000;

export interface RuntimeHooks {
  /** A terminal printed `text` (not called while a rebuild replays). */
  output?(host: string, text: string): void;
}

interface Timer {
  due: Millis;
  seq: number;
  run: () => void;
  cancelled: boolean;
}

export interface FutureMark {
  t: Millis;
  kind: 'retry' | 'input';
  host: string;
  /** Queue id for a retry. */
  queueId?: string;
  label: string;
}

export class LabRuntime {
  lab!: Lab;
  /** Inputs of the document; those at index ≥ `applied` are the recorded future. */
  private inputs: InputRecord[];
  /** How many inputs the current world has received. */
  applied = 0;
  /** The furthest virtual time this document has been run to. */
  horizon: Millis = 0;
  /** Bumped whenever the world is rebuilt (views drop what they derived from the old one). */
  generation = 0;
  private sessions = new Map<string, TerminalSession>();
  private screens = new Map<string, string>();
  private cols = new Map<string, number>();
  private timers: Timer[] = [];
  private timerSeq = 0;
  private rebuilding = false;
  /** Per host: the shell history its terminal starts with (kept over rebuilds). */
  private histories = new Map<string, readonly string[]>();
  private readonly realTime: RealTime = {
    after: (ms, run) => {
      const timer: Timer = {
        due: this.now + Math.max(0, ms),
        seq: this.timerSeq++,
        run,
        cancelled: false,
      };
      let i = this.timers.length;
      while (i > 0 && before(timer, this.timers[i - 1]!)) i--;
      this.timers.splice(i, 0, timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
  };

  constructor(
    readonly scenario: Scenario,
    doc: LabDoc,
    private readonly hooks: RuntimeHooks = {},
  ) {
    this.inputs = doc.inputs.map((r) => ({ ...r }));
    for (const [host, lines] of Object.entries(doc.history ?? {})) this.histories.set(host, lines);
    this.build();
  }

  get now(): Millis {
    return this.lab.world.clock.now;
  }

  get events(): readonly TraceEvent[] {
    return this.lab.world.trace.events;
  }

  /** The document: scenario and every input, including the recorded future. */
  doc(): LabDoc {
    const doc: LabDoc = {
      format: DOC_FORMAT,
      scenario: this.scenario.name,
      inputs: this.inputs.map((r) => ({ ...r })),
    };
    if (this.histories.size > 0) {
      doc.history = Object.fromEntries([...this.histories].map(([h, lines]) => [h, [...lines]]));
    }
    return doc;
  }

  allInputs(): readonly InputRecord[] {
    return this.inputs;
  }

  /** Inputs recorded after the current moment (replayed when time reaches them). */
  futureInputs(): readonly InputRecord[] {
    return this.inputs.slice(this.applied);
  }

  /** Hosts with a terminal open at the current moment. */
  openHosts(): string[] {
    return [...this.sessions.keys()];
  }

  terminal(host: string): TerminalSession | undefined {
    return this.sessions.get(host);
  }

  /** Everything the terminal on `host` printed so far (capped), to redraw its screen. */
  screen(host: string): string {
    return this.screens.get(host) ?? '';
  }

  resize(host: string, cols: number): void {
    this.cols.set(host, cols);
    this.sessions.get(host)?.resize(cols);
  }

  /** Open a terminal on `host` now (recorded, so a replay opens it at the same moment). */
  open(host: string): TerminalSession {
    const existing = this.sessions.get(host);
    if (existing) return existing;
    if (!this.lab.world.host(host)) throw new Error(`no host named ${host}`);
    // Opening changes nothing in the world, so it does not cut off the recorded future.
    this.inputs.splice(this.applied, 0, { t: this.now, host, data: '' });
    this.applied++;
    return this.session(host);
  }

  /**
   * Keys typed now on `host`. Typing while looking at the past replaces the recorded
   * future: the inputs after this moment are dropped.
   */
  input(host: string, data: string): void {
    if (!this.lab.world.host(host)) throw new Error(`no host named ${host}`);
    if (this.applied < this.inputs.length) this.inputs.length = this.applied;
    this.advanceTo(this.now); // anything due at this instant runs before the keys
    this.horizon = this.now;
    const last = this.inputs[this.inputs.length - 1];
    if (
      last &&
      last.t === this.now &&
      last.host === host &&
      isPlainTyping(last.data) &&
      isPlainTyping(data)
    ) {
      last.data += data;
      this.session(host).input(data);
    } else {
      const record = { t: this.now, host, data };
      this.inputs.push(record);
      this.apply(record);
    }
    this.settle();
  }

  /**
   * Run the world to virtual time `until`: due tasks, this runtime's timers and recorded
   * inputs in time order (ties: task, timer, input). `inclusive` false leaves inputs at
   * exactly `until` unapplied. With a deadline, stops between instants once it says so
   * and returns false (the caller continues next frame).
   */
  advanceTo(
    until: Millis,
    options: { inclusive?: boolean; deadline?: () => boolean } = {},
  ): boolean {
    const inclusive = options.inclusive ?? true;
    const clock = this.lab.world.clock;
    for (let steps = 0; ; steps++) {
      if (steps > MAX_STEPS) throw new Error('the world did not stop running');
      while (this.timers[0]?.cancelled) this.timers.shift();
      const task = clock.nextDue();
      const timer = this.timers[0]?.due;
      const input = this.inputs[this.applied];
      const inputAt =
        input && (inclusive ? input.t <= until : input.t < until) ? input.t : undefined;
      let next: 'task' | 'timer' | 'input' | undefined;
      let at = Infinity;
      if (task !== undefined && task <= until) {
        next = 'task';
        at = task;
      }
      if (timer !== undefined && timer <= until && timer < at) {
        next = 'timer';
        at = timer;
      }
      if (inputAt !== undefined && inputAt < at) {
        next = 'input';
        at = inputAt;
      }
      if (!next) break;
      if (options.deadline && at > clock.now && options.deadline()) {
        this.horizon = Math.max(this.horizon, this.now);
        return false;
      }
      if (next === 'task') {
        clock.step();
      } else if (next === 'timer') {
        const due = this.timers.shift()!;
        if (at > clock.now) clock.runUntil(at);
        due.run();
      } else {
        if (at > clock.now) clock.runUntil(at);
        this.apply(input!);
      }
    }
    if (until > clock.now) clock.runUntil(until);
    this.horizon = Math.max(this.horizon, this.now);
    return true;
  }

  /** Move to virtual time `t`: forward by running, backward by rebuilding and replaying. */
  seek(t: Millis, inclusive = true): void {
    const target = Math.max(0, t);
    const appliedAtTarget = this.applied > 0 && this.inputs[this.applied - 1]!.t >= target;
    if (target < this.now || (!inclusive && appliedAtTarget)) {
      this.build();
      this.replaying(() => this.advanceTo(target, { inclusive }));
    } else {
      this.advanceTo(target, { inclusive });
    }
  }

  /** The next instant something happens (a task, a timer, a recorded input), if any. */
  nextMoment(): Millis | undefined {
    const candidates = [
      this.lab.world.clock.nextDue(),
      this.timers.find((t) => !t.cancelled)?.due,
      this.inputs[this.applied]?.t,
    ].filter((t): t is number => t !== undefined);
    return candidates.length ? Math.min(...candidates) : undefined;
  }

  /**
   * Run forward to `t` (an earlier `t` changes nothing), then until nothing is due soon:
   * a jump ahead, as `sleep` and `#! wait` make.
   */
  skipTo(t: Millis): void {
    this.advanceTo(t);
    this.settle();
  }

  /**
   * Start the terminal on `host` with `lines` as its shell history (a lesson's earlier
   * visit). Only while nothing was typed there, so that a replay, which starts the
   * terminal the same way, recalls the same lines; returns whether it was taken.
   */
  restoreHistory(host: string, lines: readonly string[]): boolean {
    if (!this.lab.world.host(host) || this.inputs.some((r) => r.host === host && r.data)) {
      return false;
    }
    this.histories.set(host, lines);
    this.sessions.get(host)?.restoreHistory(lines);
    return true;
  }

  /** Run exactly the next instant at which something happens. */
  stepForward(): boolean {
    const next = this.nextMoment();
    if (next === undefined) return false;
    this.advanceTo(next);
    return true;
  }

  /** Whether there is an earlier state to step back to. */
  canStepBack(): boolean {
    return this.events.length > 0 || this.applied > 0;
  }

  /**
   * Go back to the previous instant that had events (rebuilding by replay); from the
   * first one, back to before the first input.
   */
  stepBack(): void {
    const events = this.events;
    const count = events.length;
    const origin = () => this.seek(this.inputs[0]?.t ?? 0, false);
    if (count === 0) return origin();
    const last = events[count - 1]!.t;
    const i = firstAtOrAfter(events, last);
    if (i === 0) return origin();
    this.seek(events[i - 1]!.t);
    // A command that does not read the terminal (ping -c, dig, sleep) runs the world until
    // it finishes, within its input: no state inside that span exists. Go to before it.
    if (this.events.length >= count && this.applied > 0) {
      this.seek(this.inputs[this.applied - 1]!.t, false);
    }
  }

  /** Queued messages' next attempts and the recorded inputs still ahead. */
  futureMarks(): FutureMark[] {
    const marks: FutureMark[] = [];
    const now = this.now;
    for (const host of this.scenario.hosts) {
      for (const entry of this.lab.world.mta(host.name)?.entries() ?? []) {
        if (entry.nextAttempt !== null && entry.nextAttempt > now) {
          marks.push({
            t: entry.nextAttempt,
            kind: 'retry',
            host: host.name,
            queueId: entry.id,
            label: `${host.name}: retry ${entry.id}`,
          });
        }
      }
    }
    for (const input of this.futureInputs()) {
      marks.push({
        t: input.t,
        kind: 'input',
        host: input.host,
        label: input.data === '' ? `terminal opened on ${input.host}` : `typing on ${input.host}`,
      });
    }
    return marks.sort((a, b) => a.t - b.t);
  }

  /** After a live input: run until nothing is due within SETTLE_QUIET (as world.settle()). */
  private settle(): void {
    const clock = this.lab.world.clock;
    for (let i = 0; i < MAX_STEPS; i++) {
      const due = clock.nextDue();
      if (due === undefined || due > clock.now + SETTLE_QUIET) return;
      this.advanceTo(due);
    }
    throw new Error('the world did not settle');
  }

  private apply(record: InputRecord): void {
    this.applied++;
    if (!this.lab.world.host(record.host)) return; // validated on load; never throws mid-replay
    const session = this.session(record.host);
    if (record.data !== '') session.input(record.data);
  }

  private session(host: string): TerminalSession {
    let session = this.sessions.get(host);
    if (session) return session;
    session = this.lab.open(host, (text) => this.print(host, text), {
      afterLine: () => {},
      realTime: this.realTime,
      cols: this.cols.get(host) ?? 80,
    });
    this.sessions.set(host, session);
    const history = this.histories.get(host);
    if (history) session.restoreHistory(history);
    session.start();
    return session;
  }

  private print(host: string, text: string): void {
    let screen = (this.screens.get(host) ?? '') + text;
    // Cut back to the limit only once a quarter more has piled up, so long output (ping
    // -c 10000) costs one copy per quarter of the limit, not one per line.
    if (screen.length > SCREEN_LIMIT * 1.25) {
      const cut = screen.indexOf('\n', screen.length - SCREEN_LIMIT);
      screen = screen.slice(cut < 0 ? screen.length - SCREEN_LIMIT : cut + 1);
    }
    this.screens.set(host, screen);
    if (!this.rebuilding) this.hooks.output?.(host, text);
  }

  /** A fresh world at time 0 with no input applied. */
  private build(): void {
    this.rebuilding = true;
    this.lab = new Lab(this.scenario);
    this.sessions = new Map();
    this.screens = new Map();
    this.timers = [];
    this.applied = 0;
    this.generation++;
    this.rebuilding = false;
  }

  /** Run the rest of a document that was just loaded: every input, then settle. */
  runToEnd(): void {
    const last = this.inputs[this.inputs.length - 1];
    if (last) this.advanceTo(last.t);
    this.settle();
  }

  /** Mark output produced from here on as a replay (no live hooks) or live again. */
  replaying<T>(run: () => T): T {
    const was = this.rebuilding;
    this.rebuilding = true;
    try {
      return run();
    } finally {
      this.rebuilding = was;
    }
  }
}

function before(a: Timer, b: Timer): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Index of the first event at or after time `t` (events are in time order). */
export function firstAtOrAfter(events: readonly TraceEvent[], t: Millis): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
