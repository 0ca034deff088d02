/** `sendmail`: its manual page and where it is installed; the program is in sendmail-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';
import { hasSendmail } from './transport';

/** Addresses in an address-list header value ("Bob <bob@x>, carol@y"). */
export function addressesIn(value: string): string[] {
  return value
    .split(',')
    .map((part) => /<([^>]*)>/.exec(part)?.[1] ?? part.replace(/\(.*?\)/g, '').trim())
    .filter((a) => a !== '');
}

export const sendmailCommand: CommandSpec = {
  name: 'sendmail',
  summary: 'send a message read from standard input',
  availableOn: hasSendmail,
  man: {
    section: 8,
    synopsis: ['sendmail [-t] [-i] [-f SENDER] [-F FULLNAME] [RECIPIENT]...'],
    description: [
      'Read a whole message — header lines, an empty line, the body — from standard input and send it to each RECIPIENT. Nothing is added but the headers a message must have.',
      'On a mail host this is Postfix’s sendmail: the message goes into the local queue (pickup, cleanup, qmgr in /var/log/mail.log) and from there wherever the recipients’ MX records say. A line with a single dot ends the message unless -i is given.',
      'On alice’s laptop it is msmtp’s: the message is submitted to the server in /etc/msmtprc (mail.alpha.example, port 587) with STARTTLS and SMTP AUTH, exactly as a mail client does; problems are reported as msmtp words them.',
    ],
    options: [
      ['-t', 'take the recipients from the To:, Cc: and Bcc: headers (and drop Bcc:)'],
      ['-i, -oi', 'a line with a single dot does not end the message'],
      ['-f SENDER', 'the envelope sender (MAIL FROM) instead of the user’s address'],
      ['-F FULLNAME', 'the display name for a From: header sendmail adds'],
      ['-bp', 'on a mail host: list the queue, as mailq does'],
    ],
    examples: [
      ['cat message.txt | sendmail bob@beta.example', 'Send a message written in a file.'],
      [
        "printf 'Subject: hi\\n\\nHello\\n' | sendmail -f alice@alpha.example bob@beta.example",
        'A one-line message with a chosen envelope sender.',
      ],
      ['sendmail -t < message.txt', 'Recipients from the message’s own headers.'],
    ],
    seeAlso: ['mail(1)', 'mailq(1)', 'swaks(1)'],
  },
  run: lazyRun(() => import('./sendmail-program').then((m) => m.run)),
};
