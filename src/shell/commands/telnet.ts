/**
 * telnet HOST [PORT]: a raw TCP session in line mode, as netkit telnet behaves when the
 * far end is not a telnet server: lines are edited locally and sent with CRLF, and what
 * the server sends goes to standard output (the terminal shows it through the escaping
 * sink). Ctrl-] then `quit` leaves.
 */
import { utf8 } from '../../engine/bytes';
import type { Socket } from '../../engine/net/socket';
import { PENDING, type CommandContext, type CommandSpec, type Program } from '../program';
import { getaddrinfo, routeTo } from './resolve';

/** Service names a learner may type instead of a number (from /etc/services). */
export const SERVICES: Record<string, number> = {
  telnet: 23,
  smtp: 25,
  domain: 53,
  submission: 587,
  submissions: 465,
  smtps: 465,
};

const USAGE =
  'Usage: telnet [-4] [-6] [-8] [-E] [-L] [-a] [-d] [-e char] [-l user] [-n tracefile] [-b addr] [-r] [host-name [port]]\n';

function telnet(ctx: CommandContext): number | typeof PENDING {
  const [hostArg, portArg = '23', ...extra] = ctx.args;
  if (!hostArg || hostArg.startsWith('-') || extra.length > 0) {
    ctx.stderr.write(USAGE);
    return 1;
  }
  const port = /^\d+$/.test(portArg) ? Number(portArg) : SERVICES[portArg];
  if (port === undefined || port < 1 || port > 65535) {
    ctx.stderr.write(
      `telnet: could not resolve ${hostArg}/${portArg}: Servname not supported for ai_socktype\n`,
    );
    return 1;
  }
  let socket: Socket | undefined;
  let escaped = false;
  const pending: string[] = [];

  const finish = (message: string, status: number) => {
    ctx.stdout.write(message);
    ctx.exit(status);
  };

  const program: Program = {
    prompt: () => (escaped ? 'telnet> ' : ''),
    line(line) {
      if (escaped) {
        escaped = false;
        const command = line.trim().toLowerCase();
        if (['quit', 'q', 'close', 'c'].includes(command)) {
          socket?.close();
          socket = undefined;
          finish('Connection closed.\n', 0);
        } else if (command !== '') {
          ctx.stdout.write('?Invalid command\n');
        }
        return;
      }
      if (socket) socket.write(wire(line));
      else pending.push(line);
    },
    interrupt() {
      // In line mode ^C only discards the line being typed.
    },
    escape() {
      escaped = true;
    },
  };
  // Typed lines go to the server; piped input is sent as it is, lines ending in CRLF.
  if (ctx.stdin.terminal) ctx.foreground(program);
  else pending.push(...new TextDecoder().decode(ctx.stdin.data).replace(/\n$/, '').split('\n'));

  const connect = (address: string) =>
    ctx.world.net.connect(ctx.host, routeTo(ctx, address), port, {
      onConnect(s) {
        socket = s;
        ctx.stdout.write(`Connected to ${hostArg}.\nEscape character is '^]'.\n`);
        s.on({
          onData: (data) => ctx.stdout.write(data),
          onClose: () => finish('Connection closed by foreign host.\n', 1),
          onReset: () => finish('Connection closed by foreign host.\n', 1),
        });
        for (const line of pending.splice(0)) s.write(wire(line.replace(/\r$/, '')));
      },
      onError(reason) {
        const why =
          reason === 'port-closed'
            ? 'Connection refused'
            : reason === 'host-down'
              ? 'Connection timed out'
              : 'No route to host';
        ctx.stderr.write(`telnet: Unable to connect to remote host: ${why}\n`);
        ctx.exit(1);
      },
    });

  getaddrinfo(ctx, hostArg, (resolved) => {
    if (!resolved.ok) {
      ctx.stderr.write(`telnet: could not resolve ${hostArg}/${portArg}: ${resolved.problem}\n`);
      return ctx.exit(1);
    }
    ctx.stdout.write(`Trying ${resolved.address}...\n`);
    connect(resolved.address);
  });
  return PENDING;
}

export const telnetCommand: CommandSpec = {
  name: 'telnet',
  summary: 'user interface to the TELNET protocol (a raw TCP session here)',
  completes: 'hosts',
  man: {
    synopsis: ['telnet HOST [PORT]'],
    description: [
      'Open a TCP connection to PORT (23 by default; a number or a service name such as smtp or submission) on HOST and connect it to the terminal: each line typed is sent followed by CRLF, and what the server sends is shown. This is the classic way to speak SMTP by hand.',
      'Press Ctrl-] to reach the telnet> prompt, then type quit to close the connection.',
    ],
    examples: [
      [
        'telnet mx1.beta.example 25',
        'Talk SMTP to bob’s mail server: HELO, MAIL FROM, RCPT TO, DATA, QUIT.',
      ],
      ['telnet mail.alpha.example submission', 'The submission port, 587.'],
    ],
    seeAlso: ['dig(1)', 'base64(1)'],
  },
  run: telnet,
};

/**
 * A typed line as telnet sends it in line mode: ended by CRLF, and a CR inside the line
 * followed by NUL (RFC 854, "CR NUL"), so no line can carry a bare CR to the server.
 */
function wire(line: string): Uint8Array {
  return utf8(`${line.replace(/\r/g, '\r\0')}\r\n`);
}
