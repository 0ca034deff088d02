/**
 * The `Received:` trace header a server prepends to every message it accepts
 * (RFC 5321 §4.4): who connected (EHLO name, reverse name and address literal), who
 * received it, with which protocol (RFC 3848: SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA), the
 * queue id, the recipient when there is only one, and the date.
 */
export interface ReceivedFields {
  helo: string;
  clientName?: string;
  clientAddress: string;
  by: string;
  protocol: string;
  id: string;
  recipients: string[];
  date: string;
}

export function receivedHeader(f: ReceivedFields): string {
  const forClause = f.recipients.length === 1 ? `\r\n\tfor <${f.recipients[0]}>` : '';
  return (
    `Received: from ${f.helo} (${f.clientName ?? 'unknown'} [${f.clientAddress}])\r\n` +
    `\tby ${f.by} (SMTP Lab) with ${f.protocol} id ${f.id}${forClause}; ${f.date}\r\n`
  );
}

export interface SessionTraits {
  /** The client greeted with EHLO (not HELO). */
  esmtp: boolean;
  /** The session runs over TLS (STARTTLS or implicit TLS). */
  tls: boolean;
  /** The client authenticated (RFC 4954). */
  auth: boolean;
  /** The transaction used SMTPUTF8 (RFC 6531). */
  utf8: boolean;
}

/**
 * The "with" keyword: RFC 3848 adds S for TLS and A for AUTH to ESMTP (ESMTPS, ESMTPA,
 * ESMTPSA); RFC 6531 §3.7.3 uses UTF8SMTP in their place for SMTPUTF8 transactions. After
 * HELO the base is SMTP, with the same letters, as Postfix writes it.
 */
export function protocolName(t: SessionTraits): string {
  const base = t.utf8 ? 'UTF8SMTP' : t.esmtp ? 'ESMTP' : 'SMTP';
  return base + (t.tls ? 'S' : '') + (t.auth ? 'A' : '');
}

const CR = 0x0d;
const LF = 0x0a;
const RECEIVED = /^received[ \t]*:/i;

/**
 * How many `Received:` fields the header section of `content` has (up to the first empty
 * line), for loop detection (RFC 5321 §6.3). Continuation lines start with white space and
 * so never match; field names are case-insensitive (RFC 5322 §1.2.2).
 */
export function countReceived(content: Uint8Array): number {
  let count = 0;
  for (let at = 0; at < content.length;) {
    let end = content.indexOf(LF, at);
    if (end < 0) end = content.length;
    const stop = end > at && content[end - 1] === CR ? end - 1 : end;
    if (stop === at) break; // the empty line that ends the header section
    if (content[at] === 0x52 || content[at] === 0x72) {
      // "R" or "r": decode just enough to look at the field name
      let head = '';
      for (let i = at; i < Math.min(stop, at + 16); i++) head += String.fromCharCode(content[i]!);
      if (RECEIVED.test(head)) count++;
    }
    at = end + 1;
  }
  return count;
}
