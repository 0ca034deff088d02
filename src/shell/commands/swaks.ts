/** `swaks`: its manual page and where it is installed; the program is in swaks-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const swaksCommand: CommandSpec = {
  name: 'swaks',
  summary: 'Swiss Army Knife SMTP, the all-purpose SMTP transaction tester',
  man: {
    synopsis: ['swaks --to RCPT[,RCPT…] [--server HOST[:PORT]] [OPTION]...'],
    description: [
      'swaks runs one SMTP transaction and prints it: lines starting "===" are swaks’ own news, " ->" what it sent, "<- " what it received; once TLS is on they become " ~>" and "<~ ". A reply other than the one expected is marked "<**", and swaks’ errors start with "***".',
      'Without --server, swaks looks up the MX of the (first) recipient’s domain and talks to the best one on port 25. The message is a small test message (Date, To, From, Subject "test DATE", Message-Id, X-Mailer) unless --data gives the whole DATA (\\n for line breaks, @FILE to read a file, - for standard input) or --body the body; --header replaces or adds a header.',
      'Exit status: 0 success, 1 bad usage, 2 could not connect, 21 the greeting was an error, 22 EHLO/HELO failed, 23 MAIL FROM refused, 24 every recipient refused, 25 DATA refused, 26 the message refused after the final dot, 28 AUTH failed or impossible, 29 TLS failed or not offered, 6 the server hung up.',
    ],
    options: [
      ['--to, -t RCPT[,RCPT]', 'envelope recipient(s); asked for when missing'],
      ['--from, -f ADDR', 'envelope sender (default USER@HOST; <> for the null sender)'],
      ['--server, -s HOST[:PORT]', 'the server to talk to (default: the recipient domain’s MX)'],
      ['--port, -p PORT', 'port (default 25, or 465 with --tlsc); a number or service name'],
      ['--helo, --ehlo NAME', 'the name to give in EHLO (default: this host’s name)'],
      ['--auth, -a [TYPE]', 'authenticate with PLAIN or LOGIN (any offered if no TYPE)'],
      ['--auth-user, -au USER', 'the login (asked for when missing)'],
      ['--auth-password, -ap PASS', 'the password (asked for when missing)'],
      ['--tls', 'require STARTTLS (exit 29 if the server does not offer it)'],
      ['--tls-optional, -tlso', 'use STARTTLS when offered'],
      ['--tlsc, --tls-on-connect', 'TLS from the start (implicit TLS, port 465)'],
      ['--pipeline', 'send MAIL, RCPT and DATA together if the server offers PIPELINING'],
      ['--data, -d DATA', 'the whole DATA, headers and body'],
      ['--body BODY', 'the body of the default message'],
      ['--header "Name: value", --h-Name value', 'replace or add a header'],
      [
        '--quit-after, -q STAGE',
        'QUIT after connect (banner), first-helo, tls, helo (ehlo), auth, mail (from) or rcpt (to)',
      ],
      ['--suppress-data, -n', 'print a line count instead of the DATA'],
      ['--timeout SECONDS', 'how long to wait for each reply (default 30)'],
      ['--version', 'print the version'],
    ],
    examples: [
      ['swaks --to bob@beta.example', 'Send a test message to bob’s MX.'],
      [
        'swaks --to bob@beta.example --server mail.alpha.example:587 --tls --auth --auth-user alice --auth-password wonderland',
        'Submission with STARTTLS and AUTH, as a mail client does it.',
      ],
      ['swaks --to nobody@beta.example --quit-after rcpt', 'Does the server know this address?'],
    ],
    seeAlso: ['telnet(1)', 'nc(1)', 'openssl(1)', 'sendmail(8)'],
  },
  // The implementation loads on first use: it stays out of the page's first bundle.
  run: lazyRun(() => import('./swaks-program').then((m) => m.run)),
};
