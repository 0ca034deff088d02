/**
 * The envelope of a stored message as the last server received it: the MAIL FROM and
 * RCPT TO lines of the transaction that ended in its acceptance, read from the trace.
 */
import type { TraceEvent } from '../../engine/trace';

export interface ReceivedEnvelope {
  /** Where it came from: the SMTP session, or local creation (a bounce). */
  conn?: string;
  client?: string;
  server?: string;
  mailFrom?: string;
  rcptTo: string[];
}

export function envelopeOf(
  events: readonly TraceEvent[],
  acceptedAt: number | undefined,
  connEvents: (conn: string) => readonly number[] | undefined,
): ReceivedEnvelope | undefined {
  if (acceptedAt === undefined) return undefined;
  const accepted = events[acceptedAt];
  if (!accepted || accepted.type !== 'mail.accepted') return undefined;
  const list = connEvents(accepted.conn) ?? [];
  const envelope: ReceivedEnvelope = { conn: accepted.conn, server: accepted.host, rcptTo: [] };
  const connect = list.length ? events[list[0]!] : undefined;
  if (connect?.type === 'net.connect') envelope.client = connect.from.host;
  // Walk back from the acceptance to the MAIL command that opened this transaction.
  const rcpts: string[] = [];
  for (let k = list.length - 1; k >= 0; k--) {
    const i = list[k]!;
    if (i >= acceptedAt) continue;
    const e = events[i]!;
    if (e.type !== 'smtp.command') continue;
    if (e.verb === 'RCPT') rcpts.unshift(e.line);
    if (e.verb === 'MAIL') {
      envelope.mailFrom = e.line;
      break;
    }
  }
  envelope.rcptTo = rcpts;
  return envelope;
}
