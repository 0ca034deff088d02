import { useState } from 'react';
import type { QueueEntry } from '../../engine/agents/mta';
import { formatMailbox } from '../../engine/smtp/address';
import { useLab } from '../../store/labStore';
import { VirtualList } from '../components/VirtualList';
import { useThrottled, useThrottledVersion } from '../hooks';
import { clockTime, duration } from '../model/time';

const ALL = '';

/** Every MTA's queue, live: id, sender and recipients, attempts, next attempt, last error. */
export default function QueuePanel() {
  const runtime = useLab((s) => s.runtime);
  useThrottledVersion(250);
  const now = useThrottled((s) => s.now, 1000);
  const [host, setHost] = useState(ALL);
  const world = runtime.lab.world;
  const hosts = runtime.scenario.hosts
    .filter((h) => h.role === 'msa' || h.role === 'mx')
    .map((h) => h.name);
  const rows: { host: string; entry: QueueEntry }[] = [];
  for (const h of host === ALL ? hosts : [host]) {
    for (const entry of world.mta(h)?.entries() ?? []) rows.push({ host: h, entry });
  }
  const counts = hosts.map((h) => `${h.split('.')[0]}: ${world.mta(h)?.entries().length ?? 0}`);

  return (
    <div className="queue-panel" data-testid="queue-panel">
      <div className="toolbar">
        <label>
          queue of{' '}
          <select
            value={host}
            onChange={(e) => setHost(e.target.value)}
            aria-label="Which host's queue"
          >
            <option value={ALL}>every MTA</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{counts.join(' · ')}</span>
      </div>
      {rows.length === 0 ? (
        <p className="empty">
          The queue is empty: every message was delivered, relayed or bounced. (In a terminal, mailq
          shows the same.)
        </p>
      ) : (
        <VirtualList
          count={rows.length}
          rowHeight={46}
          label="Queued messages"
          testId="queue-list"
          renderRow={(i) => <Row {...rows[i]!} now={now} epoch={world.epoch} />}
        />
      )}
    </div>
  );
}

function Row({
  host,
  entry,
  now,
  epoch,
}: {
  host: string;
  entry: QueueEntry;
  now: number;
  epoch: number;
}) {
  const waiting = entry.recipients.filter((r) => r.state === 'queued');
  const error = waiting.find((r) => r.lastError)?.lastError ?? '';
  const next =
    entry.nextAttempt === null
      ? 'being delivered now'
      : entry.nextAttempt <= now
        ? 'due now'
        : `next attempt ${clockTime(epoch, entry.nextAttempt, false)} (in ${duration(entry.nextAttempt - now)})`;
  return (
    <div
      className="queue-row"
      data-testid="queue-entry"
      data-queue-id={entry.id}
      data-host={host}
      data-next={entry.nextAttempt ?? ''}
    >
      <div className="line1">
        <code>{entry.id}</code> on {host.split('.')[0]} · from &lt;{formatMailbox(entry.from)}&gt;
        to {entry.recipients.map((r) => `<${formatMailbox(r.spec.mailbox)}> ${r.state}`).join(', ')}{' '}
        · {entry.attempts} attempt
        {entry.attempts === 1 ? '' : 's'}
      </div>
      <div className="line2">
        <span className="next">◆ {next}</span>
        {error && (
          <span className="error-text" title={error}>
            {' '}
            ⏳ {error}
          </span>
        )}
      </div>
    </div>
  );
}
