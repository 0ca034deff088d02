/**
 * A mailbox as the file /var/mail/USER holds it: mbox, as Postfix's local(8) writes it.
 * Each message starts with a "From SENDER DATE" line (asctime date), body lines that
 * begin with "From " (after any ">") get one more ">" (mboxrd), and a blank line follows.
 */
import type { StoredMessage } from '../engine/agents/mailstore';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** asctime(3): "Mon Jan  5 09:00:00 2026". */
export function asctime(epoch: number, at: number): string {
  const d = new Date(epoch + at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`
  );
}

export function mboxOf(messages: readonly StoredMessage[], epoch: number): string {
  return messages
    .map((m) => {
      const body = m.raw
        .replace(/\r\n/g, '\n')
        .split('\n')
        .map((line) => (/^>*From /.test(line) ? '>' + line : line))
        .join('\n');
      const from = m.from === '' ? 'MAILER-DAEMON' : m.from;
      return `From ${from}  ${asctime(epoch, m.deliveredAt)}\n${body}${body.endsWith('\n') ? '' : '\n'}\n`;
    })
    .join('');
}
