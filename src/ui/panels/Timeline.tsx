import { useRef } from 'react';
import { useLab } from '../../store/labStore';
import { Icon } from '../components/Icon';
import { SpeedSelect } from '../components/SpeedSelect';
import { useThrottled, useThrottledVersion } from '../hooks';
import { clockTime, duration } from '../model/time';

/**
 * The scrubber over virtual time: play, pause, step back and forward, skip to the next
 * retry, speed, and marks for what is still to come (queued messages' next attempts,
 * recorded inputs ahead).
 */
export function Timeline() {
  const runtime = useLab((s) => s.runtime);
  const playing = useLab((s) => s.playing);
  // While playing, ten updates a second are plenty for a scrubber and a clock.
  const now = useThrottled((s) => s.now, playing ? 100 : 0);
  const horizon = useThrottled((s) => s.horizon, playing ? 100 : 0);
  useThrottledVersion(playing ? 250 : 0);
  const pending = useRef<number | undefined>(undefined);

  const epoch = runtime.lab.world.epoch;
  const allMarks = runtime.futureMarks();
  const lastMark = allMarks.length ? allMarks[allMarks.length - 1]!.t : 0;
  const end = Math.max(10_000, Math.ceil(Math.max(horizon, now, lastMark) * 1.05));
  // At most one mark of a kind per 1/300 of the track: a long recording stays cheap to draw.
  const marks = thin(allMarks, end);
  const pastInputs = thin(
    runtime
      .allInputs()
      .slice(0, runtime.applied)
      .filter((r) => r.data !== '')
      .map((r) => ({ t: r.t, kind: 'input' })),
    end,
  );
  const pct = (t: number) => `${(Math.min(t, end) / end) * 100}%`;
  const ahead = runtime.futureInputs().filter((r) => r.data !== '').length;
  const retries = allMarks.filter((m) => m.kind === 'retry');

  const seek = (t: number) => {
    // Dragging fires many events: seek once per frame, to the latest position.
    const first = pending.current === undefined;
    pending.current = t;
    if (!first) return;
    requestAnimationFrame(() => {
      const target = pending.current!;
      pending.current = undefined;
      useLab.getState().seek(target);
    });
  };

  const store = useLab.getState();
  return (
    <footer className="timeline" data-testid="timeline" data-now={now} data-horizon={horizon}>
      <div className="controls">
        <button
          type="button"
          onClick={() => store.stepBack()}
          disabled={!runtime.canStepBack()}
          aria-label="Step back"
          title="Step back to the previous moment (replays the world up to it)"
          data-testid="step-back"
        >
          <Icon d="M3 2h2v12H3zM14 2v12L6 8z" />
        </button>
        <button
          type="button"
          onClick={() => (playing ? store.pause() : store.play())}
          aria-label={playing ? 'Pause' : 'Play'}
          title={playing ? 'Pause virtual time' : 'Let virtual time run'}
          data-testid="play"
          aria-pressed={playing}
        >
          {playing ? <Icon d="M4 2h3v12H4zM9 2h3v12H9z" /> : <Icon d="M4 2l10 6-10 6z" />}
        </button>
        <button
          type="button"
          onClick={() => store.stepForward()}
          disabled={runtime.nextMoment() === undefined}
          aria-label="Step forward"
          title="Run until the next thing happens"
          data-testid="step-forward"
        >
          <Icon d="M11 2h2v12h-2zM2 2v12l8-6z" />
        </button>
        <button
          type="button"
          onClick={() => store.skipTo(retries[0]!.t)}
          disabled={!retries.length}
          aria-label="Skip to the next retry"
          title="Skip to the next retry (◆) and let it run"
          data-testid="skip-to-retry"
        >
          <Icon d="M1 2v12l6-6zM7 2v12l6-6zM13 2h2v12h-2z" />
        </button>
        <SpeedSelect className="speed" caption="speed" label="Playback speed" testId="speed" />
      </div>
      <div className="clock" aria-live="off">
        <strong data-testid="clock">{clockTime(epoch, now)}</strong>
        <span className="muted"> +{duration(now)}</span>
      </div>
      <div className="scrubber">
        <div className="track" aria-hidden="true">
          <div className="past" style={{ width: pct(now) }} />
          {pastInputs.map((r, i) => (
            <span key={`i${i}`} className="mark input past-input" style={{ left: pct(r.t) }} />
          ))}
          {marks.map((m, i) => (
            <span
              key={`m${i}`}
              className={`mark ${m.kind}`}
              style={{ left: pct(m.t) }}
              title={`${m.label} at ${clockTime(epoch, m.t, false)}`}
              data-kind={m.kind}
              data-t={m.t}
              data-testid={m.kind === 'retry' ? 'retry-mark' : undefined}
            >
              {m.kind === 'retry' ? '◆' : ''}
            </span>
          ))}
        </div>
        <input
          type="range"
          min={0}
          max={end}
          step={1}
          value={Math.min(now, end)}
          aria-label="Virtual time"
          aria-valuetext={`${clockTime(epoch, now)}, ${duration(now)} after the start`}
          onPointerDown={() => store.pause()}
          onChange={(e) => seek(Number(e.target.value))}
          data-testid="scrubber"
        />
      </div>
      <div className="status" aria-live="polite">
        {ahead > 0 && (
          <span className="past-note">
            Viewing the past: {ahead} recorded input{ahead === 1 ? '' : 's'} ahead (play replays
            them; typing replaces them).
          </span>
        )}
        {retries.length > 0 && (
          <span className="retry-note">
            ◆ next retry {clockTime(epoch, retries[0]!.t, false)} ({retries[0]!.label})
            {retries.length > 1 ? ` and ${retries.length - 1} more` : ''}
          </span>
        )}
      </div>
    </footer>
  );
}

function thin<T extends { t: number; kind: string }>(marks: readonly T[], end: number): T[] {
  const seen = new Set<string>();
  return marks.filter((m) => {
    const key = `${m.kind}:${Math.floor((m.t / end) * 300)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
