import { useState } from 'react';
import { useLab } from '../../store/labStore';
import { VirtualList } from '../components/VirtualList';
import { useThrottledVersion } from '../hooks';
import { logSeverity, syslogLine, type LogEvent } from '../model/syslog';
import { traceIndex } from '../model/traceIndex';

const ALL = '';
const ICON = { bounced: '✖', deferred: '⏳', sent: '✔', info: ' ' } as const;

/** The mail log of every host (or one), as /var/log/mail.log shows it, following new lines. */
export default function LogPanel() {
  const runtime = useLab((s) => s.runtime);
  const fast = useLab((s) => s.playing && s.speed >= 4);
  useThrottledVersion(fast ? 300 : 100);
  const [host, setHost] = useState(ALL);
  const world = runtime.lab.world;
  const index = traceIndex(world);
  const lines = host === ALL ? index.logs : (index.logsByHost.get(host) ?? []);
  const hosts = [...index.logsByHost.keys()];
  const events = index.events;

  return (
    <div className="log-panel" data-testid="log-panel">
      <div className="toolbar">
        <label>
          mail log of{' '}
          <select
            value={host}
            onChange={(e) => setHost(e.target.value)}
            aria-label="Which host's log"
          >
            <option value={ALL}>every host</option>
            {hosts.map((h) => (
              <option key={h} value={h}>
                {h}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">{lines.length} lines</span>
      </div>
      {lines.length === 0 ? (
        <p className="empty">
          Nothing logged yet. Mail servers log every message they queue, relay, deliver or bounce.
        </p>
      ) : (
        <VirtualList
          count={lines.length}
          rowHeight={20}
          follow
          label="Mail log"
          testId="log-list"
          renderRow={(i) => {
            const e = events[lines[i]!] as LogEvent;
            const severity = logSeverity(e);
            return (
              <div className={`log-line ${severity}`} data-testid="log-line">
                <span className="icon" aria-hidden="true">
                  {ICON[severity]}
                </span>
                {syslogLine(e, world.epoch)}
              </div>
            );
          }}
        />
      )}
    </div>
  );
}
