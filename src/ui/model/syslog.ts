/**
 * The mail log as a server's /var/log/mail.log shows it, from the trace's `log` events:
 * "Jan  5 09:00:00 mail postfix/smtp[1234]: 4F2A…: to=<bob@beta.example>, …".
 */
import type { TraceEvent } from '../../engine/trace';
import { syslogTime } from './time';

export type LogEvent = Extract<TraceEvent, { type: 'log' }>;

/** The host name syslog writes: the first label ("mail" for mail.alpha.example). */
export function shortHost(host: string): string {
  return host.split('.')[0] || host;
}

export function syslogLine(event: LogEvent, epoch: number): string {
  // One line per event: a newline in logged text would forge a second entry.
  const text = event.text.replace(/[\r\n]+/g, ' ');
  return `${syslogTime(epoch, event.t)} ${shortHost(event.host)} ${event.program}[${event.pid}]: ${text}`;
}

/** What kind of line it is, for colour and an icon next to it (never colour alone). */
export function logSeverity(event: LogEvent): 'bounced' | 'deferred' | 'sent' | 'info' {
  const m = /\bstatus=(\w+)/.exec(event.text);
  if (m?.[1] === 'bounced' || m?.[1] === 'expired' || /non-delivery notification/.test(event.text))
    return 'bounced';
  if (m?.[1] === 'deferred' || /delay notification/.test(event.text)) return 'deferred';
  if (m?.[1] === 'sent') return 'sent';
  return 'info';
}
