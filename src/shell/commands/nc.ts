/** `nc`: its manual page, and how it words a failed connection; the program is in nc-program.ts. */
import type { ConnectError } from '../../engine/net/network';
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

/** A failed connect(2) in the C library's words (nc -v and swaks print them). */
export const CONNECT_ERROR: Record<ConnectError, string> = {
  'port-closed': 'Connection refused',
  'host-down': 'Connection timed out',
  'no-route': 'No route to host',
};

export const ncCommand: CommandSpec = {
  name: 'nc',
  summary: 'arbitrary TCP connections (netcat-openbsd)',
  completes: 'hosts',
  man: {
    synopsis: ['nc [-CNvz] [-q SECONDS] [-w SECONDS] HOST PORT'],
    description: [
      'Open a TCP connection to PORT on HOST and connect it to the terminal: what you type (or pipe in) is sent, what the server sends is printed. Unlike telnet, nc says nothing of its own unless asked with -v, and sends exactly the bytes it reads.',
      'Lines typed end in a bare LF. An SMTP server takes a command ended by a bare LF, but message text must use CRLF (RFC 5321 §2.3.8): after DATA, a "." line ended by a bare LF is not the end of the message, so the server keeps waiting for it. Use -C to send CRLF, as SMTP requires.',
      'nc ends when the server closes the connection (after QUIT, say) or on Ctrl-C. Ctrl-D ends your input; with -N that also closes the sending side of the connection.',
    ],
    options: [
      ['-C', 'send CRLF as line ending: each LF read becomes CR LF'],
      ['-v', 'verbose: say whether the connection succeeded or failed'],
      ['-z', 'only check that something listens (connect, then close), with -v to see it'],
      ['-N', 'shut the connection down after end of input'],
      ['-q SECONDS', 'after end of input, wait SECONDS and quit'],
      ['-w SECONDS', 'give up connecting after SECONDS'],
      ['-n', 'HOST is an address: do no DNS lookup'],
    ],
    examples: [
      ['nc -C mx1.beta.example 25', 'Speak SMTP by hand, with proper CRLF line ends.'],
      [
        "printf 'EHLO x\\r\\nQUIT\\r\\n' | nc -C mx1.beta.example 25",
        'Send a scripted session and print the replies.',
      ],
      ['nc -zv mail.alpha.example 587', 'Is the submission port open?'],
    ],
    seeAlso: ['telnet(1)', 'openssl(1)', 'swaks(1)'],
  },
  run: lazyRun(() => import('./nc-program').then((m) => m.run)),
};
