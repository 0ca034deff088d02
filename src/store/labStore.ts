/**
 * The UI's state: one lab (world and terminals) and a version counter that moves whenever
 * the trace grows, so views re-derive what they show from the trace. No protocol logic.
 */
import { create } from 'zustand';
import type { TraceEvent } from '../engine/trace';
import { Lab } from '../shell/lab';
import type { TerminalSession } from '../shell/terminal';

export interface LabState {
  lab: Lab;
  /** Trace length last published; views read `lab.world.trace.events`. */
  traceLength: number;
  /** The terminal on the learner's first host, created when the pane mounts. */
  terminal: TerminalSession | undefined;
  /**
   * Attach a view to the terminal on `host` (creating it on first use). What the session
   * printed before is replayed, so a re-mounted view shows the same screen.
   */
  attachTerminal(host: string, view: (text: string) => void): TerminalSession;
  detachTerminal(): void;
}

/** Output kept for replay into a re-mounted view, about a screenful of scrollback's worth. */
const REPLAY_LIMIT = 1_000_000;

export const useLab = create<LabState>((set, get) => {
  const lab = new Lab();
  let scheduled = false;
  let view: ((text: string) => void) | undefined;
  let replay = '';
  const output = (text: string) => {
    replay = (replay + text).slice(-REPLAY_LIMIT);
    view?.(text);
  };
  // Many events arrive in one settle(); publish once per microtask, not per event.
  lab.world.trace.subscribe(() => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      set({ traceLength: get().lab.world.trace.events.length });
    });
  });
  return {
    lab,
    traceLength: 0,
    terminal: undefined,
    attachTerminal(host, attached) {
      view = attached;
      const existing = get().terminal;
      if (existing) {
        attached(replay);
        return existing;
      }
      const terminal = get().lab.open(host, output);
      set({ terminal });
      terminal.start();
      return terminal;
    },
    detachTerminal() {
      view = undefined;
    },
  };
});

/** The trace events, re-read whenever the trace grows. */
export function useTrace(): readonly TraceEvent[] {
  const lab = useLab((s) => s.lab);
  useLab((s) => s.traceLength);
  return lab.world.trace.events;
}
