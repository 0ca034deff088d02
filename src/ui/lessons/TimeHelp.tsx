import { useLab } from '../../store/labStore';
import { useThrottled, useThrottledVersion } from '../hooks';
import { clockTime, duration } from '../model/time';

/**
 * How to advance virtual time, for a step whose check waits on it (a retry, a timeout):
 * the lab's clock runs at one virtual second per second, so the learner is shown the ways
 * to move it on, with buttons for the two that need no typing. Both jump like `sleep`:
 * everything due on the way happens, in order, and is replayed the same way.
 */
export function TimeHelp({ waitMs }: { waitMs: number }) {
  useThrottledVersion(250);
  const now = useThrottled((s) => s.now, 250);
  const runtime = useLab((s) => s.runtime);
  const retry = runtime.futureMarks().find((m) => m.kind === 'retry');
  const epoch = runtime.lab.world.epoch;
  const { skipTo } = useLab.getState();
  const wait = duration(waitMs);
  return (
    <aside className="lesson-time" data-testid="lesson-time-help" aria-label="Advancing time">
      <p>
        <strong>This step waits on virtual time</strong> (about {wait} in the reference solution).
        Timeouts and queue retries happen only when the lab’s clock gets there, and by itself it
        runs at one virtual second per second. To move it on:
      </p>
      <ul>
        <li>
          <button
            type="button"
            data-testid="lesson-skip-to-retry"
            disabled={!retry}
            onClick={() => retry && skipTo(retry.t)}
          >
            Skip to the next retry
          </button>{' '}
          <span className="muted">
            {retry
              ? `◆ ${clockTime(epoch, retry.t, false)}, in ${duration(retry.t - now)} (${retry.label})`
              : 'no retry is queued yet'}
          </span>
          , as the timeline’s skip button does
        </li>
        <li>
          <button type="button" data-testid="lesson-wait" onClick={() => skipTo(now + waitMs)}>
            Let {wait} pass
          </button>
        </li>
        <li>
          type <code>sleep 5m</code> at a shell prompt (or <code>30s</code>, <code>2h</code>,{' '}
          <code>1d</code>)
        </li>
        <li>or raise the speed in the timeline at the bottom of the page.</li>
      </ul>
    </aside>
  );
}
