/** Small hooks the views share: the world's version, throttled, and the synced trace index. */
import { useEffect, useRef, useState } from 'react';
import { useLab, type LabState } from '../store/labStore';
import { traceIndex, type TraceIndex } from './model/traceIndex';

/**
 * A value from the lab store, re-rendering at most every `ms` while it keeps changing (the
 * last change always shows). Views that need not follow every frame use it, so playback
 * stays smooth.
 */
export function useThrottled<T>(select: (s: LabState) => T, ms: number): T {
  const [value, setValue] = useState(() => select(useLab.getState()));
  const selector = useRef(select);
  useEffect(() => {
    selector.current = select;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const apply = () => {
      timer = undefined;
      last = performance.now();
      setValue(() => selector.current(useLab.getState()));
    };
    // A new pace (e.g. playback slowed down): catch up with what changed meanwhile.
    timer = setTimeout(apply, 0);
    const unsubscribe = useLab.subscribe((s, prev) => {
      if (Object.is(selector.current(s), selector.current(prev)) || timer) return;
      const wait = Math.max(0, last + ms - performance.now());
      if (wait === 0) apply();
      else timer = setTimeout(apply, wait);
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [ms]);
  return value;
}

/** The world's version (see labStore), throttled to one re-render per `ms`. */
export function useThrottledVersion(ms: number): number {
  return useThrottled((s) => s.version, ms);
}

/** The trace index of the current world, synced (call during render after a version hook). */
export function currentIndex(): TraceIndex {
  return traceIndex(useLab.getState().runtime.lab.world);
}

/** The scenario's epoch (wall-clock start of virtual time). */
export function useEpoch(): number {
  const runtime = useLab((s) => s.runtime);
  return runtime.lab.world.epoch;
}
