/**
 * Final delivery on a host (the MDA): the envelope recipient's local user gets the message
 * in /var/mail/USER, with Return-Path and Delivered-To added (in Mailstore).
 */
import { formatMailbox, type Mailbox } from '../smtp/address';
import type { World } from '../world';
import { mailLog } from './maillog';

export type LocalResult = { ok: true; user: string } | { ok: false; status: string; text: string };

export function deliverLocal(
  world: World,
  host: string,
  queueId: string,
  from: Mailbox | null,
  rcpt: Mailbox,
  content: Uint8Array,
): LocalResult {
  const store = world.mailstore(host);
  // A bare <postmaster> (RFC 5321 §4.1.1.3) belongs to the host's postmaster.
  const user = rcpt.domain === '' ? 'postmaster' : world.localUser(host, rcpt);
  const to = formatMailbox(rcpt);
  if (!store || !user || !store.hasUser(user)) {
    mailLog(
      world,
      host,
      'local',
      `${queueId}: to=<${to}>, relay=local, status=bounced (unknown user: "${rcpt.local}")`,
    );
    return { ok: false, status: '5.1.1', text: `unknown user: "${rcpt.local}"` };
  }
  store.deliver(
    user,
    { queueId, from: formatMailbox(from), to, deliveredAt: world.clock.now },
    content,
  );
  world.trace.emit({ type: 'mail.delivered', host, queueId, user, mailbox: `/var/mail/${user}` });
  mailLog(
    world,
    host,
    'local',
    `${queueId}: to=<${to}>, relay=local, dsn=2.0.0, status=sent (delivered to mailbox)`,
  );
  return { ok: true, user };
}
