/**
 * swaks, the Swiss Army Knife for SMTP (20201014.0, as Debian 12 ships it): one SMTP
 * transaction from the command line, printed as a transcript — "===" for swaks' own
 * information, " ->" for what it sends and "<- " for what it receives (" ~>" and "<~ "
 * once TLS is on), "<**" for a reply that is not the one expected, "***" for errors (on
 * standard error). The protocol is the engine's ClientSession; the message, the
 * transcript, --quit-after and the exit codes are swaks'.
 */
import { text } from '../../engine/bytes';
import type { TimerHandle } from '../../engine/clock';
import { mailbox } from '../../engine/agents/mua';
import { tlsHandshake } from '../../engine/agents/smtp-client';
import type { Socket } from '../../engine/net/socket';
import {
  ClientSession,
  type ClientEvent,
  type DeliveryResult,
  type StartTlsPolicy,
} from '../../engine/smtp/client';
import { strftime } from '../strftime';
import { PENDING, type CommandContext } from '../program';
import { CONNECT_ERROR } from './nc';
import { getaddrinfo, routeTo } from './resolve';
import { SERVICES } from './telnet';

export const SWAKS_VERSION = '20201014.0';
/** swaks' process id in the Message-Id it makes up (fixed: runs replay alike). */
const PID = 1338;

/** --quit-after stages in the order a transaction passes them. */
const STAGES = ['connect', 'first-helo', 'tls', 'helo', 'auth', 'mail', 'rcpt'] as const;
type Stage = (typeof STAGES)[number];

interface Settings {
  to: string | undefined;
  from: string | undefined;
  server: string | undefined;
  port: string | undefined;
  helo: string | undefined;
  auth: string | undefined;
  authUser: string | undefined;
  authPassword: string | undefined;
  tls: 'off' | 'required' | 'optional' | 'strict';
  tlsOnConnect: boolean;
  pipeline: boolean;
  data: string | undefined;
  body: string | undefined;
  headers: string[];
  addHeaders: string[];
  quitAfter: Stage | undefined;
  timeout: number;
  suppressData: boolean;
}

type Kind = 'value' | 'optional' | 'flag';
const OPTIONS: [string[], keyof Settings | 'version' | 'header-name', Kind][] = [
  [['to', 't'], 'to', 'value'],
  [['from', 'f'], 'from', 'value'],
  [['server', 's'], 'server', 'value'],
  [['port', 'p'], 'port', 'value'],
  [['helo', 'ehlo', 'lhlo', 'h'], 'helo', 'value'],
  [['auth', 'a'], 'auth', 'optional'],
  [['auth-user', 'au'], 'authUser', 'value'],
  [['auth-password', 'ap'], 'authPassword', 'value'],
  [['tls'], 'tls', 'flag'],
  [['tls-optional', 'tlso'], 'tls', 'flag'],
  [['tls-optional-strict', 'tlsos'], 'tls', 'flag'],
  [['tls-on-connect', 'tlsc'], 'tlsOnConnect', 'flag'],
  [['pipeline', 'pipelining'], 'pipeline', 'flag'],
  [['data', 'd'], 'data', 'value'],
  [['body'], 'body', 'value'],
  [['header'], 'headers', 'value'],
  [['add-header', 'ah'], 'addHeaders', 'value'],
  [['quit-after', 'quit', 'q'], 'quitAfter', 'value'],
  [['timeout', 'to'], 'timeout', 'value'],
  [['suppress-data', 'n'], 'suppressData', 'flag'],
  [['version'], 'version', 'flag'],
];

const AUTH_TYPES = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'CRAM-SHA1', 'DIGEST-MD5', 'NTLM', 'ANY'];

function parseArgs(args: readonly string[]): Settings | { version: true } | string {
  const s: Settings = {
    to: undefined,
    from: undefined,
    server: undefined,
    port: undefined,
    helo: undefined,
    auth: undefined,
    authUser: undefined,
    authPassword: undefined,
    tls: 'off',
    tlsOnConnect: false,
    pipeline: false,
    data: undefined,
    body: undefined,
    headers: [],
    addHeaders: [],
    quitAfter: undefined,
    timeout: 30,
    suppressData: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const m = /^--?([A-Za-z][\w-]*)(?:=(.*))?$/.exec(arg);
    if (!m) return `*** Unknown argument "${arg}"\n`;
    const name = m[1]!.toLowerCase();
    let inline = m[2];
    // --h-Subject "hi" (or --header-Subject) sets a header.
    const header = /^h(?:eader)?-(.+)$/.exec(m[1]!);
    if (header) {
      const value = inline ?? args[++i];
      if (value === undefined) return `Option ${name} requires an argument\n`;
      s.headers.push(`${header[1]}: ${value}`);
      continue;
    }
    const option = OPTIONS.find(([names]) => names.includes(name));
    if (!option) return `Unknown option: ${m[1]}\n`;
    const [names, key, kind] = option;
    if (kind === 'flag') {
      if (key === 'version') return { version: true };
      if (key === 'tls') {
        s.tls =
          names[0] === 'tls' ? 'required' : names[0] === 'tls-optional' ? 'optional' : 'strict';
      } else (s as unknown as Record<string, boolean>)[key] = true;
      continue;
    }
    if (kind === 'optional') {
      // --auth takes a type only when one follows ("--auth", "--auth LOGIN", "--auth=PLAIN").
      const next = args[i + 1];
      if (inline === undefined && next !== undefined && AUTH_TYPES.includes(next.toUpperCase())) {
        inline = next;
        i++;
      }
      s.auth = (inline || 'ANY').toUpperCase();
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) return `Option ${name} requires an argument\n`;
    if (key === 'headers') s.headers.push(value);
    else if (key === 'addHeaders') s.addHeaders.push(value);
    else if (key === 'timeout') {
      const t = /^(\d+)([smh]?)$/.exec(value);
      if (!t) return `*** Unknown timeout value ${value}\n`;
      s.timeout = Number(t[1]) * (t[2] === 'm' ? 60 : t[2] === 'h' ? 3600 : 1);
    } else if (key === 'quitAfter') {
      const v = value.toLowerCase();
      const stage = /^[el]hlo$/.test(v)
        ? 'helo'
        : /^first-[el]hlo$/.test(v)
          ? 'first-helo'
          : v === 'starttls'
            ? 'tls'
            : v === 'banner'
              ? 'connect'
              : v === 'from'
                ? 'mail'
                : v === 'to'
                  ? 'rcpt'
                  : v;
      if (!(STAGES as readonly string[]).includes(stage)) {
        return `*** Unknown quit_after value ${v}, exiting\n`;
      }
      s.quitAfter = stage as Stage;
    } else (s as unknown as Record<string, string>)[key] = value;
  }
  return s;
}

/** swaks' parse_server: "host:port", "[host]:port", "host/port", "[host]". */
function parseServer(server: string): [string, string | undefined] {
  let m = /^\[([^\]]+)\]:(.*)$/.exec(server);
  if (m) return [m[1]!, m[2]!];
  m = /^([^:]+):([^:]+)$/.exec(server);
  if (m) return [m[1]!, m[2]!];
  m = /^\[?([^/\]]*)\]?\/(\w+)$/.exec(server);
  if (m) return [m[1]!, m[2]!];
  m = /^\[([^\]]+)\]$/.exec(server);
  if (m) return [m[1]!, undefined];
  return [server, undefined];
}

/** "Mon, 05 Jan 2026 09:00:00 +0000", as swaks' get_date_string writes it. */
function swaksDate(at: number): string {
  return strftime('%a, %d %b %Y %H:%M:%S +0000', at);
}

/**
 * The DATA swaks sends, built as swaks builds it: the template (or --data), the body,
 * header replacement and addition, token substitution, CRLF line ends. Returned without
 * the dot-stuffing and the final dot, which the SMTP client adds.
 */
export function swaksData(input: {
  data: string | undefined;
  body: string;
  headers: string[];
  addHeaders: string[];
  to: string;
  from: string;
  date: string;
  messageId: string;
}): string {
  let data =
    input.data ??
    'Date: %DATE%\\nTo: %TO_ADDRESS%\\nFrom: %FROM_ADDRESS%\\nSubject: test %DATE%\\n' +
      'Message-Id: <%MESSAGEID%>\n' +
      `X-Mailer: swaks v%SWAKS_VERSION% jetmore.org/john/code/swaks/\\n` +
      '%NEW_HEADERS%\\n%BODY%\\n';
  data = data.split('%BODY%').join(input.body).replace(/\\n/g, '\r\n');
  let header: string;
  const split = /^([^]*?)\r?\n\r?\n/.exec(data);
  if (split) {
    header = split[1]!;
    data = data.slice(split[0].length);
  } else {
    header = data;
    data = '';
  }
  const lines: string[][] = [];
  const byName = new Map<string, string[]>();
  // Perl's split drops trailing empty fields.
  const headerLines = header.split(/\r?\n/);
  while (headerLines.length > 0 && headerLines.at(-1) === '') headerLines.pop();
  for (const line of headerLines) {
    if (/^\s/.test(line) && lines.length > 0) lines.at(-1)!.push(line);
    else {
      const entry = [line];
      lines.push(entry);
      byName.set(/^(\S[^:]+):/.exec(line)?.[1] ?? line, entry);
    }
  }
  const added = [...input.addHeaders];
  for (const h of input.headers.flatMap((x) => x.split('\\n'))) {
    const name = /^([^:]+):/.exec(h)?.[1];
    const existing = name === undefined ? undefined : byName.get(name);
    if (existing) existing.splice(0, existing.length, h);
    else added.push(h);
  }
  let rebuilt = lines.flatMap((l) => l.map((x) => x + '\r\n')).join('');
  if (rebuilt.includes('%NEW_HEADERS%')) {
    rebuilt = rebuilt.split('%NEW_HEADERS%').join(added.length ? added.join('\r\n') + '\r\n' : '');
  } else rebuilt += added.map((h) => h + '\r\n').join('');
  data = `${rebuilt}\r\n${data}`
    .replace(/\\n|%NEWLINE%/g, '\r\n')
    .split('%FROM_ADDRESS%')
    .join(input.from)
    .split('%TO_ADDRESS%')
    .join(input.to)
    .split('%MESSAGEID%')
    .join(input.messageId)
    .split('%SWAKS_VERSION%')
    .join(SWAKS_VERSION)
    .split('%DATE%')
    .join(input.date)
    .replace(/^From [^\n]*\n/, '')
    .replace(/\r?\n\.\r?\n?$/, '')
    .replace(/([^\r])\n/g, '$1\r\n')
    .replace(/([^\r])\n/g, '$1\r\n');
  return data + '\r\n';
}

/** Prompt for what is missing (swaks' interact), from the terminal or standard input. */
function ask(
  ctx: CommandContext,
  questions: { prompt: string; set: (answer: string) => void }[],
  then: () => void,
): void {
  if (questions.length === 0) return then();
  if (!ctx.stdin.terminal) {
    const answers = text(ctx.stdin.data).split('\n');
    for (const [i, q] of questions.entries()) {
      ctx.stdout.write(q.prompt);
      q.set((answers[i] ?? '').replace(/\r$/, ''));
    }
    return then();
  }
  let at = 0;
  ctx.foreground({
    prompt: () => questions[at]?.prompt ?? '',
    line: (answer) => {
      if (answer === '') return ctx.promptChanged();
      questions[at++]!.set(answer);
      if (at === questions.length) then();
      else ctx.promptChanged();
    },
    interrupt: () => ctx.exit(130),
    eof: () => ctx.exit(1),
  });
}

export function run(ctx: CommandContext): number | typeof PENDING {
  const parsed = parseArgs(ctx.args);
  if (typeof parsed === 'string') {
    ctx.stderr.write(parsed);
    return 1;
  }
  if ('version' in parsed) {
    ctx.stdout.write(
      `swaks version ${SWAKS_VERSION}\n\n        Copyright (c) 2003-2008,2010-2020 John Jetmore <jj33@pobox.com>\n\n`,
    );
    return 0;
  }
  const s = parsed;
  if (s.auth && !['PLAIN', 'LOGIN', 'ANY'].includes(s.auth)) {
    ctx.stderr.write(
      AUTH_TYPES.includes(s.auth)
        ? `*** ${s.auth} is not supported by the lab's servers\n*** No auth types supported\n`
        : `*** ${s.auth} is not a recognized auth type, skipping\n*** No auth types supported\n`,
    );
    return 1;
  }
  const questions: { prompt: string; set: (a: string) => void }[] = [];
  if (!s.to && !(s.quitAfter && !['rcpt'].includes(s.quitAfter) && s.server)) {
    questions.push({ prompt: 'To: ', set: (a) => (s.to = a) });
  }
  if (s.auth && s.authUser === undefined) {
    questions.push({ prompt: 'Username: ', set: (a) => (s.authUser = a) });
  }
  if (s.auth && s.authPassword === undefined) {
    questions.push({ prompt: 'Password: ', set: (a) => (s.authPassword = a) });
  }
  // The body may come from standard input (--body -, --data -) or a file (@file).
  const load = (value: string | undefined): string | undefined | false => {
    if (value === undefined) return undefined;
    if (value === '-') return ctx.stdin.terminal ? '' : text(ctx.stdin.data);
    if (value.startsWith('@') && !value.startsWith('@@')) {
      const read = ctx.fs.read(ctx.resolve(value.slice(1)), ctx.user);
      if (!read.ok) {
        ctx.stderr.write(`*** Couldn't open ${value.slice(1)}\n`);
        return false;
      }
      return text(read.value);
    }
    return value.startsWith('@@') ? value.slice(1) : value;
  };
  const data = load(s.data);
  const body = load(s.body);
  if (data === false || body === false) return 1;
  ask(ctx, questions, () => start(ctx, s, data, body ?? 'This is a test mailing'));
  return PENDING;
}

function start(ctx: CommandContext, s: Settings, data: string | undefined, body: string): void {
  const to = s.to ?? '';
  const from = s.from === '<>' ? '' : (s.from ?? `${ctx.user}@${ctx.host}`);
  const helo = s.helo ?? ctx.host;
  const out = (line: string) => ctx.stdout.write(line + '\n');
  const err = (line: string) => ctx.stderr.write(line + '\n');

  const connectTo = (server: string) => {
    const [host, portArg] = parseServer(server);
    const portText = s.port ?? portArg ?? (s.tlsOnConnect ? '465' : '25');
    const port = /^\d+$/.test(portText) ? Number(portText) : SERVICES[portText];
    out(`=== Trying ${host}:${portText}...`);
    if (port === undefined) {
      err(`*** Error connecting to ${host}:${portText}:`);
      err(`*** \tIO::Socket::INET6: getaddrinfo: Servname not supported for ai_socktype`);
      return ctx.exit(2);
    }
    getaddrinfo(ctx, host, (resolved) => {
      if (!resolved.ok) {
        err(`*** Error connecting to ${host}:${portText}:`);
        err(`*** \tIO::Socket::INET6: getaddrinfo: ${resolved.problem}`);
        return ctx.exit(2);
      }
      ctx.world.net.connect(ctx.host, routeTo(ctx, resolved.address), port, {
        timeout: s.timeout * 1000,
        onError: (reason) => {
          err(`*** Error connecting to ${host}:${portText}:`);
          err(
            `*** \tIO::Socket::INET6: connect: ${reason === 'host-down' ? 'timeout' : CONNECT_ERROR[reason]}`,
          );
          ctx.exit(2);
        },
        onConnect: (socket) => {
          out(`=== Connected to ${host}.`);
          transaction(ctx, s, socket, { to, from, helo, data, body });
        },
      });
    });
  };

  if (s.server) return connectTo(s.server);
  // Without --server, swaks sends to the best MX of the recipient's domain.
  const domain = to.includes('@') ? to.slice(to.lastIndexOf('@') + 1).split(',')[0]! : '';
  if (!domain) return connectTo('localhost');
  ctx.world.resolver(ctx.host).lookup(domain, 'MX', (result) => {
    const mx = result.ok
      ? result.answers
          .filter((r) => r.type === 'MX')
          .sort((a, b) => (a.preference ?? 0) - (b.preference ?? 0))[0]
      : undefined;
    connectTo(mx && mx.value !== '.' ? mx.value : domain);
  });
}

interface Message {
  to: string;
  from: string;
  helo: string;
  data: string | undefined;
  body: string;
}

function transaction(ctx: CommandContext, s: Settings, socket: Socket, m: Message): void {
  const world = ctx.world;
  const out = (line: string) => ctx.stdout.write(line + '\n');
  const err = (line: string) => ctx.stderr.write(line + '\n');
  const recipients = m.to.split(',').filter(Boolean);
  const bad = [...(m.from ? [m.from] : []), ...recipients].find((a) => !mailbox(a));
  const stamp = new Date(world.epoch + world.clock.now).toISOString().replace(/\D/g, '');
  const content = swaksData({
    data: m.data,
    body: m.body,
    headers: s.headers,
    addHeaders: s.addHeaders,
    to: m.to,
    from: m.from,
    date: swaksDate(world.epoch + world.clock.now),
    messageId: `${stamp.slice(0, 14)}.${String(PID).padStart(6, '0')}@${ctx.host}`,
  });
  const starttls: StartTlsPolicy =
    s.tls === 'required' ? 'required' : s.tls === 'off' ? 'never' : 'opportunistic';
  const mechanism = chooseMechanism(ctx, socket, s.auth);
  let session: ClientSession;
  try {
    if (bad !== undefined) throw new Error(`invalid address: ${bad}`);
    session = new ClientSession({
      helo: m.helo,
      from: m.from ? mailbox(m.from)! : null,
      // --quit-after before RCPT needs no recipient; the session still wants one.
      recipients: recipients.length
        ? recipients.map((r) => mailbox(r)!)
        : [{ local: 'postmaster', domain: '' }],
      content,
      options: {
        starttls: s.tlsOnConnect ? 'never' : starttls,
        pipelining: s.pipeline && s.quitAfter !== 'mail' && s.quitAfter !== 'rcpt',
        mailParameters: false,
        ...(s.auth
          ? {
              auth: {
                mechanism,
                username: s.authUser ?? '',
                password: s.authPassword ?? '',
              },
            }
          : {}),
      },
    });
  } catch (e) {
    err(`*** ${(e as Error).message}`);
    socket.close();
    return ctx.exit(1);
  }

  let tls = false;
  let finished = false;
  let status = 0;
  let helloCount = 0;
  let dataNext = false;
  let quitting = false;
  let quitBuffer = '';
  let timer: TimerHandle | undefined;
  const awaiting: string[] = ['greeting'];
  const sent = (line: string) => out(`${tls ? ' ~>' : ' ->'} ${line}`);
  const closed = () => {
    if (finished) return;
    finished = true;
    timer?.cancel();
    socket.close();
    out('=== Connection closed with remote host.');
    ctx.exit(status);
  };
  const lost = () => {
    if (finished) return;
    finished = true;
    timer?.cancel();
    err('*** Remote host closed connection unexpectedly.');
    ctx.exit(6);
  };

  /** The stage a command shows to be complete (the transaction got as far as sending it). */
  const completedBy = (verb: string, line: string): Stage | undefined => {
    if (verb === 'EHLO' || verb === 'HELO') return helloCount === 0 ? 'connect' : 'tls';
    if (verb === 'STARTTLS') return 'first-helo';
    if (verb === 'AUTH' && /^AUTH /i.test(line)) return 'helo';
    if (verb === 'MAIL') return 'auth';
    if (verb === 'RCPT' && !awaiting.includes('RCPT'))
      return awaiting.includes('MAIL') ? undefined : 'mail';
    if (verb === 'DATA') return 'rcpt';
    return undefined;
  };

  /** --quit-after: say QUIT ourselves and read its reply. */
  const quit = () => {
    quitting = true;
    sent('QUIT');
    socket.write('QUIT\r\n');
  };

  const expected = (verb: string, code: number): boolean => {
    switch (verb) {
      case 'greeting':
      case 'STARTTLS':
        return code === 220;
      case 'AUTH':
        return code === 334 || code === 235;
      case 'DATA':
        return code === 354;
      case 'QUIT':
        return code === 221;
      default:
        return code === 250;
    }
  };

  const report = (result: DeliveryResult) => {
    if (result.outcome === 'delivered' || result.outcome === 'partial') return;
    const o = result.recipients.find((r) => r.kind !== 'delivered')!;
    if (o.local) {
      if (o.enhanced === '4.7.4') {
        err('*** Host did not advertise STARTTLS');
        status = 29;
      } else if (o.enhanced === '4.7.0') {
        err(
          session.capabilities.has('AUTH')
            ? '*** Auth not attempted, requested type not available'
            : '*** Host did not advertise authentication',
        );
        status = 28;
      } else if (o.enhanced === '4.4.2') {
        status = 6;
      } else {
        err(`*** ${o.text}`);
        status = 26;
      }
      return;
    }
    const codes: Record<string, number> = {
      'initial greeting': 21,
      EHLO: 22,
      HELO: 22,
      STARTTLS: 29,
      AUTH: 28,
      'MAIL FROM': 23,
      'RCPT TO': 24,
      DATA: 25,
      'end of DATA': 26,
    };
    if (o.inReplyTo === 'AUTH') err('*** No authentication type succeeded');
    status = codes[o.inReplyTo] ?? 1;
  };

  const handle = (events: ClientEvent[]) => {
    timer?.cancel();
    for (const e of events) {
      if (quitting || finished) break;
      switch (e.type) {
        case 'command': {
          const done = completedBy(e.verb, e.line);
          if (s.quitAfter && done && STAGES.indexOf(done) >= STAGES.indexOf(s.quitAfter)) {
            return quit();
          }
          sent(e.line);
          awaiting.push(e.verb);
          break;
        }
        case 'data':
          dataNext = true;
          break;
        case 'send':
          if (dataNext) {
            dataNext = false;
            awaiting.push('DOT');
            const lines = text(e.data).replace(/\r\n$/, '').split('\r\n');
            if (s.suppressData) sent(`${lines.length} lines sent`);
            else for (const l of lines) sent(l);
          }
          socket.write(e.data);
          break;
        case 'reply': {
          const verb = awaiting.shift() ?? '';
          const ok = expected(verb, e.code);
          const mark = ok ? (tls ? '<~ ' : '<- ') : tls ? '<~*' : '<**';
          for (const l of e.lines) out(`${mark} ${l}`);
          if ((verb === 'EHLO' || verb === 'HELO') && e.code === 250) helloCount++;
          if (verb === 'STARTTLS' && !ok && s.tls !== 'required') {
            err('*** STARTTLS attempted but failed');
          }
          break;
        }
        case 'starttls':
          tlsHandshake(world, socket, () => {
            tls = true;
            tlsStarted(ctx, socket);
            handle(session.tlsEstablished());
          });
          break;
        case 'done':
          report(e.result);
          break;
        case 'error':
          err(`*** ${e.message}`);
          status = 6;
          break;
        case 'close':
          return status === 6 ? lost() : closed();
      }
    }
    if (!quitting && !finished && session.timeout !== null) {
      timer = world.clock.after(s.timeout * 1000, () => {
        out(`${tls ? '<~*' : '<**'} Timeout (${s.timeout} secs) waiting for server response`);
        const verb = awaiting[0] ?? '';
        status =
          {
            greeting: 21,
            EHLO: 22,
            HELO: 22,
            STARTTLS: 29,
            AUTH: 28,
            MAIL: 23,
            RCPT: 24,
            DATA: 25,
            DOT: 26,
          }[verb] ?? 6;
        handle(session.timedOut());
      });
    }
  };

  const quitReply = (data: Uint8Array) => {
    quitBuffer += text(data);
    for (;;) {
      const end = quitBuffer.indexOf('\n');
      if (end < 0) return;
      const line = quitBuffer.slice(0, end).replace(/\r$/, '');
      quitBuffer = quitBuffer.slice(end + 1);
      out(`${/^221/.test(line) ? (tls ? '<~ ' : '<- ') : tls ? '<~*' : '<**'} ${line}`);
      if (!/^\d{3}-/.test(line)) return closed();
    }
  };

  const early: Uint8Array[] = [];
  let ready = !s.tlsOnConnect;
  socket.on({
    onData: (data) => {
      if (quitting) return quitReply(data);
      if (!ready) return void early.push(data);
      handle(session.receive(data));
    },
    onClose: () => (quitting ? closed() : handle(session.closed())),
    onReset: () => (quitting ? closed() : handle(session.closed())),
  });
  if (s.tlsOnConnect) {
    // RFC 8314: TLS first; swaks reports it before the banner.
    tlsHandshake(world, socket, () => {
      tls = true;
      tlsStarted(ctx, socket);
      ready = true;
      for (const data of early.splice(0)) {
        if (quitting || finished) return;
        handle(session.receive(data));
      }
    });
  } else handle([]);
}

function tlsStarted(ctx: CommandContext, socket: Socket): void {
  ctx.stdout.write(
    '=== TLS started with cipher TLSv1.3:TLS_AES_256_GCM_SHA384:256\n' +
      '=== TLS no local certificate set\n' +
      `=== TLS peer DN="/CN=${socket.remote.host}"\n`,
  );
}

/** PLAIN when the server offers it (or was asked for), else LOGIN — as swaks' ANY tries them. */
function chooseMechanism(
  ctx: CommandContext,
  socket: Socket,
  wanted: string | undefined,
): 'PLAIN' | 'LOGIN' {
  if (wanted === 'PLAIN' || wanted === 'LOGIN') return wanted;
  const offered = ctx.world.smtpd(socket.remote.host, socket.remote.port)?.config.policy.auth
    ?.mechanisms;
  return offered && !offered.includes('PLAIN') && offered.includes('LOGIN') ? 'LOGIN' : 'PLAIN';
}
