/**
 * Delivery status notifications (RFC 3464) explained: the machine-readable
 * message/delivery-status part's fields, and what its Status code means (RFC 3463).
 */
export interface DsnFields {
  /** Per-message fields (Reporting-MTA, Arrival-Date…). */
  message: [string, string][];
  /** One group of fields per recipient. */
  recipients: [string, string][][];
}

/** Parse the text of a message/delivery-status part: blank-line separated field groups. */
export function parseDeliveryStatus(text: string): DsnFields {
  const groups = text
    .replace(/\r\n/g, '\n')
    .replace(/\n[ \t]+/g, ' ')
    .split(/\n\s*\n/)
    .map((g) =>
      g
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l): [string, string] => {
          const colon = l.indexOf(':');
          return colon < 0 ? [l, ''] : [l.slice(0, colon).trim(), l.slice(colon + 1).trim()];
        }),
    )
    .filter((g) => g.length > 0);
  return { message: groups[0] ?? [], recipients: groups.slice(1) };
}

const CLASS: Record<string, string> = {
  '2': 'success',
  '4': 'persistent transient failure: may succeed if tried again',
  '5': 'permanent failure: will not succeed as sent',
};

const SUBJECT: Record<string, string> = {
  '0': 'other or undefined status',
  '1': 'addressing status',
  '2': 'mailbox status',
  '3': 'mail system status',
  '4': 'network and routing status',
  '5': 'mail delivery protocol status',
  '6': 'message content or media status',
  '7': 'security or policy status',
};

/** RFC 3463 §3 detail codes (and later registrations such as 5.1.10 from RFC 7505). */
const DETAIL: Record<string, string> = {
  '0.0': 'other undefined status',
  '1.0': 'other address status',
  '1.1': 'bad destination mailbox address: the mailbox does not exist',
  '1.2': 'bad destination system address: the domain does not exist or cannot take mail',
  '1.3': 'bad destination mailbox address syntax',
  '1.4': 'destination mailbox address ambiguous',
  '1.5': 'destination address valid',
  '1.6': 'destination mailbox has moved, no forwarding address',
  '1.7': "bad sender's mailbox address syntax",
  '1.8': "bad sender's system address",
  '1.10': 'recipient address has a null MX (RFC 7505)',
  '2.0': 'other or undefined mailbox status',
  '2.1': 'mailbox disabled, not accepting messages',
  '2.2': 'mailbox full',
  '2.3': 'message length exceeds administrative limit',
  '2.4': 'mailing list expansion problem',
  '3.0': 'other or undefined mail system status',
  '3.1': 'mail system full',
  '3.2': 'system not accepting network messages',
  '3.3': 'system not capable of selected features',
  '3.4': 'message too big for system',
  '3.5': 'system incorrectly configured',
  '4.0': 'other or undefined network or routing status',
  '4.1': 'no answer from host',
  '4.2': 'bad connection',
  '4.3': 'directory server failure (e.g. DNS)',
  '4.4': 'unable to route',
  '4.5': 'mail system congestion',
  '4.6': 'routing loop detected',
  '4.7': 'delivery time expired',
  '5.0': 'other or undefined protocol status',
  '5.1': 'invalid command',
  '5.2': 'syntax error',
  '5.3': 'too many recipients',
  '5.4': 'invalid command arguments',
  '5.5': 'wrong protocol version',
  '6.0': 'other or undefined media error',
  '6.1': 'media not supported',
  '6.2': 'conversion required and prohibited',
  '6.3': 'conversion required but not supported',
  '6.4': 'conversion with loss performed',
  '6.5': 'conversion failed',
  '7.0': 'other or undefined security status',
  '7.1': 'delivery not authorized, message refused',
  '7.2': 'mailing list expansion prohibited',
  '7.3': 'security conversion required but not possible',
  '7.4': 'security features not supported',
  '7.5': 'cryptographic failure',
  '7.6': 'cryptographic algorithm not supported',
  '7.7': 'message integrity failure',
};

/** "5.1.1" → "permanent failure: …; addressing status; bad destination mailbox address…". */
export function explainStatus(code: string): string {
  const m = /^([245])\.(\d{1,3})\.(\d{1,3})$/.exec(code.trim());
  if (!m) return 'not an RFC 3463 status code';
  const [, cls, subject, detail] = m;
  const parts = [CLASS[cls!]!, SUBJECT[subject!] ?? `subject ${subject}`];
  const known = DETAIL[`${subject}.${detail}`];
  if (known) parts.push(known);
  return parts.join('; ');
}

const FIELD_HELP: Record<string, string> = {
  'reporting-mta': 'the server that wrote this report',
  'x-postfix-queue-id': 'the queue id of the original message on the reporting server',
  'arrival-date': 'when the reporting server received the original message',
  'original-envelope-id': 'the ENVID the sender gave (RFC 3461)',
  'final-recipient': 'the recipient this report is about, as the reporting server knew it',
  'original-recipient': 'the recipient as the sender first wrote it (ORCPT)',
  action: 'what happened: failed, delayed, delivered, relayed or expanded',
  status: 'RFC 3463 enhanced status code',
  'remote-mta': 'the server that gave the answer',
  'diagnostic-code': 'what that server said, word for word',
  'last-attempt-date': 'when delivery was last tried',
  'will-retry-until': 'when the server will give up',
};

const ACTION: Record<string, string> = {
  failed: 'the message could not be delivered to this recipient and will not be retried',
  delayed: 'not delivered yet; the server keeps trying',
  delivered: 'delivered',
  relayed: 'passed on to a system that does not send reports',
  expanded: 'delivered to a list or alias, which sends it on',
};

/** A sentence for a field's value (its meaning, not just its name). */
export function explainField(name: string, value: string): string {
  const n = name.toLowerCase();
  if (n === 'status') return explainStatus(value);
  if (n === 'action') return ACTION[value.toLowerCase()] ?? FIELD_HELP.action!;
  if (n === 'diagnostic-code') {
    const [type, ...rest] = value.split(';');
    const said = rest.join(';').trim();
    return type?.trim().toLowerCase() === 'smtp'
      ? `the remote server's SMTP reply: ${said}`
      : `${FIELD_HELP[n]} (${type?.trim()})`;
  }
  return FIELD_HELP[n] ?? '';
}
