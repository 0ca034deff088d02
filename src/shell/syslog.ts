/**
 * /var/log/mail.log as rsyslog writes it on a Debian mail host, from the trace's `log`
 * events: "Jan  5 09:00:00 mail postfix/smtpd[1234]: connect from …" — the traditional
 * file format, the short host name, one event per line.
 */
import type { TraceEvent } from '../engine/trace';
import type { World } from '../engine/world';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export type LogEvent = Extract<TraceEvent, { type: 'log' }>;

/** "Jan  5 09:00:00": syslog's timestamp (RFC 3164 §4.1.2), in UTC. */
export function syslogTime(epoch: number, at: number): string {
  const d = new Date(epoch + at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/** One line of the log; line breaks inside the text become spaces (one event, one line). */
export function syslogLine(event: LogEvent, epoch: number): string {
  const host = event.host.split('.')[0];
  const text = event.text.replace(/\r\n|[\r\n]/g, ' ');
  return `${syslogTime(epoch, event.t)} ${host} ${event.program}[${event.pid}]: ${text}`;
}

interface Cache {
  seen: number;
  text: string;
}

const caches = new WeakMap<World, Map<string, Cache>>();

/** The whole mail log of `host` so far (kept up to date incrementally). */
export function mailLogText(world: World, host: string): string {
  let byHost = caches.get(world);
  if (!byHost) caches.set(world, (byHost = new Map()));
  let cache = byHost.get(host);
  if (!cache) byHost.set(host, (cache = { seen: 0, text: '' }));
  const events = world.trace.events;
  const lines: string[] = [];
  for (let i = cache.seen; i < events.length; i++) {
    const event = events[i]!;
    if (event.type === 'log' && event.host === host) lines.push(syslogLine(event, world.epoch));
  }
  cache.seen = events.length;
  if (lines.length > 0) cache.text += lines.join('\n') + '\n';
  return cache.text;
}
