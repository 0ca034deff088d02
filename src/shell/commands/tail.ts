/** `tail`: its manual page; the program is in tail-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const tailCommand: CommandSpec = {
  name: 'tail',
  summary: 'output the last part of files',
  man: {
    synopsis: ['tail [OPTION]... [FILE]...'],
    description: [
      'Print the last 10 lines of each FILE to standard output. With more than one FILE, precede each with a header giving the file name. With no FILE, or when FILE is -, read standard input.',
      'On a mail host, /var/log/mail.log holds Postfix’s log: connections, accepted messages, deliveries, deferrals and bounces, one line each, tagged with the queue ID. tail -f keeps printing new lines as mail moves, until you press Ctrl-C (in a lab run script it prints what is there and stops).',
    ],
    options: [
      [
        '-n, --lines=[+]NUM',
        'output the last NUM lines, instead of the last 10; or use -n +NUM to output starting with line NUM',
      ],
      [
        '-c, --bytes=[+]NUM',
        'output the last NUM bytes; or use -c +NUM to output starting with byte NUM',
      ],
      ['-f, --follow', 'output appended data as the file grows (-F is the same here)'],
      ['-q, --quiet', 'never output headers giving file names'],
      ['-v, --verbose', 'always output headers giving file names'],
    ],
    examples: [
      ['tail /var/log/mail.log', 'The last ten lines of the mail log (on a mail host).'],
      ['tail -f /var/log/mail.log', 'Watch mail move; Ctrl-C stops.'],
      ['tail -n 3 /var/mail/bob', 'The end of bob’s mailbox.'],
    ],
    seeAlso: ['cat(1)', 'mailq(1)'],
  },
  run: lazyRun(() => import('./tail-program').then((m) => m.run)),
};
