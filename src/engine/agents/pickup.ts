/**
 * Local submission on a mail host, as Postfix's sendmail(1) → postdrop → pickup(8) →
 * cleanup(8) path does it: no SMTP session. The message gets a `Received: by HOST …
 * from userid N` line, the headers cleanup adds when they are missing (Message-Id, Date,
 * From), aliases are expanded, and the queue takes it like anything smtpd accepted.
 */
import { rfc5322Date } from '../clock';
import { text, utf8 } from '../bytes';
import { headerFields } from '../message/compose';
import { formatMailbox, type Mailbox } from '../smtp/address';
import type { World } from '../world';
import { mailLog } from './maillog';

export interface LocalSubmission {
  /** The mail host whose queue takes the message. */
  host: string;
  /** The login of whoever ran sendmail (for the log's uid= and the Received: line). */
  user: string;
  /** Envelope sender; null for `<>`. */
  from: Mailbox | null;
  /** The sender as sendmail got it (-f ADDRESS, or the login name), for pickup's log line. */
  given?: string;
  recipients: Mailbox[];
  /** The message as sendmail read it (headers and body; LF or CRLF line ends). */
  content: string | Uint8Array;
}

/** The uid a login has on the lab's hosts: 0 for root, 1000 up for people. */
export function uidOf(world: World, user: string): number {
  if (user === 'root') return 0;
  const people = [
    ...new Set(
      world.scenario.users.map((u) => u.address.split('@')[0]!.toLowerCase()).filter(Boolean),
    ),
  ];
  const at = people.indexOf(user);
  return 1000 + (at < 0 ? people.length : at);
}

/** Queue the message; returns its queue id. Throws if `host` has no queue. */
export function pickup(world: World, s: LocalSubmission): string {
  const mta = world.mta(s.host);
  if (!mta) throw new Error(`no queue on ${s.host}`);
  const id = world.random.hex(10);
  const date = rfc5322Date(world.epoch, world.clock.now);
  const uid = uidOf(world, s.user);
  const raw = text(typeof s.content === 'string' ? utf8(s.content) : s.content).replace(
    /\r?\n/g,
    '\r\n',
  );
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? (/^[\x21-\x39\x3b-\x7e]+:/.test(raw) ? raw : '') : raw.slice(0, split);
  const body = split < 0 ? (head === raw ? '' : raw) : raw.slice(split + 4);
  const present = new Set(headerFields(head + '\r\n\r\n').map((f) => f.name.toLowerCase()));
  // cleanup(8) adds what a message must have (RFC 5322 §3.6) at the end of the headers.
  const added: string[] = [];
  if (!present.has('message-id')) {
    const stamp = new Date(world.epoch + world.clock.now).toISOString().replace(/\D/g, '');
    added.push(`Message-Id: <${stamp.slice(0, 14)}.${id}@${s.host}>`);
  }
  if (!present.has('date')) added.push(`Date: ${date}`);
  if (!present.has('from') && s.from) added.push(`From: ${s.user} <${formatMailbox(s.from)}>`);
  const headers = [head.replace(/\r\n$/, ''), ...added].filter((h) => h !== '').join('\r\n');
  const received = `Received: by ${s.host} (SMTP Lab, from userid ${uid})\r\n\tid ${id}; ${date}\r\n`;
  const content = `${received}${headers}\r\n\r\n${body}${body === '' || body.endsWith('\r\n') ? '' : '\r\n'}`;

  const given = s.given ?? (s.from ? s.from.local : '');
  mailLog(world, s.host, 'pickup', `${id}: uid=${uid} from=<${given}>`);
  const messageId = /^message-id:[ \t]*(.*)$/im.exec(headers)?.[1]?.trim() ?? '';
  mailLog(world, s.host, 'cleanup', `${id}: message-id=${messageId}`);
  mta.enqueue({
    id,
    from: s.from,
    recipients: world.expandAliases(s.recipients.map((mailbox) => ({ mailbox }))),
    content: utf8(content),
  });
  return id;
}
