/**
 * Final delivery on a host (the MDA): the envelope recipient's local user gets the message
 * in /var/mail/USER, with Return-Path and Delivered-To added (in Mailstore). The queue
 * manager logs the outcome.
 */
import { formatMailbox, type Mailbox } from '../smtp/address';
import type { World } from '../world';

export type LocalResult =
  { ok: true; user: string } | { ok: false; status: string; text: string; transient: boolean };

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
    return { ok: false, status: '5.1.1', text: `unknown user: "${rcpt.local}"`, transient: false };
  }
  // RFC 3463 X.2.2: a message that can never fit is refused; one that would fit later waits.
  const quota = world.quota(rcpt);
  if (quota !== undefined) {
    const used = store.messages(user).reduce((n, m) => n + m.raw.length, 0);
    if (content.length > quota) {
      return {
        ok: false,
        status: '5.2.2',
        text: 'message is larger than the mailbox quota',
        transient: false,
      };
    }
    if (used + content.length > quota) {
      return { ok: false, status: '4.2.2', text: 'mailbox full', transient: true };
    }
  }
  store.deliver(
    user,
    { queueId, from: formatMailbox(from), to, deliveredAt: world.clock.now },
    content,
  );
  world.trace.emit({ type: 'mail.delivered', host, queueId, user, mailbox: `/var/mail/${user}` });
  return { ok: true, user };
}
