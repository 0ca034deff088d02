/** `mail`: its manual page and where it is installed; the program is in mail-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';
import { hasSendmail } from './transport';
export const mailCommand: CommandSpec = {
  name: 'mail',
  summary: 'send and receive mail (bsd-mailx)',
  availableOn: hasSendmail,
  man: {
    synopsis: [
      'mail [-s SUBJECT] [-c CC-ADDR] [-b BCC-ADDR] [-a HEADER] [-r FROM] TO-ADDR...',
      'mail [-N] [-u USER]',
      'mail [-N] -f [FILE]',
    ],
    description: [
      'With addresses, mail sends a message. The body is read from standard input (a pipe, or a file with < file); at the terminal you type it, ending with a line holding a single "." or with Ctrl-D; then mail asks "Cc:" (press Enter for none). Without -s it asks "Subject:" first. Ctrl-C twice abandons the letter.',
      'On alice’s laptop the message is submitted like any mail client does it: to mail.alpha.example port 587 with STARTTLS and SMTP AUTH (the account in /etc/msmtprc). On a mail host it goes into the host’s own queue, as Postfix’s sendmail does.',
      'Without addresses, mail reads your mailbox, /var/mail/USER on this host, which exists only where your mail is delivered: alice’s is on mail.alpha.example (ssh alice@mail.alpha.example, then mail), bob’s and carol’s on mx1.beta.example (as root there: mail -u bob). mail lists the messages (N new, U unread) and prompts with "&": type a number to read that message, Enter for the next one, d N to delete, h for the list, r to reply, q to quit (deletions take effect; read mail stays, as /etc/mail.rc says "set hold"), x to quit changing nothing, ? for help.',
    ],
    options: [
      ['-s SUBJECT', 'the subject (quote it if it has spaces)'],
      ['-c ADDRESSES', 'carbon copies (Cc:), comma-separated'],
      ['-b ADDRESSES', 'blind carbon copies: in the envelope only, never in a header'],
      ['-a HEADER', 'add a header line, such as "Reply-To: alice@alpha.example"'],
      ['-r ADDRESS', 'the sender address'],
      ['-u USER', 'read USER’s mailbox (root only)'],
      ['-f [FILE]', 'read an mbox file (default ~/mbox)'],
      ['-N', 'do not print the header list at start'],
      ['-E', 'do not send a message with an empty body'],
    ],
    examples: [
      ['mail -s "Lunch?" bob@beta.example', 'Type the body, then a line with a single dot.'],
      ["echo 'See you at noon.' | mail -s Lunch bob@beta.example", 'The body from a pipe.'],
      [
        'mail -s report -c carol@beta.example bob@beta.example < report.txt',
        'The body from a file, with a copy to carol.',
      ],
      ['mail -u bob', 'As root on mx1.beta.example: read bob’s mailbox.'],
    ],
    seeAlso: ['sendmail(8)', 'mailq(1)', 'swaks(1)'],
  },
  // The implementation loads on first use: it stays out of the page's first bundle.
  run: lazyRun(() => import('./mail-program').then((m) => m.run)),
};
