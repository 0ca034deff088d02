/**
 * nc [-CNvz] [-q SECONDS] [-w SECONDS] HOST PORT: netcat-openbsd (Debian). No banner: the
 * connection is silent unless -v. Typed or piped bytes go to the server as they are —
 * lines end in a bare LF unless -C turns each LF into CRLF — and what the server sends
 * goes to standard output. SMTP servers take a bare LF after a command, but not inside
 * message text (RFC 5321 §2.3.8): without -C, DATA never ends.
 */
import { utf8 } from '../../engine/bytes';
import type { Socket } from '../../engine/net/socket';
import { PENDING, type CommandContext } from '../program';
import { CONNECT_ERROR } from './nc';
import { getaddrinfo, IPV4, routeTo } from './resolve';
import { SERVICES } from './telnet';

const USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
`;

/** The /etc/services name of a TCP port, as nc -v prints it. */
export function serviceName(port: number): string {
  const names: Record<number, string> = {
    22: 'ssh',
    23: 'telnet',
    25: 'smtp',
    53: 'domain',
    80: 'http',
    110: 'pop3',
    143: 'imap2',
    443: 'https',
    465: 'submissions',
    587: 'submission',
    993: 'imaps',
    995: 'pop3s',
  };
  return names[port] ?? '*';
}

/** netcat -C: every LF not already after a CR becomes CRLF. */
export function crlf(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  data.forEach((b, i) => {
    if (b === 10 && data[i - 1] !== 13) out.push(13);
    out.push(b);
  });
  return Uint8Array.from(out);
}

interface Options {
  crlf: boolean;
  verbose: boolean;
  zero: boolean;
  shutdown: boolean;
  numeric: boolean;
  quitAfter: number | undefined;
  timeout: number | undefined;
  host: string;
  port: string;
}

function parse(args: readonly string[]): Options | string {
  const o: Options = {
    crlf: false,
    verbose: false,
    zero: false,
    shutdown: false,
    numeric: false,
    quitAfter: undefined,
    timeout: undefined,
    host: '',
    port: '',
  };
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      operands.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if (flag === 'C') o.crlf = true;
      else if (flag === 'v') o.verbose = true;
      else if (flag === 'z') o.zero = true;
      else if (flag === 'N') o.shutdown = true;
      else if (flag === 'n') o.numeric = true;
      else if (flag === '4' || flag === 'd' || flag === 'D' || flag === 't') continue;
      else if (flag === 'l') return 'nc: listening (-l) is not available in this lab\n';
      else if (flag === 'u') return 'nc: UDP (-u) is not available in this lab\n';
      else if (flag === 'q' || flag === 'w') {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return `nc: option requires an argument -- '${flag}'\n${USAGE}`;
        if (!/^-?\d+$/.test(value)) {
          return flag === 'q'
            ? `nc: quit timer ${value} is invalid\n`
            : `nc: timeout ${value} is invalid\n`;
        }
        if (flag === 'q') o.quitAfter = Number(value);
        else o.timeout = Number(value);
        break;
      } else return `nc: invalid option -- '${flag}'\n${USAGE}`;
    }
  }
  if (operands.length < 2) return USAGE;
  if (operands.length > 2) return USAGE;
  [o.host, o.port] = operands as [string, string];
  return o;
}

export function run(ctx: CommandContext): number | typeof PENDING {
  const o = parse(ctx.args);
  if (typeof o === 'string') {
    ctx.stderr.write(o);
    return 1;
  }
  const port = /^\d+$/.test(o.port) ? Number(o.port) : SERVICES[o.port];
  if (port === undefined || port < 1 || port > 65535) {
    ctx.stderr.write(
      /^\d+$/.test(o.port)
        ? `nc: port number invalid: ${o.port}\n`
        : `nc: getaddrinfo for host "${o.host}" port ${o.port}: Servname not supported for ai_socktype\n`,
    );
    return 1;
  }
  let socket: Socket | undefined;
  let finished = false;
  const pending: Uint8Array[] = [];
  const encode = (data: Uint8Array) => (o.crlf ? crlf(data) : data);
  const finish = (status: number) => {
    if (finished) return;
    finished = true;
    ctx.exit(status);
  };
  const send = (data: Uint8Array) => {
    if (socket) socket.write(encode(data));
    else pending.push(data);
  };
  let stdinDone = false;
  /** End of standard input: -N shuts the connection down, -q N quits N seconds later. */
  const endOfInput = () => {
    stdinDone = true;
    if (!socket) return;
    if (o.shutdown) socket.shutdown();
    if (o.quitAfter !== undefined && o.quitAfter >= 0) {
      const s = socket;
      ctx.world.clock.after(o.quitAfter * 1000, () => {
        s.close();
        finish(0);
      });
    }
  };

  if (ctx.stdin.terminal && !o.zero) {
    ctx.foreground({
      prompt: () => '',
      line: (line) => send(utf8(line + '\n')),
      interrupt: () => {
        socket?.close();
        finish(130);
      },
      eof: endOfInput,
    });
  } else if (!ctx.stdin.terminal && !o.zero) {
    pending.push(ctx.stdin.data);
    stdinDone = true;
  }

  const connect = (address: string) =>
    ctx.world.net.connect(ctx.host, routeTo(ctx, address), port, {
      ...(o.timeout !== undefined ? { timeout: o.timeout * 1000 } : {}),
      onConnect(s) {
        if (finished) return s.close();
        socket = s;
        if (o.verbose) {
          const shown = IPV4.test(o.host) ? '' : ` (${address})`;
          ctx.stderr.write(
            `Connection to ${o.host}${shown} ${port} port [tcp/${serviceName(port)}] succeeded!\n`,
          );
        }
        if (o.zero) {
          s.close();
          return finish(0);
        }
        s.on({
          onData: (data) => ctx.stdout.write(data),
          onClose: () => {
            s.close();
            finish(0);
          },
          onReset: () => finish(1),
        });
        for (const data of pending.splice(0)) s.write(encode(data));
        if (stdinDone) endOfInput();
      },
      onError(reason) {
        if (o.verbose) {
          const shown = IPV4.test(o.host) ? '' : ` (${address})`;
          ctx.stderr.write(
            `nc: connect to ${o.host}${shown} port ${port} (tcp) failed: ${CONNECT_ERROR[reason]}\n`,
          );
        }
        finish(1);
      },
    });

  if (o.numeric && !IPV4.test(o.host)) {
    ctx.stderr.write(
      `nc: getaddrinfo for host "${o.host}" port ${o.port}: Name or service not known\n`,
    );
    return 1;
  }
  getaddrinfo(ctx, o.host, (resolved) => {
    if (!resolved.ok) {
      ctx.stderr.write(
        `nc: getaddrinfo for host "${o.host}" port ${o.port}: ${resolved.problem}\n`,
      );
      return finish(1);
    }
    connect(resolved.address);
  });
  return PENDING;
}
