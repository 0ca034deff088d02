/**
 * The protocol transcript as text: one line per SMTP command, reply and connection step of
 * the trace, named by host (short names, as the terminal prompt shows them). Lines are
 * capped in length: the transcript is read aloud, and a 3,000-character HELP is noise.
 */
import type { TraceEvent } from '../../engine/trace';
import type { TraceIndex } from '../model/traceIndex';

export const MAX_LINE = 200;
/** How many lines the live region keeps. */
export const LINES = 12;
export const SKIPPED = '(earlier lines skipped: too many to read out)';

function short(host: string): string {
  return host.split('.')[0] ?? host;
}

function cap(text: string): string {
  return text.length > MAX_LINE ? `${text.slice(0, MAX_LINE - 1)}…` : text;
}

/** The transcript line for one event, or undefined if it is not part of the conversation. */
export function transcriptLine(e: TraceEvent, index: TraceIndex): string | undefined {
  if (!('conn' in e)) return undefined;
  const conn = index.conns.get(e.conn);
  const client = conn ? short(conn.from.host) : 'client';
  const server = conn ? short(conn.to.host) : 'server';
  switch (e.type) {
    case 'net.connect':
      return `${short(e.from.host)} connects to ${short(e.to.host)} port ${e.to.port}`;
    case 'net.refused':
      return `${client} cannot connect to ${server}: ${e.reason.replace(/-/g, ' ')}`;
    case 'smtp.command':
      return cap(`${client} to ${server}: ${e.line}`);
    case 'smtp.data':
      return `${client} to ${server}: message text, ${e.lines} lines, then a dot`;
    case 'smtp.reply':
      return cap(`${server} to ${client}: ${e.lines.join(' / ')}`);
    case 'tls.handshake':
      return `${client} and ${server} start TLS (${e.version})`;
    case 'net.close':
      return `connection ${client} to ${server} closed by ${short(e.by)}`;
    default:
      return undefined;
  }
}

/**
 * The lines to read out for the events from `at` on: at most LINES, the latest; when there
 * were more (a burst at fast playback), the note SKIPPED comes first, in place of the oldest.
 * Only a bounded tail is looked at: thousands of events may arrive at once at 16×.
 */
export function transcriptBatch(
  events: readonly TraceEvent[],
  at: number,
  index: TraceIndex,
): string[] {
  const from = Math.max(at, events.length - 4 * LINES);
  const fresh: string[] = [];
  for (let i = from; i < events.length; i++) {
    const text = transcriptLine(events[i]!, index);
    if (text) fresh.push(text);
  }
  if (fresh.length === 0 || (from === at && fresh.length <= LINES)) return fresh;
  return [SKIPPED, ...fresh.slice(-(LINES - 1))];
}
