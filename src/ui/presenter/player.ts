/**
 * Plays a demo into the lab, caption by caption, the way a person would: every command is
 * typed key by key through the lab store's `input` (so the recorded lab and its trace are
 * the real ones), at a pace that follows the playback speed, and holds while virtual time
 * is paused. A caption may be cut into parts by `#! pause`; each press of "next" plays one
 * part. "Back" returns the world to the start of a part (by replay) so it can be typed
 * again.
 */
import { create } from 'zustand';
import type { Demo, DemoStep } from '../../demos/demo';
import { emptyDoc } from '../../store/doc';
import { firstHost, useLab } from '../../store/labStore';
import { useLayout } from '../../store/layout';

/** One press of "next": a caption, or the part of one after a `#! pause`. */
export interface Segment {
  caption: number;
  part: number;
  steps: DemoStep[];
  /** The host being typed on when it starts. */
  host: string;
}

/** Milliseconds at 1×: per key, after a line (time to read the reply), after a host switch. */
export const PACE = { key: 55, line: 700, host: 400 };

export function segmentsOf(demo: Demo, startHost: string): Segment[] {
  const segments: Segment[] = [];
  let host = startHost;
  demo.captions.forEach((caption, c) =>
    caption.parts.forEach((steps, part) => {
      segments.push({ caption: c, part, steps, host });
      for (const step of steps) if (step.kind === 'host') host = step.host;
    }),
  );
  return segments;
}

export interface PlayerState {
  demo: Demo | undefined;
  segments: Segment[];
  /** The segment "next" plays. */
  next: number;
  /** The caption shown (-1: the title, before the first). */
  caption: number;
  /** Typing is under way. */
  typing: boolean;
  /** Virtual time at which each segment played so far began. */
  starts: number[];
  /** Why the demo's world could not be built. */
  error: string | undefined;
  /** Load `demo`'s scenario afresh and show its title. */
  start(demo: Demo): void;
  /** Play the next segment; while typing, finish typing it at once. */
  advance(): void;
  /** Back to the start of the segment shown (again: of the one before), paused. */
  back(): void;
  /** Stop typing (the world is about to be moved by hand). */
  interrupt(): void;
  /** Stop typing and forget the demo (presenter mode closed). */
  stop(): void;
}

interface Run {
  segment: number;
  stopped: boolean;
  hurry: boolean;
}

export function createPlayer(sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  let run: Run | undefined;

  /** Show `host`'s terminal (the presenter's terminal follows the layout's active one). */
  const show = (host: string) => {
    const lab = useLab.getState();
    lab.openTerminal(host);
    const layout = useLayout.getState();
    layout.showTerminal(host, layout.terminals.length ? layout.terminals : [host]);
  };

  /** Wait `ms` at 1× (less when faster); hold while virtual time is paused. */
  const wait = async (current: Run, ms: number) => {
    if (!current.hurry && !current.stopped) await sleep(ms / useLab.getState().speed);
    while (!useLab.getState().playing && !current.stopped && !current.hurry) await sleep(50);
  };

  return create<PlayerState>((set, get) => {
    const play = async (k: number) => {
      const segment = get().segments[k]!;
      const lab = useLab.getState();
      const { runtime } = lab;
      // Start where this part began before, or where the lab got to before stepping back.
      const from =
        get().starts[k] ?? (runtime.futureInputs().length > 0 ? runtime.horizon : undefined);
      if (from !== undefined && from !== runtime.now) lab.seek(from);
      // Typing this part again: what was recorded after its start goes. An empty input (as
      // opening a terminal records) drops the recorded future, as any typing would.
      if (useLab.getState().runtime.futureInputs().length > 0) lab.input(segment.host, '');
      if (!useLab.getState().playing) lab.play();
      const t = useLab.getState().runtime.now;
      // The first key comes a moment after the start, so that "back" can return to it exactly.
      lab.seek(t + 1);
      const current: Run = { segment: k, stopped: false, hurry: false };
      run = current;
      set({
        next: k + 1,
        caption: segment.caption,
        typing: true,
        starts: [...get().starts.slice(0, k), t],
      });
      let host = segment.host;
      show(host);
      for (const step of segment.steps) {
        if (current.stopped) break;
        const store = useLab.getState();
        if (step.kind === 'host') {
          host = step.host;
          show(host);
          await wait(current, PACE.host);
        } else if (step.kind === 'wait') {
          store.skipTo(store.runtime.now + step.ms);
          await wait(current, PACE.line);
        } else if (step.kind === 'type') {
          for (let i = 0; i < step.text.length && !current.stopped; i++) {
            if (current.hurry) {
              useLab.getState().input(host, step.text.slice(i));
              break;
            }
            useLab.getState().input(host, step.text[i]!);
            await wait(current, PACE.key);
          }
          if (current.stopped) break;
          useLab.getState().input(host, '\r');
          await wait(current, PACE.line);
        }
      }
      if (run === current) {
        run = undefined;
        set({ typing: false });
      }
    };

    return {
      demo: undefined,
      segments: [],
      next: 0,
      caption: -1,
      typing: false,
      starts: [],
      error: undefined,
      start(demo) {
        get().interrupt();
        const error = useLab.getState().load(emptyDoc(demo.scenario), 'end');
        if (error) return set({ demo, segments: [], next: 0, caption: -1, starts: [], error });
        const host = firstHost(useLab.getState().runtime.scenario);
        show(host);
        set({
          demo,
          segments: segmentsOf(demo, host),
          next: 0,
          caption: -1,
          starts: [],
          error: undefined,
        });
      },
      advance() {
        if (run) run.hurry = true;
        else if (get().next < get().segments.length) void play(get().next);
      },
      back() {
        get().interrupt();
        const { next, starts, segments } = get();
        const lab = useLab.getState();
        // Within a part that was started: back to its start; at its start: the one before.
        const started = starts[next];
        const k = started !== undefined && lab.runtime.now !== started ? next : next - 1;
        if (k < 0 || starts[k] === undefined) return;
        lab.pause();
        lab.seek(starts[k]!);
        show(segments[k]!.host);
        set({ next: k, caption: segments[k]!.caption });
      },
      stop() {
        get().interrupt();
        set({ demo: undefined, segments: [], next: 0, caption: -1, starts: [], error: undefined });
      },
      interrupt() {
        if (!run) return;
        run.stopped = true;
        // A part cut short is played again, from its start, by the next "next".
        set({ typing: false, next: run.segment });
        run = undefined;
      },
    };
  });
}
