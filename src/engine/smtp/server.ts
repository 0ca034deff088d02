/**
 * An SMTP server session (RFC 5321 and the ESMTP extensions it advertises) as a pure state
 * machine: bytes in, events out. It never touches a socket or a clock; the agent that owns
 * it writes the replies it returns, closes the connection when told, does the TLS handshake
 * when told and reports it back (tlsEstablished), and decides recipients, credentials and
 * injected faults through the context.
 *
 * Extensions: PIPELINING (RFC 2920), SIZE (RFC 1870), ENHANCEDSTATUSCODES (RFC 2034,
 * RFC 3463), 8BITMIME (RFC 6152), DSN (RFC 3461), SMTPUTF8 (RFC 6531), CHUNKING (RFC 3030),
 * STARTTLS (RFC 3207) and AUTH PLAIN LOGIN (RFC 4954), as the policy enables them.
 */
import { base64Decode } from '../base64';
import { text, utf8 } from '../bytes';
import { formatMailbox, parsePath, type Mailbox } from './address';
import {
  DEFAULT_MAX_HOPS,
  HARD_ERROR_LIMIT,
  MAX_COMMAND_LINE,
  MAX_ENVID,
  MAX_ORCPT,
  MAX_SASL_LINE,
  MAX_TEXT_LINE,
  MIN_RECIPIENTS,
} from './limits';
import { LineBuffer, type Line } from './lines';
import { decodeXtext, parseParams, safe, type Params } from './params';
import { countReceived, protocolName, receivedHeader } from './received';
import { formatReply, R, type Reply } from './reply';

/**
 * greeted: greeting sent, waiting for HELO/EHLO · ready: no transaction · mail: MAIL
 * accepted · rcpt: at least one recipient accepted · bdat: a chunked message (RFC 3030) is
 * under way · data: reading message text · auth: inside a SASL exchange (RFC 4954) · tls:
 * STARTTLS accepted, waiting for the handshake (RFC 3207) · refused: 554 greeting sent,
 * only QUIT is served (§3.1) · closed.
 */
export const SERVER_STATES = [
  'greeted',
  'ready',
  'mail',
  'rcpt',
  'bdat',
  'data',
  'auth',
  'tls',
  'refused',
  'closed',
] as const;
export type ServerState = (typeof SERVER_STATES)[number];

/** EHLO keywords the session implements; STARTTLS and AUTH follow `tls` and `auth`. */
export const EXTENSIONS = [
  'PIPELINING',
  'SIZE',
  'ENHANCEDSTATUSCODES',
  '8BITMIME',
  'DSN',
  'SMTPUTF8',
  'CHUNKING',
] as const;
export type Extension = (typeof EXTENSIONS)[number];

export const SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/**
 * none: no STARTTLS · may: STARTTLS offered (Postfix smtpd_tls_security_level=may) ·
 * required: offered, and MAIL or AUTH before it get 530 (=encrypt; it also keeps AUTH for
 * after TLS) · implicit: the connection is TLS from the first byte (port 465, RFC 8314).
 */
export type TlsMode = 'none' | 'may' | 'required' | 'implicit';

export interface AuthPolicy {
  mechanisms: readonly SaslMechanism[];
  /** Submission (RFC 6409 §4.3): MAIL before AUTH gets 530 5.7.0 (RFC 4954 §6). */
  required: boolean;
  /** Postfix smtpd_tls_auth_only: AUTH is offered only over TLS, 538 5.7.11 before. */
  tlsOnly: boolean;
}

export interface ServerPolicy {
  hostname: string;
  /** Text after the host name in the 220 greeting. */
  banner: string;
  /** Largest message accepted, in octets, advertised with SIZE (RFC 1870). */
  maxMessageSize: number;
  /** Recipients per transaction; RFC 5321 §4.5.3.1.8 requires at least 100. */
  maxRecipients: number;
  /** The extensions to advertise (default: all of EXTENSIONS). */
  extensions?: readonly Extension[];
  /** STARTTLS and implicit TLS (default 'none'). */
  tls?: TlsMode;
  /** SMTP AUTH (default: not offered). */
  auth?: AuthPolicy;
  /** §3.5.3: 252 without checking (default), check the address, or refuse with 502. */
  vrfy?: 'ambiguous' | 'verify' | 'disabled';
  /** §3.5.2: mailing lists EXPN may show, by name; without it EXPN is not implemented. */
  expn?: Readonly<Record<string, readonly string[]>>;
  /**
   * What to do with a client that talks before the greeting (Postfix postscreen's pregreet
   * test): 554 and 503 to all but QUIT (default), carry on regardless, or 521 and close.
   */
  pregreet?: 'reject' | 'ignore' | 'drop';
  /**
   * A bare CR or LF in message text (§2.3.8; CVE-2023-51764): refuse the message with 550
   * after the terminator (default), or answer 521 at once and close (RFC 7504).
   */
  bareNewline?: 'reject' | 'disconnect';
  /**
   * §4.5.3.1.6 limits a text line to 1000 octets with its CRLF, but Postfix and most
   * servers accept longer lines (and fold them when they must); 'reject' refuses the
   * message with 500 after the terminator, as the RFC's "500 Line too long" has it.
   */
  longLines?: 'accept' | 'reject';
  /** More `Received:` headers than this: 554 5.4.6 Too many hops (RFC 5321 §6.3). */
  maxHops?: number;
}

export const DEFAULT_POLICY = {
  banner: 'ESMTP SMTP Lab',
  maxMessageSize: 10_240_000,
  maxRecipients: MIN_RECIPIENTS,
  extensions: EXTENSIONS,
  tls: 'none',
  vrfy: 'ambiguous',
  pregreet: 'reject',
  bareNewline: 'reject',
  longLines: 'accept',
  maxHops: DEFAULT_MAX_HOPS,
} as const satisfies Omit<ServerPolicy, 'hostname'>;

/** Steps where a scenario can inject a reply: the verbs, the connection and end of data. */
export const FAULT_STEPS = [
  'CONNECT',
  'HELO',
  'EHLO',
  'STARTTLS',
  'AUTH',
  'MAIL',
  'RCPT',
  'DATA',
  'BDAT',
  'DATA-END',
  'RSET',
  'NOOP',
  'VRFY',
  'EXPN',
  'HELP',
  'QUIT',
] as const;
export type FaultStep = (typeof FAULT_STEPS)[number];

export interface RecipientCheck {
  /** The transaction's reverse path (null for `<>`); absent for VRFY. */
  from?: Mailbox | null;
  /** The name the client authenticated as (RFC 4954), if it did. */
  user?: string;
  /** A VRFY question: answer it, but change nothing (no greylisting). */
  vrfy?: boolean;
}

export interface ServerContext {
  policy: ServerPolicy;
  /** The peer; `refused` makes the greeting 554 (RFC 5321 §3.1). */
  client: { address: string; name?: string; refused?: boolean };
  /** Decide one recipient: undefined accepts it, a reply rejects it. */
  checkRecipient(rcpt: Mailbox, check: RecipientCheck): Reply | undefined;
  /** AUTH: are these credentials good? Without it every login fails. */
  checkCredentials?(user: string, password: string): boolean;
  /** Octets the queue can take now; below what is needed the answer is 452 4.3.1. */
  storageFree?(): number;
  /** An injected reply for this step, replacing what the session would answer. */
  fault?(step: FaultStep): Reply | undefined;
  /** A fresh queue id for an accepted message. */
  queueId(): string;
  /** The current virtual time as an RFC 5322 date. */
  date(): string;
}

/** RFC 3461 §4.1: NEVER, or any of SUCCESS, FAILURE, DELAY. */
export type Notify = 'NEVER' | readonly ('SUCCESS' | 'FAILURE' | 'DELAY')[];

export interface EnvelopeRecipient {
  mailbox: Mailbox;
  /** The RCPT parameters as given. */
  params: Params;
  /** RFC 3461 §4.1. */
  notify?: Notify;
  /** RFC 3461 §4.2: the address type ("rfc822") and the original recipient, decoded. */
  orcpt?: { type: string; address: string };
}

export interface Envelope {
  helo: string;
  /** The `with` keyword of the Received: header (RFC 3848, RFC 6531). */
  protocol: string;
  from: Mailbox | null;
  to: Mailbox[];
  /** The MAIL parameters as given. */
  params: Params;
  /** One per entry of `to`, in order, with its DSN parameters. */
  recipients: EnvelopeRecipient[];
  /** RFC 3461 §4.3 RET and §4.4 ENVID (decoded), for the bounce. */
  ret?: 'FULL' | 'HDRS';
  envid?: string;
  /** RFC 6531: the transaction declared SMTPUTF8. */
  smtputf8: boolean;
  /** The authenticated user (RFC 4954), if any. */
  user?: string;
  /** The message came over TLS. */
  tls: boolean;
}

export type ServerEvent =
  /** Bytes arrived before the greeting (emitted by start(), before the greeting). */
  | { type: 'pregreet'; bytes: number }
  | { type: 'command'; verb: string; line: string }
  | { type: 'reply'; reply: Reply; wire: string }
  | { type: 'data'; bytes: number; lines: number }
  /** STARTTLS accepted: do the handshake, then call tlsEstablished(). */
  | { type: 'starttls' }
  /** Plaintext that came after STARTTLS and before the handshake, dropped (CVE-2011-0411). */
  | { type: 'discarded'; bytes: number }
  | { type: 'message'; queueId: string; envelope: Envelope; content: Uint8Array }
  | { type: 'close' };

/** Misuse of the session's API (never anything the client sent). */
export class ServerUsageError extends Error {
  override readonly name = 'ServerUsageError';
}

type Next = ServerState | 'same';

export interface Transition {
  /** States in which the command is in sequence. */
  from: readonly ServerState[];
  /**
   * Where a positive (2xx/3xx) reply leaves the session: a state, 'same', or one per reply
   * code. Like DATA's text, a SASL exchange and a chunked message end in 'ready'.
   */
  to: Next | Readonly<Record<number, Next>>;
  /** For extension verbs: whether the policy offers it here; otherwise 502. */
  offered?: (s: ServerSession) => boolean;
  /** For extension verbs: the EHLO keyword that advertises it (RFC 5321 §4.1.1.1). */
  keyword?: string;
  handle(session: ServerSession, arg: string): Reply;
}

/** The states in which command lines are read. */
const ANY: readonly ServerState[] = ['greeted', 'ready', 'mail', 'rcpt', 'bdat'];
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const CRLF = utf8('\r\n');
/** A handler's answer meaning "reply once the BDAT chunk has been read". */
const PENDING: Reply = { code: 0, status: '', lines: [] };
const USERNAME = 'VXNlcm5hbWU6'; // "Username:" (the LOGIN mechanism's challenges)
const PASSWORD = 'UGFzc3dvcmQ6'; // "Password:"
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * The command table: which verbs are in sequence where, and where they lead. Commands that
 * RFC 5321 §4.1.4 allows at any time (RSET, NOOP, VRFY, EXPN, HELP, QUIT) list every state.
 * After a 554 greeting only QUIT is in sequence (§3.1).
 */
export const SERVER_TRANSITIONS: Record<string, Transition> = {
  HELO: { from: ANY, to: 'ready', handle: (s, arg) => s.hello(arg, false) },
  EHLO: { from: ANY, to: 'ready', handle: (s, arg) => s.hello(arg, true) },
  // RFC 3207 §4: not inside a transaction; once accepted, the session waits for TLS.
  STARTTLS: {
    from: ['ready'],
    to: 'tls',
    offered: (s) => s.tlsAvailable,
    keyword: 'STARTTLS',
    handle: (s, arg) => s.starttls(arg),
  },
  // RFC 4954 §4: not inside a transaction; 334 opens a SASL exchange, 235 ends it at once.
  AUTH: {
    from: ['ready'],
    to: { 334: 'auth', 235: 'same' },
    offered: (s) => s.authAvailable,
    keyword: 'AUTH',
    handle: (s, arg) => s.auth(arg),
  },
  MAIL: { from: ['ready'], to: 'mail', handle: (s, arg) => s.mail(arg) },
  RCPT: { from: ['mail', 'rcpt'], to: 'rcpt', handle: (s, arg) => s.rcpt(arg) },
  DATA: { from: ['rcpt'], to: 'data', handle: (s, arg) => s.data(arg) },
  // RFC 3030 §2: BDAT chunks follow RCPT; LAST ends the message (and the state is 'ready').
  BDAT: {
    from: ['rcpt', 'bdat'],
    to: 'bdat',
    offered: (s) => s.offers('CHUNKING'),
    keyword: 'CHUNKING',
    handle: (s, arg) => s.bdat(arg),
  },
  RSET: { from: ANY, to: 'same', handle: (s, arg) => s.rset(arg) },
  NOOP: { from: ANY, to: 'same', handle: () => R.ok() },
  VRFY: { from: ANY, to: 'same', handle: (s, arg) => s.vrfy(arg) },
  EXPN: { from: ANY, to: 'same', handle: (s, arg) => s.expn(arg) },
  HELP: { from: ANY, to: 'same', handle: () => R.help() },
  TURN: { from: ANY, to: 'same', handle: () => R.notImplemented('TURN') },
  QUIT: {
    from: [...ANY, 'refused'],
    to: 'closed',
    handle: (_s, arg) => (arg ? R.syntax('QUIT') : R.closing()),
  },
};

/**
 * Where a positive (2xx/3xx) reply to `verb`, in sequence in `state`, leaves the session by
 * the table. RSET keeps the state but ends any transaction (§4.1.1.5): back to 'ready'.
 */
export function nextState(state: ServerState, verb: string, code: number): ServerState {
  const to = Object.hasOwn(SERVER_TRANSITIONS, verb) ? SERVER_TRANSITIONS[verb]!.to : 'same';
  const next = typeof to === 'string' ? to : to[code];
  if (next !== undefined && next !== 'same') return next;
  return verb === 'RSET' && state !== 'greeted' ? 'ready' : state;
}

interface Chunk {
  /** Octets of the chunk still to read. */
  left: number;
  size: number;
  last: boolean;
  /** The reply for a refused BDAT, sent once its chunk has been read and dropped. */
  error: Reply | undefined;
}

interface Sasl {
  mechanism: SaslMechanism;
  /** LOGIN: the user name, once given. */
  user?: string;
}

export class ServerSession {
  private current: ServerState = 'greeted';
  private buffer = new LineBuffer();
  private out: ServerEvent[] = [];
  private started = false;
  /** Octets received before start(): the client talked first. */
  private early = 0;
  private errors = 0;
  private helo = '';
  private esmtp = false;
  private secure: boolean;
  private user: string | undefined;
  private sasl: Sasl | undefined;
  /** Plaintext dropped between STARTTLS and the handshake. */
  private discarded = 0;
  // The transaction.
  private from: Mailbox | null = null;
  private mailParams: Params = new Map();
  private smtputf8 = false;
  private ret: 'FULL' | 'HDRS' | undefined;
  private envid: string | undefined;
  private recipients: EnvelopeRecipient[] = [];
  private rcptAttempted = false;
  // The message text (DATA or BDAT).
  private chunk: Chunk | undefined;
  private body: Uint8Array[] = [];
  private bodySize = 0;
  private bodyLines = 0;
  private oversized = false;
  private bareNewline = false;
  private longLine = false;

  private readonly extensions: ReadonlySet<Extension>;
  private readonly tls: TlsMode;

  constructor(private readonly ctx: ServerContext) {
    const p = ctx.policy;
    this.extensions = new Set(p.extensions ?? DEFAULT_POLICY.extensions);
    this.tls = p.tls ?? DEFAULT_POLICY.tls;
    // RFC 8314 §3: on an implicit-TLS port the session is secure from its first byte.
    this.secure = this.tls === 'implicit';
  }

  get state(): ServerState {
    return this.current;
  }

  /** The connection is (simulated) TLS: implicit, or after STARTTLS. */
  get isSecure(): boolean {
    return this.secure;
  }

  /** The name the client authenticated as, if it did. */
  get authenticatedUser(): string | undefined {
    return this.user;
  }

  offers(extension: Extension): boolean {
    return this.extensions.has(extension);
  }

  /** STARTTLS exists here: TLS is configured (when already on, it gets 554, RFC 3207 §4). */
  get tlsAvailable(): boolean {
    return this.tls !== 'none';
  }

  get authAvailable(): boolean {
    return this.ctx.policy.auth !== undefined;
  }

  /**
   * The greeting the server sends once the connection is open (§3.1): 220, or 554 for a
   * refused client. Bytes that came before it were early talk (PIPELINING does not cover
   * the greeting, RFC 2920 §3.1); they are reported and then answered as the policy says.
   */
  start(): ServerEvent[] {
    if (this.started) throw new ServerUsageError('start() was already called');
    this.started = true;
    const { hostname, banner } = this.ctx.policy;
    const pregreet = this.ctx.policy.pregreet ?? DEFAULT_POLICY.pregreet;
    if (this.early > 0) this.out.push({ type: 'pregreet', bytes: this.early });
    if (this.ctx.client.refused) {
      this.send(R.refused(this.ctx.client.address));
      this.current = 'refused';
    } else if (this.early > 0 && pregreet === 'reject') {
      this.send(R.pregreet());
      this.current = 'refused';
    } else if (this.early > 0 && pregreet === 'drop') {
      this.send(R.pregreetDrop(hostname));
      this.close();
    } else {
      const fault = this.ctx.fault?.('CONNECT');
      if (!fault || fault.code < 400) this.send(fault ?? R.greeting(hostname, banner));
      else {
        this.send(fault);
        // §3.1: 554 keeps the connection for QUIT; anything else (421) closes it (§3.8).
        if (fault.code >= 500) this.current = 'refused';
        else this.close();
      }
    }
    this.pump();
    return this.flush();
  }

  /** Feed bytes from the client; returns what happened, in order. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this.current === 'closed') return [];
    if (!this.started) {
      this.early += chunk.length;
      this.buffer.push(chunk);
      return [];
    }
    if (this.current === 'tls') {
      // RFC 3207 §4.2 and CVE-2011-0411: nothing sent before the handshake may count.
      this.discarded += chunk.length;
      return [];
    }
    this.buffer.push(chunk);
    this.pump();
    return this.flush();
  }

  /**
   * The TLS handshake the 'starttls' event asked for is done. RFC 3207 §4.2: the session
   * starts over as just greeted (no new greeting) and forgets all it learned before, the
   * EHLO name and any authentication included; the client must send EHLO again.
   */
  tlsEstablished(): ServerEvent[] {
    if (this.current !== 'tls') throw new ServerUsageError('no STARTTLS is waiting for TLS');
    this.secure = true;
    this.helo = '';
    this.esmtp = false;
    this.user = undefined;
    this.resetTransaction();
    this.current = 'greeted';
    if (this.discarded > 0) this.out.push({ type: 'discarded', bytes: this.discarded });
    this.discarded = 0;
    this.pump();
    return this.flush();
  }

  /** The server is going down: 421 and close (RFC 5321 §3.8), whatever the state. */
  shutdown(): ServerEvent[] {
    if (this.current === 'closed') return [];
    this.send(R.shutdown(this.ctx.policy.hostname));
    this.close();
    return this.flush();
  }

  // --- command handlers, called through SERVER_TRANSITIONS -------------------------

  hello(arg: string, extended: boolean): Reply {
    // The name goes into the Received: header, so it must be one printable token.
    if (!/^[\x21-\x7e\u0080-\uffff]+$/.test(arg)) {
      return R.syntax(extended ? 'EHLO hostname' : 'HELO hostname');
    }
    this.helo = arg;
    this.esmtp = extended;
    this.resetTransaction(); // §4.1.4: a new EHLO/HELO also clears any transaction.
    const { hostname, maxMessageSize } = this.ctx.policy;
    if (!extended) return R.helo(hostname);
    // Postfix's order. RFC 3207 §4.2: no STARTTLS once secure; AUTH may wait for TLS.
    const lines = [hostname];
    if (this.offers('PIPELINING')) lines.push('PIPELINING');
    if (this.offers('SIZE')) lines.push(`SIZE ${maxMessageSize}`);
    if (this.tlsAvailable && !this.secure) lines.push('STARTTLS');
    const auth = this.ctx.policy.auth;
    if (auth && (this.secure || !this.authWaitsForTls())) {
      lines.push(`AUTH ${auth.mechanisms.join(' ')}`);
    }
    for (const ext of ['ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING'] as const) {
      if (this.offers(ext)) lines.push(ext);
    }
    return { code: 250, status: '', lines };
  }

  starttls(arg: string): Reply {
    if (arg) return R.syntax('STARTTLS');
    if (this.secure) return R.tlsActive(); // Postfix, also on an implicit-TLS port
    return R.tlsReady();
  }

  auth(arg: string): Reply {
    const auth = this.ctx.policy.auth!;
    // RFC 4954 §4: after a successful AUTH, any further AUTH gets 503.
    if (this.user !== undefined) return R.sequence('already authenticated');
    const words = arg.split(' ');
    if (!words[0] || words.length > 2) return R.syntax('AUTH mechanism [initial-response]');
    if (this.tls === 'required' && !this.secure) return R.tlsFirst();
    if (auth.tlsOnly && !this.secure) return R.encryptionRequired(); // RFC 4954 §6
    const mechanism = words[0].toUpperCase();
    if (!auth.mechanisms.some((m) => m === mechanism)) return R.authMechanism();
    this.sasl = { mechanism: mechanism as SaslMechanism };
    const initial = words[1];
    if (initial === undefined) return R.challenge(mechanism === 'PLAIN' ? '' : USERNAME);
    // RFC 4954 §4: "=" is an empty initial response.
    return this.saslStep(initial === '=' ? '' : initial);
  }

  mail(arg: string): Reply {
    const prefix = /^FROM:[ ]*/i.exec(arg); // a space after the colon is common; tolerate it
    if (!prefix) return R.syntax('MAIL FROM:<address>');
    if (this.tls === 'required' && !this.secure) return R.tlsFirst();
    if (this.ctx.policy.auth?.required && this.user === undefined) return R.authRequired();
    const utf8Ok = this.esmtp && this.offers('SMTPUTF8');
    const path = parsePath(arg.slice(prefix[0].length), { allowNull: true, utf8: utf8Ok });
    if (!path.ok) return R.badSender();
    const parsed = parseParams(path.rest);
    if (!parsed.ok) return R.badParameter(parsed.error);
    let ret: 'FULL' | 'HDRS' | undefined;
    let envid: string | undefined;
    for (const [key, value] of parsed.params) {
      if (!this.esmtp) return R.unsupportedOption(safe(key));
      const problem = this.mailParam(key, value);
      if (problem) return problem;
      if (key === 'RET') ret = (value as string).toUpperCase() as 'FULL' | 'HDRS';
      if (key === 'ENVID') envid = decodeXtext(value as string);
    }
    const smtputf8 = parsed.params.has('SMTPUTF8');
    // RFC 6531 §3.4: UTF-8 in the envelope only in a transaction that declares SMTPUTF8.
    if (!smtputf8 && path.mailbox && isNonAscii(path.mailbox)) return R.utf8Required();
    const free = this.ctx.storageFree?.();
    const declared = Number(parsed.params.get('SIZE') ?? 0);
    // RFC 1870 §6.1: 452 when the space is missing now (rather than for good: 552).
    if (free !== undefined && free < Math.max(declared, 1)) return R.storageFull();
    this.from = path.mailbox;
    this.mailParams = parsed.params;
    this.smtputf8 = smtputf8;
    this.ret = ret;
    this.envid = envid;
    return R.senderOk();
  }

  /** MAIL parameters of the extensions this server advertises. */
  private mailParam(key: string, value: string | true): Reply | undefined {
    switch (key) {
      case 'SIZE': // RFC 1870 §6: refuse up front what would be refused after DATA.
        if (!this.offers('SIZE')) break;
        if (value === true || !/^\d{1,20}$/.test(value))
          return R.badParameter('Bad message size syntax');
        return Number(value) > this.ctx.policy.maxMessageSize ? R.sizeExceeded() : undefined;
      case 'BODY': // RFC 6152 (8BITMIME); the values are ABNF literals, so case-insensitive
        if (!this.offers('8BITMIME')) break;
        return value === true || !['7BIT', '8BITMIME'].includes(value.toUpperCase())
          ? R.badParameter('Bad BODY parameter: use 7BIT or 8BITMIME')
          : undefined;
      case 'SMTPUTF8': // RFC 6531 §3.4: a keyword without a value
        if (!this.offers('SMTPUTF8')) break;
        return value === true ? undefined : R.badParameter('Bad SMTPUTF8 parameter syntax');
      case 'RET': // RFC 3461 §4.3
        if (!this.offers('DSN')) break;
        return value === true || !['FULL', 'HDRS'].includes(value.toUpperCase())
          ? R.badParameter('Bad RET parameter syntax')
          : undefined;
      case 'ENVID': // RFC 3461 §4.4: xtext, at most 100 characters
        if (!this.offers('DSN')) break;
        return value === true || value.length > MAX_ENVID || decodeXtext(value) === undefined
          ? R.badParameter('Bad ENVID parameter syntax')
          : undefined;
      case 'AUTH': // RFC 4954 §5: the original submitter as xtext, or "<>"
        if (!this.authAvailable) break;
        return value === true || decodeXtext(value) === undefined
          ? R.badParameter('Bad AUTH parameter syntax')
          : undefined;
    }
    return R.unsupportedOption(safe(key));
  }

  rcpt(arg: string): Reply {
    const prefix = /^TO:[ ]*/i.exec(arg);
    if (!prefix) return R.syntax('RCPT TO:<address>');
    const utf8Ok = this.esmtp && this.offers('SMTPUTF8');
    const path = parsePath(arg.slice(prefix[0].length), { postmaster: true, utf8: utf8Ok });
    if (!path.ok || !path.mailbox) return R.badRecipient();
    if (!this.smtputf8 && isNonAscii(path.mailbox)) return R.utf8Required();
    const parsed = parseParams(path.rest);
    if (!parsed.ok) return R.badParameter(parsed.error);
    const recipient: EnvelopeRecipient = { mailbox: path.mailbox, params: parsed.params };
    for (const [key, value] of parsed.params) {
      const problem = this.rcptParam(key, value, recipient);
      if (problem) return problem;
    }
    this.rcptAttempted = true;
    if (this.recipients.length >= this.ctx.policy.maxRecipients) return R.tooManyRecipients();
    const refusal = this.ctx.checkRecipient(path.mailbox, {
      from: this.from,
      ...(this.user !== undefined ? { user: this.user } : {}),
    });
    if (refusal) return refusal;
    this.recipients.push(recipient);
    return R.recipientOk();
  }

  /** RCPT parameters: DSN's NOTIFY and ORCPT (RFC 3461 §4.1, §4.2), kept for bounces. */
  private rcptParam(key: string, value: string | true, into: EnvelopeRecipient): Reply | undefined {
    if (!this.esmtp || !this.offers('DSN') || (key !== 'NOTIFY' && key !== 'ORCPT')) {
      return R.unsupportedOption(safe(key));
    }
    if (key === 'NOTIFY') {
      const notify = value === true ? undefined : parseNotify(value);
      if (!notify) return R.badParameter('Bad NOTIFY parameter syntax');
      into.notify = notify;
    } else {
      const orcpt = value === true ? undefined : parseOrcpt(value);
      if (!orcpt) return R.badParameter('Bad ORCPT parameter syntax');
      into.orcpt = orcpt;
    }
    return undefined;
  }

  data(arg: string): Reply {
    if (arg) return R.syntax('DATA');
    this.startMessage();
    return R.startData();
  }

  /** RFC 3030 §2: `BDAT size [LAST]`; the chunk's octets follow the command line. */
  bdat(arg: string): Reply {
    const args = parseBdat(arg);
    if (!args) return R.syntax('BDAT count [LAST]');
    if (this.current !== 'bdat') this.startMessage();
    this.chunk = { left: args.size, size: args.size, last: args.last, error: undefined };
    return PENDING;
  }

  rset(arg: string): Reply {
    if (arg) return R.syntax('RSET');
    this.resetTransaction();
    return R.ok();
  }

  vrfy(arg: string): Reply {
    const mode = this.ctx.policy.vrfy ?? DEFAULT_POLICY.vrfy;
    if (mode === 'disabled') return R.vrfyDisabled(); // Postfix disable_vrfy_command
    if (!arg) return R.syntax('VRFY address');
    if (mode === 'ambiguous') return R.vrfy(); // §3.5.3: 252, neither yes nor no
    const path = parsePath(arg.startsWith('<') ? arg : `<${arg}>`, { postmaster: true });
    // A bare user name cannot be checked against a domain: still the ambiguous 252.
    if (!path.ok || !path.mailbox || path.rest.trim() !== '') return R.vrfy();
    const refusal = this.ctx.checkRecipient(path.mailbox, {
      vrfy: true,
      ...(this.user !== undefined ? { user: this.user } : {}),
    });
    return refusal ?? R.vrfyOk(formatMailbox(path.mailbox));
  }

  expn(arg: string): Reply {
    const lists = this.ctx.policy.expn;
    if (!lists) return R.notImplemented('EXPN');
    if (!arg) return R.syntax('EXPN mailing-list');
    const name = arg.replace(/^<(.*)>$/, '$1').toLowerCase();
    const local = name.includes('@') ? name.slice(0, name.lastIndexOf('@')) : name;
    const entries = Object.entries(lists);
    const found =
      entries.find(([key]) => key.toLowerCase() === name) ??
      entries.find(([key]) => key.toLowerCase() === local);
    return found ? R.expanded(found[1]) : R.noSuchList(safe(arg));
  }

  // --- internals --------------------------------------------------------------------

  /** Read whatever the buffer holds, in the way the state asks for. */
  private pump(): void {
    for (;;) {
      if (this.chunk) {
        if (!this.readChunk()) return;
        continue;
      }
      switch (this.current) {
        case 'closed':
        case 'tls':
          return;
        case 'data': {
          // Most of a message is ordinary lines: take them in runs, one copy per run.
          const run = this.buffer.takePlainLines(MAX_TEXT_LINE);
          if (run && !this.oversized) {
            this.dataRun(run.bytes, run.lines);
            break;
          }
          if (run) {
            this.bodyLines += run.lines;
            this.bodySize += run.bytes.length;
            break;
          }
          // Message text ends only at CRLF; the limit bounds memory, not the line length.
          const line = this.buffer.next('crlf', this.ctx.policy.maxMessageSize + 2);
          if (!line) return;
          this.dataLine(line);
          break;
        }
        case 'auth': {
          const line = this.buffer.next('lf', MAX_SASL_LINE);
          if (!line) return;
          this.saslLine(line);
          break;
        }
        default: {
          // §4.5.3.1.4: 512 octets per command line. Bare LF is tolerated as a command line
          // ending (as Postfix does); it never ends message text.
          const line = this.buffer.next('lf', MAX_COMMAND_LINE);
          if (!line) return;
          this.command(line);
        }
      }
    }
  }

  private command(line: Line): void {
    const raw = text(line.bytes);
    const space = raw.indexOf(' ');
    const verb = (space < 0 ? raw : raw.slice(0, space)).toUpperCase();
    const arg = space < 0 ? '' : raw.slice(space + 1).trim();
    // RFC 4954 §4: an initial response carries credentials; the trace never holds them.
    const shown = verb === 'AUTH' ? redactAuth(raw) : raw;
    this.out.push({ type: 'command', verb, line: line.tooLong ? `${shown}…` : shown });

    const transition = SERVER_TRANSITIONS[verb];
    let result: Reply;
    let advance = false;
    if (this.current === 'refused' && verb !== 'QUIT') result = this.refusedReply();
    else if (line.tooLong) result = R.lineTooLong();
    else if (!transition) result = raw.trim() === '' ? R.badSyntax() : R.notRecognized();
    else if (transition.offered && !transition.offered(this)) result = R.notImplemented(verb);
    else if (!transition.from.includes(this.current)) result = this.outOfSequence(verb);
    else {
      result = this.ctx.fault?.(verb as FaultStep) ?? transition.handle(this, arg);
      if (result === PENDING) return; // BDAT: the reply follows the chunk
      advance = result.code < 400;
    }
    // RFC 3030 §2: a refused BDAT's chunk is still read (and dropped) before the reply, so
    // its octets are never taken for commands.
    if (verb === 'BDAT' && result.code >= 400 && result.code !== 502 && !line.tooLong) {
      const args = parseBdat(arg);
      if (args) {
        this.chunk = { left: args.size, size: args.size, last: args.last, error: result };
        return;
      }
    }
    this.conclude(result, advance ? verb : undefined);
  }

  /** Send the reply to a command, move on (by the table, for `verb`), and count errors. */
  private conclude(result: Reply, verb?: string): void {
    this.send(result); // the reply goes out before any close it leads to (221, then close)
    if (verb) this.enter(verb, result);
    if (this.isClosed()) return;
    // §3.8: 421 means the server closes the channel.
    if (result.code === 421) return this.close();
    if (result.code >= 400 && ++this.errors >= HARD_ERROR_LIMIT) {
      this.send(R.tooManyErrors(this.ctx.policy.hostname));
      this.close();
    }
  }

  private enter(verb: string, reply: Reply): void {
    const to = nextState(this.current, verb, reply.code);
    if (to === this.current) return;
    if (to === 'closed') return this.close();
    this.current = to;
    if (to === 'tls') {
      this.out.push({ type: 'starttls' });
      // CVE-2011-0411: whatever the client pipelined after STARTTLS came in plaintext.
      this.discarded += this.buffer.drain().length;
    }
  }

  /** §4.1.4 and §3.3: 503 for a command out of order; the state does not change. */
  private outOfSequence(verb: string): Reply {
    if (this.current === 'greeted') return R.sequence('send HELO/EHLO first');
    if (verb === 'MAIL') return R.sequence('nested MAIL command');
    // RFC 3207 §4, RFC 4954 §4: neither inside a mail transaction.
    if (verb === 'STARTTLS' || verb === 'AUTH') return R.sequence('MAIL transaction in progress');
    if (this.current === 'bdat' && verb === 'RCPT') return R.sequence('RCPT after BDAT');
    // RFC 3030 §2: DATA and BDAT cannot be mixed in one transaction.
    if (this.current === 'bdat') return R.sequence('DATA after BDAT');
    if (verb === 'RCPT') return R.sequence('need MAIL command');
    // §3.3: after every RCPT failed, DATA may get 503 or 554 "no valid recipients".
    if (this.rcptAttempted) return R.noValidRecipients();
    return R.sequence('need RCPT command');
  }

  private refusedReply(): Reply {
    const { name, address } = this.ctx.client;
    return R.accessDenied(`${name ?? 'unknown'}[${address}]`);
  }

  /** Policy: AUTH only once TLS is up (smtpd_tls_auth_only, or TLS required). */
  private authWaitsForTls(): boolean {
    return this.tls === 'required' || this.ctx.policy.auth?.tlsOnly === true;
  }

  // --- SASL (RFC 4954) ----------------------------------------------------------------

  private saslLine(line: Line): void {
    const response = text(line.bytes).trim();
    // The response is base64 of credentials: the trace shows only that one came.
    this.out.push({
      type: 'command',
      verb: 'AUTH',
      line: response === '*' ? '*' : '[credentials]',
    });
    let result: Reply;
    if (line.tooLong) {
      this.sasl = undefined;
      result = R.lineTooLong();
    } else result = this.saslStep(response);
    if (!this.sasl) this.current = 'ready';
    this.conclude(result);
  }

  private saslStep(response: string): Reply {
    const sasl = this.sasl!;
    if (response === '*') {
      this.sasl = undefined;
      return R.authAborted(); // RFC 4954 §4: the client cancelled
    }
    const decoded = base64Decode(response);
    if (!decoded) {
      this.sasl = undefined;
      return R.authUndecodable();
    }
    if (sasl.mechanism === 'LOGIN' && sasl.user === undefined) {
      sasl.user = text(decoded);
      return R.challenge(PASSWORD);
    }
    this.sasl = undefined;
    let user: string | undefined;
    let password = '';
    if (sasl.mechanism === 'PLAIN') {
      // RFC 4616 §2: [authzid] NUL authcid NUL passwd. Acting for someone else is not allowed.
      const parts = text(decoded).split('\0');
      if (parts.length === 3 && (parts[0] === '' || parts[0] === parts[1])) {
        user = parts[1];
        password = parts[2]!;
      }
    } else {
      user = sasl.user;
      password = text(decoded);
    }
    if (user && this.ctx.checkCredentials?.(user, password)) {
      this.user = user;
      return R.authOk();
    }
    return R.authFailed();
  }

  // --- message text (DATA, BDAT) -------------------------------------------------------

  private startMessage(): void {
    this.body = [];
    this.bodySize = this.bodyLines = 0;
    this.oversized = this.bareNewline = this.longLine = false;
  }

  private dataLine(line: Line): void {
    const b = line.bytes;
    if (b.length === 1 && b[0] === DOT && !line.tooLong) return this.endOfData();
    // §4.5.2: a leading dot was doubled by the client; remove one.
    const content = b[0] === DOT ? b.subarray(1) : b;
    if (content.includes(CR) || content.includes(LF)) {
      this.bareNewline = true;
      if (this.ctx.policy.bareNewline === 'disconnect') {
        this.send(R.bareNewlineClose(this.ctx.policy.hostname));
        return this.close();
      }
    }
    // §4.5.3.1.6: 1000 octets with the CRLF, not counting a dot added for transparency.
    if (line.tooLong || content.length + 2 > MAX_TEXT_LINE) this.longLine = true;
    this.bodyLines++;
    this.bodySize += content.length + 2;
    if (line.tooLong || this.bodySize > this.ctx.policy.maxMessageSize) {
      this.oversized = true;
      this.body = []; // keep reading to the end of data, but stop storing
      return;
    }
    this.body.push(content, CRLF);
  }

  /** Ordinary lines (no dot to unstuff, no bare CR or LF, none too long), endings included. */
  private dataRun(bytes: Uint8Array, lines: number): void {
    this.bodyLines += lines;
    this.bodySize += bytes.length;
    if (this.bodySize > this.ctx.policy.maxMessageSize) {
      this.oversized = true;
      this.body = []; // keep reading to the end of data, but stop storing
      return;
    }
    this.body.push(bytes);
  }

  private endOfData(): void {
    this.out.push({ type: 'data', bytes: this.bodySize, lines: this.bodyLines });
    this.endOfMessage();
  }

  /** Read (part of) the current BDAT chunk; true once it is complete. */
  private readChunk(): boolean {
    const chunk = this.chunk!;
    if (chunk.left > 0) {
      const bytes = this.buffer.take(chunk.left);
      if (bytes.length === 0) return false;
      chunk.left -= bytes.length;
      if (!chunk.error && !this.oversized) {
        // BDAT is binary (RFC 3030 §2): no dot-stuffing, and no line ends to look at.
        this.bodySize += bytes.length;
        if (this.bodySize > this.ctx.policy.maxMessageSize) {
          this.oversized = true;
          this.body = [];
        } else this.body.push(bytes);
      }
      if (chunk.left > 0) return false;
    }
    this.chunk = undefined;
    if (chunk.error) this.conclude(chunk.error);
    else if (this.oversized) {
      // RFC 3030 §2: a failed chunk fails the transaction; later chunks get 503.
      this.resetTransaction();
      this.conclude(R.sizeExceeded());
    } else if (!chunk.last) this.conclude(R.chunkOk(chunk.size), 'BDAT');
    else this.endOfMessage();
    return true;
  }

  /** The message is complete (after DATA's terminator or BDAT LAST): accept or refuse it. */
  private endOfMessage(): void {
    let reply = this.ctx.fault?.('DATA-END');
    if (!reply && this.oversized) reply = R.sizeExceeded();
    if (!reply && this.bareNewline) reply = R.bareNewline();
    const longLines = this.ctx.policy.longLines ?? DEFAULT_POLICY.longLines;
    if (!reply && this.longLine && longLines === 'reject') reply = R.textLineTooLong();
    if (!reply) {
      const body = join(this.body);
      const maxHops = this.ctx.policy.maxHops ?? DEFAULT_POLICY.maxHops;
      const free = this.ctx.storageFree?.();
      if (countReceived(body) > maxHops) reply = R.tooManyHops();
      else if (free !== undefined && free < body.length) reply = R.storageFull();
      else reply = this.accept(body);
    }
    this.resetTransaction();
    this.current = 'ready';
    this.conclude(reply);
  }

  private accept(body: Uint8Array): Reply {
    const queueId = this.ctx.queueId();
    const protocol = protocolName({
      esmtp: this.esmtp,
      tls: this.secure,
      auth: this.user !== undefined,
      utf8: this.smtputf8,
    });
    const header = utf8(
      receivedHeader({
        helo: this.helo,
        clientName: this.ctx.client.name,
        clientAddress: this.ctx.client.address,
        by: this.ctx.policy.hostname,
        protocol,
        id: queueId,
        recipients: this.recipients.map((r) => formatMailbox(r.mailbox)),
        date: this.ctx.date(),
      }),
    );
    const content = new Uint8Array(header.length + body.length);
    content.set(header);
    content.set(body, header.length);
    const envelope: Envelope = {
      helo: this.helo,
      protocol,
      from: this.from,
      to: this.recipients.map((r) => r.mailbox),
      params: this.mailParams,
      recipients: this.recipients,
      smtputf8: this.smtputf8,
      tls: this.secure,
      ...(this.ret ? { ret: this.ret } : {}),
      ...(this.envid !== undefined ? { envid: this.envid } : {}),
      ...(this.user !== undefined ? { user: this.user } : {}),
    };
    this.out.push({ type: 'message', queueId, envelope, content });
    return R.queued(queueId);
  }

  private resetTransaction(): void {
    this.from = null;
    this.mailParams = new Map();
    this.smtputf8 = false;
    this.ret = this.envid = undefined;
    this.recipients = [];
    this.rcptAttempted = false;
    this.startMessage();
    if (this.current !== 'greeted' && this.current !== 'closed' && this.current !== 'refused') {
      this.current = 'ready';
    }
  }

  private send(reply: Reply): void {
    // RFC 2034: enhanced status codes only where the extension is advertised.
    const sent =
      reply.status && !this.offers('ENHANCEDSTATUSCODES') ? { ...reply, status: '' } : reply;
    this.out.push({ type: 'reply', reply: sent, wire: formatReply(sent) });
  }

  private isClosed(): boolean {
    return this.current === 'closed';
  }

  private close(): void {
    this.current = 'closed';
    this.chunk = undefined;
    this.out.push({ type: 'close' });
  }

  private flush(): ServerEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}

/** `BDAT 1024` or `BDAT 0 LAST` (RFC 3030 §2: chunk-size = 1*DIGIT). */
export function parseBdat(arg: string): { size: number; last: boolean } | undefined {
  const m = /^(\d{1,15})(?: +(LAST))?$/i.exec(arg);
  return m ? { size: Number(m[1]), last: m[2] !== undefined } : undefined;
}

/** RFC 3461 §4.1: NEVER alone, or distinct SUCCESS, FAILURE, DELAY. */
function parseNotify(value: string): Notify | undefined {
  const words = value.toUpperCase().split(',');
  if (words.length === 1 && words[0] === 'NEVER') return 'NEVER';
  const allowed = ['SUCCESS', 'FAILURE', 'DELAY'] as const;
  const out: (typeof allowed)[number][] = [];
  for (const word of words) {
    const known = allowed.find((a) => a === word);
    if (!known || out.includes(known)) return undefined;
    out.push(known);
  }
  return out;
}

/** RFC 3461 §4.2: ORCPT=addr-type ";" xtext, at most 500 characters. */
function parseOrcpt(value: string): { type: string; address: string } | undefined {
  const semi = value.indexOf(';');
  if (semi <= 0 || value.length > MAX_ORCPT) return undefined;
  const type = value.slice(0, semi);
  const address = decodeXtext(value.slice(semi + 1));
  if (!/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/.test(type) || !address) return undefined;
  return { type, address };
}

/** `AUTH PLAIN dGVzdA…` → `AUTH PLAIN ****`: keep the mechanism, hide any response. */
function redactAuth(line: string): string {
  const words = line.split(' ');
  return words.length > 2 ? `${words[0]} ${words[1]} ****` : line;
}

function isNonAscii(m: Mailbox): boolean {
  return NON_ASCII.test(m.local) || NON_ASCII.test(m.domain);
}

function join(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
