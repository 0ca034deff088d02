import { useEffect, useRef } from 'react';
import { LessonHistory } from '../../lessons/history';
import { useLab } from '../../store/labStore';

/**
 * Keep a lesson's terminal history (Up arrow) in its progress: restored into the lab's
 * fresh terminals when the lesson opens or the lab is rebuilt (reset, reload), saved as
 * lines are entered. `save` must keep its identity.
 */
export function useTerminalHistory(
  lessonId: string,
  saved: Record<string, string[]>,
  save: (host: string, lines: string[]) => void,
  active: boolean,
): void {
  const runtime = useLab((s) => s.runtime);
  const latest = useRef(saved);
  useEffect(() => {
    latest.current = saved;
  });
  useEffect(() => {
    if (!active) return;
    const history = new LessonHistory(latest.current, {
      hosts: () => runtime.openHosts(),
      history: (host) => runtime.terminal(host)?.history,
      restore: (host, lines) => runtime.restoreHistory(host, lines),
    });
    const sync = () => {
      for (const [host, lines] of history.changes()) save(host, lines);
    };
    sync();
    return useLab.subscribe((s, prev) => {
      if (s.version !== prev.version && s.runtime === runtime) sync();
    });
  }, [runtime, lessonId, active, save]);
}
