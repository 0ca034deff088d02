/**
 * telnet HOST [PORT]: a raw TCP session in line mode, as netkit telnet behaves when the
 * far end is not a telnet server: lines are edited locally and sent with CRLF, and what
 * the server sends is shown through the escaping sink.
 */
import type { Socket } from '../../engine/net/socket';
import { TerminalTextStream } from '../escape';
import type { CommandContext, CommandSpec, Program } from '../program';

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
  'Usage: telnet [-4] [-6] [-8] [-E] [-L] [-a] [-d] [-e char] [-l user] [-n tracefile] [-b addr] [-r] [host-name [port]]';

function telnet(ctx: CommandContext): void {
  const [hostArg, portArg = '23', ...extra] = ctx.args;
  if (!hostArg || hostArg.startsWith('-') || extra.length > 0) {
    ctx.print(`${USAGE}\r\n`);
    return;
  }
  const port = /^\d+$/.test(portArg) ? Number(portArg) : SERVICES[portArg];
  if (port === undefined || port < 1 || port > 65535) {
    ctx.printUntrusted(
      `telnet: could not resolve ${hostArg}/${portArg}: Servname not supported for ai_socktype\n`,
    );
    return;
  }
  let socket: Socket | undefined;
  let escaped = false;
  const pending: string[] = [];
  const received = new TerminalTextStream();
  const decoder = new TextDecoder('utf-8');

  const finish = (message: string) => {
    ctx.print(received.end() + message);
    ctx.done();
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
          finish('Connection closed.\r\n');
        } else if (command !== '') {
          ctx.print('?Invalid command\r\n');
        }
        return;
      }
      if (socket) socket.write(`${line}\r\n`);
      else pending.push(line);
    },
    interrupt() {
      // In line mode ^C only discards the line being typed.
    },
    escape() {
      escaped = true;
    },
  };
  ctx.foreground(program);

  const connect = (address: string) => ctx.world.net.connect(ctx.host, address, port, {
    onConnect(s) {
      socket = s;
      ctx.print(`Connected to ${hostArg}.\r\nEscape character is '^]'.\r\n`);
      s.on({
        onData: (data) => ctx.print(received.push(decoder.decode(data, { stream: true }))),
        onClose: () => finish('Connection closed by foreign host.\r\n'),
        onReset: () => finish('Connection closed by foreign host.\r\n'),
      });
      for (const line of pending.splice(0)) s.write(`${line}\r\n`);
    },
    onError(reason) {
      const why =
        reason === 'port-closed'
          ? 'Connection refused'
          : reason === 'host-down'
            ? 'Connection timed out'
            : 'No route to host';
      finish(`telnet: Unable to connect to remote host: ${why}\r\n`);
    },
  });

  resolveAddress(ctx, hostArg, (address, problem) => {
    if (!address) {
      ctx.printUntrusted(`telnet: could not resolve ${hostArg}/${portArg}: ${problem}\n`);
      ctx.done();
      return;
    }
    ctx.print(`Trying ${address}...\r\n`);
    connect(address);
  });
}

/** getaddrinfo() as the C library answers it: an address literal, or an A lookup. */
export function resolveAddress(
  ctx: CommandContext,
  name: string,
  done: (address: string | undefined, problem: string) => void,
): void {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return done(name, '');
  ctx.world.resolver(ctx.host).lookup(name, 'A', (result) => {
    if (!result.ok || result.rcode === 'SERVFAIL' || result.rcode === 'REFUSED') {
      return done(undefined, 'Temporary failure in name resolution');
    }
    const a = result.answers.find((r) => r.type === 'A');
    done(a?.value, 'Name or service not known');
  });
}

export const telnetCommand: CommandSpec = {
  name: 'telnet',
  summary: 'user interface to the TELNET protocol (a raw TCP session here)',
  run: telnet,
};
