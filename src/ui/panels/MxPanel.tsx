import { useLab } from '../../store/labStore';
import { explainResolution, type MxResolution } from '../diagram/mx';
import { useThrottledVersion } from '../hooks';
import { clockTime, duration } from '../model/time';
import { traceIndex } from '../model/traceIndex';

/** Resolutions shown, newest first (older ones scroll away with the trace). */
const SHOWN = 30;

const OUTCOME_ICON: Record<string, string> = {
  pending: '…',
  'timed-out': '⊘',
  refused: '✖',
  'no-route': '✖',
  temporary: '↻',
  permanent: '✖',
  accepted: '✔',
  closed: '•',
  sent: '✔',
  deferred: '↻',
  bounced: '✖',
};

/**
 * How each MTA found where to send mail: the MX query, the records by preference, every
 * server tried in order and why it was left (refused, timed out, 4xx) up to the one that
 * accepted, or why the message waits or bounces.
 */
export default function MxPanel() {
  const runtime = useLab((s) => s.runtime);
  useThrottledVersion(300);
  const now = useLab.getState().now;
  const world = runtime.lab.world;
  const index = traceIndex(world);
  const all = index.mx.resolutions;
  const shown = all.slice(-SHOWN).reverse();

  if (shown.length === 0) {
    return (
      <p className="empty" data-testid="mx-panel">
        No MX lookup yet. When a mail server routes a message to another domain (for example after
        you submit mail to mail.alpha.example on port 587), its DNS query and each server it tries
        appear here.
      </p>
    );
  }
  return (
    <div
      className="mx-panel"
      data-testid="mx-panel"
      tabIndex={0}
      role="region"
      aria-label="MX lookups"
    >
      {all.length > SHOWN && (
        <p className="muted">
          Showing the latest {SHOWN} of {all.length} routing attempts.
        </p>
      )}
      {shown.map((r) => (
        <Resolution key={r.id} r={r} epoch={world.epoch} now={now} />
      ))}
    </div>
  );
}

function Resolution({ r, epoch, now }: { r: MxResolution; epoch: number; now: number }) {
  const steps = explainResolution(r);
  const tried = new Map(r.tries.map((t, i) => [t.host, i + 1]));
  const final = r.results[0]?.status;
  return (
    <article
      className={`mx-resolution outcome-${final ?? 'pending'}`}
      data-testid="mx-resolution"
      data-host={r.host}
      data-domain={r.domain}
    >
      <header>
        <strong>{r.host}</strong> routes mail for <strong>{r.domain}</strong>{' '}
        <span className="muted">at {clockTime(epoch, r.start)}</span>
        {final && (
          <span className={`badge ${final}`}>
            {OUTCOME_ICON[final]} {final}
          </span>
        )}
      </header>
      {r.answer && r.answer.records.length > 0 && (
        <table className="mx-records">
          <caption>
            MX records for {r.domain}
            {r.answer.cached ? ' (from cache)' : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">preference</th>
              <th scope="col">mail server</th>
              <th scope="col">tried</th>
            </tr>
          </thead>
          <tbody>
            {r.answer.records.map((m) => (
              <tr key={`${m.preference} ${m.host}`} data-mx={m.host}>
                <td>{m.preference}</td>
                <td>{m.host}</td>
                <td>
                  {m.host === r.host
                    ? 'no: this host itself'
                    : tried.has(m.host)
                      ? `#${tried.get(m.host)}`
                      : r.done
                        ? 'not needed'
                        : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ol className="mx-steps">
        {steps.map((s, i) => (
          <li
            key={i}
            className={`step ${s.kind} ${s.outcome ?? ''}`}
            data-kind={s.kind}
            data-outcome={s.outcome}
            data-host={s.host}
          >
            {s.outcome && (
              <span className="icon" aria-hidden="true">
                {OUTCOME_ICON[s.outcome]}{' '}
              </span>
            )}
            {s.text}
          </li>
        ))}
        {r.retryAt !== undefined && (
          <li className="step retry" data-kind="retry">
            ◆ Next attempt at {clockTime(epoch, r.retryAt, false)}
            {r.retryAt > now ? ` (in ${duration(r.retryAt - now)})` : ''}.
          </li>
        )}
      </ol>
    </article>
  );
}
