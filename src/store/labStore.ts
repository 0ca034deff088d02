/**
 * The UI's state: the lab document (scenario + inputs, plain data) and the runtime derived
 * from it, the playback clock, and counters that move when something visible changed, so
 * views re-derive what they show from the trace. No protocol logic lives here.
 *
 * - `version` moves when the world changed (trace, queues, mailboxes, terminals), at most
 *   once per animation frame while playing;
 * - `now` moves when virtual time moves (the timeline follows it every frame).
 */
import { create } from 'zustand';
import type { Scenario } from '../engine/scenario';
import type { TraceEvent } from '../engine/trace';
import { emptyDoc, parseDoc, type LabDoc } from './doc';
import { preloadCommands } from '../shell/commands';
import { LabRuntime } from './runtime';
import { hasScenario, loadScenario, scenarioFor } from './scenarios';

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8, 16] as const;

/** Work done per frame before handing the main thread back (virtual time then lags). */
export const FRAME_BUDGET_MS = 10;

/** A frame gap longer than this (a background tab) does not jump virtual time ahead. */
const MAX_FRAME_GAP_MS = 100;

/** The host whose terminal a lab opens with: the first workstation (the learner's laptop). */
export function firstHost(scenario: Scenario): string {
  return (scenario.hosts.find((h) => h.role === 'workstation') ?? scenario.hosts[0]!).name;
}

/** An xterm (or any screen) showing the terminal on one host. */
export interface TerminalView {
  write(text: string): void;
  /** Replace everything shown with `screen` (after stepping back, or on attach). */
  reset(screen: string): void;
}

export interface LabState {
  runtime: LabRuntime;
  scenario: string;
  /** The lab's own scenario (from a file, a link or the sandbox); undefined for a built-in. */
  custom: Scenario | undefined;
  version: number;
  generation: number;
  now: number;
  horizon: number;
  playing: boolean;
  speed: number;
  /** Something the learner should know (a refused import, an unknown scenario). */
  notice: string | undefined;

  input(host: string, data: string): void;
  openTerminal(host: string): void;
  /** Show `view` the terminal on `host` from now on; returns the detach function. */
  attachTerminal(host: string, view: TerminalView): () => void;
  resize(host: string, cols: number): void;
  play(): void;
  pause(): void;
  setSpeed(speed: number): void;
  stepForward(): void;
  stepBack(): void;
  /** Move to virtual time `t` (backwards by replay). */
  seek(t: number): void;
  /** Jump ahead to virtual time `t` and let what it sets going finish (a queue retry). */
  skipTo(t: number): void;
  /**
   * Load what replaying a document from outside needs first: programs that load on first
   * use (mail, swaks, dig…), whose commands would otherwise run later than typed. It never
   * fails: a program that cannot load says so when its command runs.
   */
  prepareReplay(): Promise<void>;
  /** Replace the lab by a document (validated); returns an error message or undefined. */
  load(input: unknown, at?: 'start' | 'end'): string | undefined;
  exportDoc(): LabDoc;
  /** A fresh lab on the same scenario (built-in or the lab's own). */
  reset(): void;
  dismissNotice(): void;
}

function initialScenario(): { name: string; notice: string | undefined } {
  const search = typeof location === 'undefined' ? '' : location.search;
  const asked = new URLSearchParams(search).get('scenario');
  if (!asked || asked === 'default') return { name: 'default', notice: undefined };
  if (hasScenario(asked)) return { name: asked, notice: undefined };
  return {
    name: 'default',
    notice: `There is no scenario called "${asked.slice(0, 60)}"; showing the default world.`,
  };
}

const now = () => (typeof performance === 'undefined' ? Date.now() : performance.now());

export const useLab = create<LabState>((set, get) => {
  const views = new Map<string, Set<TerminalView>>();
  let changed = false;
  let scheduled = false;
  let frame = 0;
  let lastFrame = 0;

  const hooks = {
    output(host: string, text: string) {
      changed = true;
      for (const view of views.get(host) ?? []) view.write(text);
    },
  };

  const start = initialScenario();
  const firstRuntime = new LabRuntime(loadScenario(start.name), emptyDoc(start.name), hooks);
  firstRuntime.open(firstHost(firstRuntime.scenario));
  /** The runtime whose screens the terminal views show. */
  let shownRuntime = firstRuntime;

  /** Tell views what changed; redraw terminals if the world was rebuilt. */
  const publish = (worldChanged: boolean) => {
    const s = get();
    const rt = s.runtime;
    const rebuilt = rt.generation !== s.generation || rt !== shownRuntime;
    shownRuntime = rt;
    if (rebuilt) {
      for (const [host, set] of views) for (const view of set) view.reset(rt.screen(host));
    }
    const patch: Partial<LabState> = { now: rt.now, horizon: rt.horizon };
    if (worldChanged || changed || rebuilt) {
      patch.version = s.version + 1;
      patch.generation = rt.generation;
    }
    changed = false;
    set(patch);
  };

  /** Coalesce updates made outside the frame loop into one per microtask. */
  const publishSoon = () => {
    changed = true;
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      publish(true);
    });
  };

  /** Keys typed while the lazily loaded command programs were still loading. */
  let waiting: [host: string, data: string][] | undefined;
  let programsReady = false;
  const loadPrograms = () =>
    preloadCommands().then(
      () => void (programsReady = true),
      // A chunk that fails to load (offline, no cache): the command reports it when run.
      () => void (programsReady = true),
    );
  // Fetch them as soon as the page is idle, so that nobody normally waits.
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void loadPrograms());

  const tick = (ts: number) => {
    frame = 0;
    const s = get();
    if (!s.playing) return;
    if (waiting) {
      // Time holds while typed keys wait for a command's program (see input).
      lastFrame = ts;
      frame = requestAnimationFrame(tick);
      return;
    }
    const gap = lastFrame ? Math.min(ts - lastFrame, MAX_FRAME_GAP_MS) : 0;
    lastFrame = ts;
    const rt = s.runtime;
    const before = rt.events.length;
    const generation = rt.generation;
    const deadline = now() + FRAME_BUDGET_MS;
    rt.advanceTo(rt.now + gap * s.speed, { deadline: () => now() > deadline });
    publish(rt.events.length !== before || rt.generation !== generation);
    frame = requestAnimationFrame(tick);
  };

  const startLoop = () => {
    if (frame || typeof requestAnimationFrame === 'undefined') return;
    lastFrame = 0;
    frame = requestAnimationFrame(tick);
  };

  const replace = (runtime: LabRuntime, custom: Scenario | undefined) => {
    if (waiting) waiting.length = 0; // keys typed into the lab being replaced
    set({ runtime, scenario: runtime.scenario.name, custom });
    publish(true);
  };

  // A share link (#share=…) is read in its own chunk, then loaded like a file.
  const openShared = () => {
    if (location.hash.startsWith('#share='))
      void import('./openShare').then((m) => m.openLink(useLab));
  };
  if (typeof location !== 'undefined') {
    queueMicrotask(openShared);
    addEventListener('hashchange', openShared);
  }

  const initialPlaying = typeof requestAnimationFrame !== 'undefined';
  if (initialPlaying) queueMicrotask(startLoop);

  return {
    runtime: firstRuntime,
    scenario: start.name,
    custom: undefined,
    version: 0,
    generation: firstRuntime.generation,
    now: 0,
    horizon: 0,
    playing: initialPlaying,
    speed: 1,
    notice: start.notice,

    input(host, data) {
      // A command whose program is still loading would start later than typed, and the
      // trace would differ from its own replay: until every program is in, keys wait
      // (in order) with virtual time held, then go in at the instant they were typed.
      if (waiting || (!programsReady && data.includes('\r'))) {
        if (!waiting) {
          waiting = [];
          void loadPrograms().then(() => {
            const keys = waiting ?? [];
            waiting = undefined;
            for (const [h, d] of keys) get().runtime.input(h, d);
            publishSoon();
          });
        }
        waiting.push([host, data]);
        return;
      }
      get().runtime.input(host, data);
      publishSoon();
    },
    openTerminal(host) {
      get().runtime.open(host);
      publishSoon();
    },
    attachTerminal(host, view) {
      let set = views.get(host);
      if (!set) views.set(host, (set = new Set()));
      set.add(view);
      view.reset(get().runtime.screen(host));
      return () => void set.delete(view);
    },
    resize(host, cols) {
      get().runtime.resize(host, cols);
    },
    play() {
      set({ playing: true });
      startLoop();
    },
    pause() {
      set({ playing: false });
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
    setSpeed(speed) {
      const valid = SPEEDS.find((s) => s === speed);
      if (valid !== undefined) set({ speed: valid });
    },
    stepForward() {
      get().pause();
      get().runtime.stepForward();
      publish(true);
    },
    stepBack() {
      get().pause();
      get().runtime.stepBack();
      publish(true);
    },
    seek(t) {
      get().runtime.seek(t);
      publish(true);
    },
    skipTo(t) {
      get().runtime.skipTo(t);
      publish(true);
    },
    prepareReplay: loadPrograms,
    load(input, at = 'end') {
      const parsed = parseDoc(input);
      if (!parsed.ok) return `This is not an SMTP Lab file: ${parsed.error}`;
      const { doc } = parsed;
      let scenario: Scenario;
      try {
        scenario = scenarioFor(doc.scenario);
      } catch (error) {
        return `The lab's world cannot be built: ${error instanceof Error ? error.message : String(error)}`;
      }
      const unknown = doc.inputs.find((r) => !scenario.hosts.some((h) => h.name === r.host));
      if (unknown)
        return `The lab types on ${unknown.host.slice(0, 80)}, which is not a host of scenario "${scenario.name.slice(0, 60)}".`;
      const runtime = new LabRuntime(scenario, doc, hooks);
      if (at === 'end') runtime.replaying(() => runtime.runToEnd());
      else runtime.seek(0, false);
      replace(runtime, typeof doc.scenario === 'string' ? undefined : scenario);
      return undefined;
    },
    exportDoc() {
      const { runtime, custom } = get();
      return { ...runtime.doc(), scenario: custom ?? runtime.scenario.name };
    },
    reset() {
      const { runtime: current, custom } = get();
      const runtime = new LabRuntime(
        current.scenario,
        emptyDoc(custom ?? current.scenario.name),
        hooks,
      );
      runtime.open(firstHost(runtime.scenario));
      replace(runtime, custom);
    },
    dismissNotice() {
      set({ notice: undefined });
    },
  };
});

/** The trace events, re-read whenever the world changes. */
export function useTrace(): readonly TraceEvent[] {
  useLab((s) => s.version);
  return useLab.getState().runtime.events;
}
