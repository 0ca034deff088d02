/**
 * The SMTP daemon of a mail host: accepts connections on a port, runs one server session
 * per connection, records commands and replies in the trace, and hands accepted messages
 * to the host's queue. It holds what outlives one connection — the greylist, the fault
 * counters — and answers the session's questions: which recipients to take (local users,
 * relay rules, greylisting), whose credentials are good, how much room the queue has.
 *
 * TLS is simulated: when a session accepts STARTTLS (or the port is implicit TLS) the
 * server's socket is marked secure and a `tls.handshake` event is traced. A real transport
 * (`lab bridge`) can take over the handshake through `onStartTls`.
 */
import { rfc5322Date, type TimerHandle } from '../clock';
import { headerText, headerValue } from '../message/compose';
import { mailLog } from './maillog';
import { formatMailbox, type Mailbox } from '../smtp/address';
import { R, type Reply } from '../smtp/reply';
import {
  ServerSession,
  type Envelope,
  type FaultStep,
  type RecipientCheck,
  type ServerEvent,
  type ServerPolicy,
} from '../smtp/server';
import type { Socket } from '../net/socket';
import type { World } from '../world';

/** Who may relay (send to domains this host neither delivers nor backs up). */
export interface RelayRules {
  /** Anyone: an open relay, only when a scenario asks for one. */
  open: boolean;
  /** Clients that authenticated (Postfix permit_sasl_authenticated). */
  authenticated: boolean;
  /** Client addresses or IPv4 CIDR blocks (Postfix mynetworks). */
  networks: readonly string[];
}

export interface SmtpFault {
  step: FaultStep;
  reply: Reply;
  /** How many times it fires on this service (across connections); unlimited if absent. */
  times?: number;
}

/** What the STARTTLS hook is told when a session accepts STARTTLS. */
export interface StartTlsRequest {
  conn: string;
  host: string;
  port: number;
  /** The server's end of the simulated connection. */
  socket: Socket;
  /**
   * Finish the handshake: the socket becomes secure, `tls.handshake` is traced and the
   * session goes on over TLS. Plaintext the client sends before this is dropped. Calling
   * it after the connection closed, or twice, does nothing.
   */
  complete(): void;
}

/**
 * Called when a session has sent "220 2.0.0 Ready to start TLS". Return true to finish the
 * handshake later by calling `request.complete()` (after a real TLS handshake, say);
 * otherwise it completes at once.
 */
export type StartTlsHook = (request: StartTlsRequest) => boolean | void;

export interface SmtpdConfig {
  host: string;
  port: number;
  policy: ServerPolicy;
  /** Domains delivered on this host. */
  localDomains: string[];
  /** Domains this host accepts to pass on (a backup MX). */
  relayDomains: string[];
  /** Default: authenticated clients only. */
  relay?: RelayRules;
  /** Client addresses or CIDR blocks refused with a 554 greeting (RFC 5321 §3.1). */
  rejectClients?: readonly string[];
  /** AUTH: are these credentials good? (Without it, every login fails.) */
  checkCredentials?(user: string, password: string): boolean;
  /**
   * Greylisting: 451 4.7.1 for a (client address, sender, recipient) seen for the first
   * time, accepted once `delayMs` of virtual time has passed since.
   */
  greylisting?: { delayMs: number };
  /** Wait this long before the greeting (Postfix greet pause), to catch early talkers. */
  greetPauseMs?: number;
  /** Injected replies. */
  faults?: readonly SmtpFault[];
  /** Reset the connection when the client sends one of these (a network fault). */
  resets?: readonly { command: string; times?: number }[];
  /** Octets the queue can take (a full disk gives 452 4.3.1). */
  storageFree?(): number;
  /** Called for each accepted message. */
  onMessage(queueId: string, envelope: Envelope, content: Uint8Array): void;
  onStartTls?: StartTlsHook;
}

/** A running SMTP service. */
export interface Smtpd {
  readonly config: SmtpdConfig;
  /**
   * New settings (after `postfix reload`): connections from now on use them; sessions
   * already open keep theirs, as Postfix's running smtpd processes do.
   */
  reconfigure(changes: Partial<Pick<SmtpdConfig, 'relay' | 'policy'>>): void;
  /** Sessions open now. */
  sessionCount(): number;
  /** Send 421 to every open session and close it (RFC 5321 §3.8). */
  shutdown(): void;
}

const TLS = { version: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' } as const;

export function startSmtpd(world: World, config: SmtpdConfig): Smtpd {
  const shared: Shared = {
    greylist: new Map(),
    faults: (config.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity })),
    resets: (config.resets ?? []).map((r) => ({ command: r.command, left: r.times ?? Infinity })),
    live: new Set(),
  };
  let current = config;
  world.net.listen(config.host, config.port, (socket) => serve(world, current, shared, socket));
  return {
    get config() {
      return current;
    },
    reconfigure: (changes) => void (current = { ...current, ...changes }),
    sessionCount: () => shared.live.size,
    shutdown: () => {
      for (const stop of [...shared.live]) stop();
    },
  };
}

interface Shared {
  /** Greylist triplet → when it was first seen (virtual ms). */
  greylist: Map<string, number>;
  faults: (SmtpFault & { left: number })[];
  resets: { command: string; left: number }[];
  /** One shutdown function per open session. */
  live: Set<() => void>;
}

function serve(world: World, config: SmtpdConfig, shared: Shared, socket: Socket): void {
  const { conn } = socket;
  const server = config.host;
  const client = socket.remote.address;
  const session = new ServerSession({
    policy: config.policy,
    client: {
      address: client,
      name: world.reverseName(client),
      refused: (config.rejectClients ?? []).some((block) => inBlock(client, block)),
    },
    checkRecipient: (rcpt, check) => checkRecipient(world, config, shared, client, rcpt, check),
    ...(config.checkCredentials ? { checkCredentials: config.checkCredentials } : {}),
    ...(config.storageFree ? { storageFree: config.storageFree } : {}),
    ...(shared.faults.length ? { fault: (step: FaultStep) => takeFault(shared, step) } : {}),
    queueId: () => world.random.hex(10),
    date: () => rfc5322Date(world.epoch, world.clock.now),
  });

  // Postfix's smtpd log: connect, rejects, accepted messages, and a summary at disconnect.
  const peer = `${world.reverseName(client) ?? 'unknown'}[${client}]`;
  const counts = new Map<string, number>();
  let lastCommand = '';
  let helo = '';
  let from = '';
  mailLog(world, server, 'smtpd', `connect from ${peer}`);

  const handshake = (implicit: boolean, discarded: number) => {
    socket.secure = true;
    world.trace.emit({ type: 'tls.handshake', conn, server, ...TLS, implicit, discarded });
  };

  const startTls = () => {
    let done = false;
    const complete = () => {
      if (done || session.state !== 'tls') return;
      done = true;
      const events = session.tlsEstablished();
      const dropped = events.find((e) => e.type === 'discarded');
      handshake(false, dropped?.type === 'discarded' ? dropped.bytes : 0);
      handle(events);
    };
    const deferred = config.onStartTls?.({
      conn,
      host: server,
      port: config.port,
      socket,
      complete,
    });
    if (deferred !== true) complete();
  };

  const handle = (events: ServerEvent[]) => {
    for (const event of events) {
      // A reset fault: the connection drops the moment the command arrives, unanswered.
      const step = event.type === 'command' ? event.verb : event.type === 'data' ? 'DATA-END' : '';
      if (step && takeReset(shared, step)) {
        finish();
        socket.reset();
        return;
      }
      switch (event.type) {
        case 'pregreet':
          world.trace.emit({ type: 'smtp.pregreet', conn, server, bytes: event.bytes });
          break;
        case 'command':
          lastCommand = event.verb;
          if (event.verb === 'HELO' || event.verb === 'EHLO') helo = event.line.slice(5).trim();
          if (event.verb === 'MAIL') from = /<([^>]*)>/.exec(event.line)?.[1] ?? '';
          if (VERB.test(event.verb)) {
            const verb = event.verb.toLowerCase();
            counts.set(verb, (counts.get(verb) ?? 0) + 1);
          }
          world.trace.emit({
            type: 'smtp.command',
            conn,
            server,
            verb: event.verb,
            line: event.line,
          });
          break;
        case 'reply':
          world.trace.emit({
            type: 'smtp.reply',
            conn,
            server,
            code: event.reply.code,
            lines: event.wire.split('\r\n').slice(0, -1),
          });
          socket.write(event.wire);
          if (event.reply.code >= 400 && lastCommand === 'RCPT') {
            const to = event.reply.lines[0]?.match(/^<([^>]*)>/)?.[1] ?? '';
            mailLog(
              world,
              server,
              'smtpd',
              `NOQUEUE: reject: RCPT from ${peer}: ${event.wire.split('\r\n')[0]}; from=<${from}> to=<${to}> proto=ESMTP helo=<${helo}>`,
            );
          }
          break;
        case 'data':
          world.trace.emit({
            type: 'smtp.data',
            conn,
            server,
            bytes: event.bytes,
            lines: event.lines,
          });
          break;
        case 'starttls':
          startTls();
          break;
        case 'discarded':
          break; // reported with the handshake
        case 'message':
          world.trace.emit({
            type: 'mail.accepted',
            host: server,
            conn,
            queueId: event.queueId,
            from: formatMailbox(event.envelope.from),
            to: event.envelope.to.map(formatMailbox),
            bytes: event.content.length,
          });
          mailLog(world, server, 'smtpd', `${event.queueId}: client=${peer}`);
          mailLog(
            world,
            server,
            'cleanup',
            `${event.queueId}: message-id=<${(headerValue(headerText(event.content), 'Message-ID') ?? '').replace(/^<|>$/g, '')}>`,
          );
          config.onMessage(event.queueId, event.envelope, event.content);
          break;
        case 'close':
          finish();
          socket.close();
          break;
      }
    }
  };

  let greeting: TimerHandle | undefined;
  const stop = () => {
    greeting?.cancel();
    handle(session.shutdown());
  };
  let finished = false;
  const finish = () => {
    greeting?.cancel();
    shared.live.delete(stop);
    if (finished) return;
    finished = true;
    const summary = [...counts].map(([verb, n]) => `${verb}=${n}`);
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    mailLog(
      world,
      server,
      'smtpd',
      `disconnect from ${peer} ${[...summary, `commands=${total}`].join(' ')}`,
    );
  };
  shared.live.add(stop);

  socket.on({
    onData: (data) => handle(session.receive(data)),
    // The client went away: nothing more to read, so hang up our side too.
    onClose: () => {
      finish();
      socket.close();
    },
    onReset: () => finish(),
  });
  // RFC 8314 §3: on an implicit-TLS port the handshake comes before any SMTP.
  if (config.policy.tls === 'implicit') handshake(true, 0);
  const pause = config.greetPauseMs ?? 0;
  if (pause > 0) {
    greeting = world.clock.after(pause, () => {
      greeting = undefined;
      if (socket.isOpen) handle(session.start());
    });
  } else handle(session.start());
}

function checkRecipient(
  world: World,
  config: SmtpdConfig,
  shared: Shared,
  client: string,
  rcpt: Mailbox,
  check: RecipientCheck,
): Reply | undefined {
  const domain = rcpt.domain.toLowerCase();
  const address = formatMailbox(rcpt);
  if (domain === '') return undefined; // bare <postmaster> (RFC 5321 §4.1.1.3)
  const relay = config.relay ?? { open: false, authenticated: true, networks: [] };
  const trusted =
    (relay.authenticated && check.user !== undefined) ||
    relay.networks.some((block) => inBlock(client, block));
  if (config.localDomains.includes(domain) || domain === config.host) {
    if (!world.aliasTargets(rcpt)) {
      const user = world.localUser(config.host, rcpt);
      if (!user) return R.userUnknown(address);
      // RFC 3463 X.2.2: a full mailbox is a temporary condition; the sender retries.
      const quota = world.quota(rcpt);
      if (quota !== undefined && mailboxBytes(world, config.host, user) >= quota) {
        return R.mailboxFull(address);
      }
    }
  } else if (!config.relayDomains.includes(domain) && !relay.open && !trusted) {
    return R.relayDenied(address);
  }
  // Greylisting comes after the checks that would refuse for good, and spares trusted
  // clients; a VRFY question changes nothing.
  if (config.greylisting && !trusted && !check.vrfy) {
    const key = `${client}|${formatMailbox(check.from ?? null).toLowerCase()}|${address.toLowerCase()}`;
    const first = shared.greylist.get(key);
    if (first === undefined) shared.greylist.set(key, world.clock.now);
    if (first === undefined || world.clock.now - first < config.greylisting.delayMs) {
      return R.greylisted(address);
    }
  }
  return undefined;
}

/** Verbs counted in the "disconnect from" line (Postfix counts known commands only). */
const VERB = /^[A-Z]{4,8}$/;

function takeReset(shared: Shared, command: string): boolean {
  const reset = shared.resets.find((r) => r.command === command && r.left > 0);
  if (!reset) return false;
  reset.left--;
  return true;
}

function takeFault(shared: Shared, step: FaultStep): Reply | undefined {
  const fault = shared.faults.find((f) => f.step === step && f.left > 0);
  if (!fault) return undefined;
  fault.left--;
  return fault.reply;
}

/** Is IPv4 `address` the address `block`, or inside the CIDR block `block`? */
export function inBlock(address: string, block: string): boolean {
  const [base, bits] = block.split('/');
  const a = ipv4(address);
  const b = ipv4(base ?? '');
  if (a === undefined || b === undefined) return false;
  const n = bits === undefined ? 32 : Number(bits);
  if (n === 0) return true;
  const mask = (~0 << (32 - n)) >>> 0;
  return (a & mask) >>> 0 === (b & mask) >>> 0;
}

function ipv4(s: string): number | undefined {
  const parts = s.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    return undefined;
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

function mailboxBytes(world: World, host: string, user: string): number {
  return (world.mailstore(host)?.messages(user) ?? []).reduce((n, m) => n + m.raw.length, 0);
}
