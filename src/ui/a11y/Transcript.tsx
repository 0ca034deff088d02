/**
 * The protocol transcript for screen readers: a polite live log of the SMTP conversation
 * (commands, replies, connections) as the trace grows, so what the terminal and the
 * sequence diagram show is also read out. Bounded: it keeps the latest LINES lines and is
 * refreshed at most every PACE_MS; a burst (fast playback) is cut short, not read out.
 * A rebuilt world (stepping back, reset) starts it over silently.
 */
import { useEffect, useState } from 'react';
import { useLab } from '../../store/labStore';
import { traceIndex } from '../model/traceIndex';
import { LINES, transcriptBatch } from './transcript';

const PACE_MS = 400;

interface Line {
  id: number;
  text: string;
}

export default function Transcript() {
  const [lines, setLines] = useState<Line[]>([]);

  useEffect(() => {
    let world = useLab.getState().runtime.lab.world;
    let at = world.trace.events.length;
    let next = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const current = useLab.getState().runtime.lab.world;
      const events = current.trace.events;
      if (current !== world || at > events.length) {
        world = current;
        at = events.length;
        setLines([]);
        return;
      }
      const added = transcriptBatch(events, at, traceIndex(current));
      at = events.length;
      if (added.length === 0) return;
      setLines((old) => [...old, ...added.map((text) => ({ id: next++, text }))].slice(-LINES));
    };
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (s.version !== prev.version && !timer) timer = setTimeout(flush, PACE_MS);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, []);

  return (
    <section className="sr-only" aria-label="SMTP transcript">
      <div role="log" aria-live="polite" data-testid="transcript">
        {lines.map((l) => (
          <p key={l.id}>{l.text}</p>
        ))}
      </div>
    </section>
  );
}
