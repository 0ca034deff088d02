/**
 * The `Received:` chain explained hop by hop. Each server that takes a message prepends one
 * field (RFC 5321 §4.4), so the chain reads bottom-up: the last field is the first hop.
 * Parsing is tolerant (fields written by other software may lack parts); a field that does
 * not parse is still listed, raw.
 */
export interface ReceivedHop {
  /** 1 for the first hop (the bottom field). */
  hop: number;
  raw: string;
  /** The name the client gave in HELO/EHLO: its claim, not checked. */
  helo?: string;
  /** The client's reverse DNS name, as the server looked it up ("unknown" if none). */
  reverse?: string;
  /** The client's address as the server saw it on the connection. */
  address?: string;
  by?: string;
  protocol?: string;
  id?: string;
  for?: string;
  date?: string;
}

const FIELD = /^received[ \t]*:/i;

/** Unfolded values of every Received: field in a header section, top to bottom. */
export function receivedFields(header: string): string[] {
  const unfolded = header.replace(/\r?\n[ \t]+/g, ' ');
  return unfolded
    .split(/\r?\n/)
    .filter((l) => FIELD.test(l))
    .map((l) => l.replace(FIELD, '').trim());
}

export function parseReceived(value: string, hop: number): ReceivedHop {
  const r: ReceivedHop = { hop, raw: value };
  const [clauses = '', date] = splitDate(value);
  const from = /\bfrom\s+(\S+)(?:\s+\(([^)]*)\))?/i.exec(clauses);
  if (from) {
    r.helo = from[1];
    const info = from[2] ?? '';
    const bracket = /\[([^\]]+)\]/.exec(info);
    if (bracket) r.address = bracket[1];
    const name = info.replace(/\[[^\]]*\]/, '').trim();
    if (name) r.reverse = name;
  }
  const by = /\bby\s+(\S+)/i.exec(clauses);
  if (by) r.by = by[1];
  const proto = /\bwith\s+(\S+)/i.exec(clauses);
  if (proto) r.protocol = proto[1];
  const id = /\bid\s+(\S+)/i.exec(clauses);
  if (id) r.id = id[1];
  const rcpt = /\bfor\s+<?([^>\s;]+)>?/i.exec(clauses);
  if (rcpt) r.for = rcpt[1];
  if (date) r.date = date.trim();
  return r;
}

function splitDate(value: string): [string, string | undefined] {
  const semi = value.lastIndexOf(';');
  return semi < 0 ? [value, undefined] : [value.slice(0, semi), value.slice(semi + 1)];
}

/** The chain, first hop first (bottom field first). */
export function receivedChain(header: string): ReceivedHop[] {
  const fields = receivedFields(header);
  return fields.reverse().map((v, i) => parseReceived(v, i + 1));
}

/** RFC 3848 (and RFC 6531) "with" keywords, in words. */
export function protocolMeaning(protocol: string): string {
  const p = protocol.toUpperCase();
  const base = p.startsWith('UTF8SMTP')
    ? 'SMTPUTF8 (RFC 6531)'
    : p.startsWith('ESMTP')
      ? 'ESMTP: the client greeted with EHLO'
      : p.startsWith('SMTP')
        ? 'plain SMTP: the client greeted with HELO'
        : p.startsWith('LMTP')
          ? 'LMTP (local delivery protocol)'
          : p === 'LOCAL'
            ? 'handed over locally'
            : protocol;
  const suffix = p.replace(/^(UTF8SMTP|ESMTP|SMTP|LMTP)/, '');
  const extras: string[] = [];
  if (suffix.includes('S')) extras.push('over TLS');
  if (suffix.includes('A')) extras.push('the client authenticated (SMTP AUTH)');
  return extras.length ? `${base}; ${extras.join('; ')}` : base;
}

/** One sentence per hop, for people. */
export function explainHop(h: ReceivedHop): string[] {
  if (!h.by && !h.helo) return ['This field does not follow the usual form; shown as it is.'];
  const lines: string[] = [];
  const client =
    h.reverse && h.reverse !== 'unknown' ? h.reverse : 'a client without a reverse DNS name';
  lines.push(
    `${h.by ?? 'A server'} received the message from ${client}${h.address ? ` at ${h.address}` : ''}.`,
  );
  if (h.helo) {
    const matches = h.reverse && h.helo.toLowerCase() === h.reverse.toLowerCase();
    lines.push(
      matches
        ? `The client introduced itself as ${h.helo}, which matches its address's reverse name.`
        : `The client introduced itself as ${h.helo}; that is only its own claim (HELO/EHLO is not verified), the bracketed address is what the server saw.`,
    );
  }
  if (h.protocol) lines.push(`Protocol ${h.protocol}: ${protocolMeaning(h.protocol)}.`);
  if (h.id)
    lines.push(`${h.by ?? 'The server'} queued it as ${h.id} (look for this id in its mail log).`);
  if (h.for) lines.push(`It was addressed to <${h.for}> on this hop.`);
  if (h.date) lines.push(`At ${h.date}.`);
  return lines;
}
