/**
 * Envelope paths (RFC 5321 §4.1.2): `<>`, `<local@domain>`, an optional source route
 * `<@relay1,@relay2:local@domain>` that is accepted and ignored (§C, §4.1.1.3), quoted local
 * parts, address literals, and the bare `<postmaster>` recipient (§4.1.1.3).
 */
import { MAX_DOMAIN, MAX_LOCAL_PART, MAX_PATH } from './limits';

export interface Mailbox {
  local: string;
  domain: string;
}

export type PathResult = { ok: true; mailbox: Mailbox | null; rest: string } | { ok: false };

export interface PathOptions {
  /** RFC 6531 (SMTPUTF8): UTF-8 in local parts and domains. */
  utf8?: boolean;
  /** Accept `<postmaster>` with no domain (recipients only). */
  postmaster?: boolean;
  /** Accept `<>` (reverse paths only). */
  allowNull?: boolean;
}

const ATEXT = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/;
const ATEXT_UTF8 = /^(?:[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]|[^\x00-\x7f])+$/u;
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const LABEL_UTF8 =
  /^(?:[A-Za-z0-9]|[^\x00-\x7f])(?:(?:[A-Za-z0-9-]|[^\x00-\x7f])*(?:[A-Za-z0-9]|[^\x00-\x7f]))?$/u;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function formatMailbox(m: Mailbox | null): string {
  if (!m) return '';
  return m.domain ? `${m.local}@${m.domain}` : m.local;
}

/** Parse a path at the start of `input` (which must begin with '<'). */
export function parsePath(input: string, options: PathOptions = {}): PathResult {
  if (!input.startsWith('<')) return { ok: false };
  const end = findClosingBracket(input);
  if (end < 0) return { ok: false };
  const inner = input.slice(1, end);
  const rest = input.slice(end + 1);
  if (byteLength(input.slice(0, end + 1)) > MAX_PATH) return { ok: false };
  if (inner === '') return options.allowNull ? { ok: true, mailbox: null, rest } : { ok: false };
  if (options.postmaster && inner.toLowerCase() === 'postmaster') {
    return { ok: true, mailbox: { local: 'postmaster', domain: '' }, rest };
  }
  const mailbox = parseMailbox(stripSourceRoute(inner), options.utf8 ?? false);
  return mailbox ? { ok: true, mailbox, rest } : { ok: false };
}

/** Index of the '>' closing the path, skipping quoted strings. */
function findClosingBracket(input: string): number {
  let quoted = false;
  for (let i = 1; i < input.length; i++) {
    const c = input[i];
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '>') return i;
  }
  return -1;
}

/** `@a.example,@b.example:user@c.example` → `user@c.example` (the route is obsolete). */
function stripSourceRoute(inner: string): string {
  if (!inner.startsWith('@')) return inner;
  const colon = inner.indexOf(':');
  if (colon < 0) return inner;
  const route = inner.slice(0, colon).split(',');
  return route.every((hop) => hop.startsWith('@') && isDomain(hop.slice(1), false))
    ? inner.slice(colon + 1)
    : inner;
}

function parseMailbox(text: string, utf8: boolean): Mailbox | null {
  const at = text.lastIndexOf('@');
  if (at <= 0) return null;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  if (!isLocalPart(local, utf8)) return null;
  if (!isDomain(domain, utf8) && !isAddressLiteral(domain)) return null;
  return { local, domain };
}

function isLocalPart(local: string, utf8: boolean): boolean {
  if (byteLength(local) > MAX_LOCAL_PART) return false;
  if (local.startsWith('"')) return isQuotedString(local, utf8);
  const atext = utf8 ? ATEXT_UTF8 : ATEXT;
  return local.split('.').every((atom) => atext.test(atom));
}

/** Quoted-string = DQUOTE *(qtextSMTP / "\" %d32-126) DQUOTE (§4.1.2). */
function isQuotedString(s: string, utf8: boolean): boolean {
  if (s.length < 2 || !s.endsWith('"')) return false;
  for (let i = 1; i < s.length - 1; i++) {
    const code = s.charCodeAt(i);
    if (code === 0x5c) {
      const next = s.charCodeAt(++i);
      if (!(next >= 32 && next <= 126) || i >= s.length - 1) return false;
    } else if (code === 0x22) {
      return false;
    } else if (!((code >= 32 && code <= 126) || (utf8 && code > 127))) {
      return false;
    }
  }
  return true;
}

export function isDomain(domain: string, utf8: boolean): boolean {
  if (domain === '' || byteLength(domain) > MAX_DOMAIN) return false;
  const label = utf8 ? LABEL_UTF8 : LABEL;
  return domain.split('.').every((part) => part.length <= 63 && label.test(part));
}

function isAddressLiteral(domain: string): boolean {
  if (!domain.startsWith('[') || !domain.endsWith(']')) return false;
  const inner = domain.slice(1, -1);
  if (IPV4.test(inner)) return true;
  // IPv6 and general literals (§4.1.3): a tag, a colon, printable content without brackets.
  return /^[A-Za-z0-9-]*[A-Za-z0-9]:[\x21-\x5a\x5e-\x7e]+$/.test(inner);
}

function byteLength(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}
