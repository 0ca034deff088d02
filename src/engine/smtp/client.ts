/**
 * An SMTP client session (RFC 5321) as a pure state machine: the owner feeds it the
 * server's bytes and gets back events — bytes to write, commands and replies to record,
 * "upgrade to TLS now", the delivery result, "close now". It never touches a socket or a
 * timer: the owner runs the timeouts it suggests (`timeout`) and reports them (`timedOut`).
 *
 * One session carries one job (one message to its recipients): greeting, EHLO (HELO as
 * fallback), STARTTLS, AUTH, MAIL, RCPT…, DATA, message text, QUIT. The MUA uses it for
 * submission on 587, the MTA for relaying on 25.
 *
 * Events, in the order they happen:
 *   command   a command line the client sends (without CRLF), for the trace; SASL
 *             responses inside an AUTH exchange (RFC 4954 §4) come with verb 'AUTH'
 *   data      the message text is being sent: its size and line count (RFC 1870 §3)
 *   send      bytes to write to the connection, exactly as given; one event per write,
 *             so a PIPELINING batch is one event (RFC 2920 §3.1)
 *   reply     a complete reply from the server, classified (RFC 5321 §4.2.1)
 *   starttls  the server agreed to STARTTLS: do the handshake, then call tlsEstablished()
 *   error     the server broke the protocol (a malformed or unexpected reply)
 *   done      the outcome for every recipient (once per session)
 *   close     close the connection now (after the reply to QUIT, or at once on failure)
 *
 * Misuse of the API (control characters in envelope arguments, no recipients, calling
 * tlsEstablished() when no handshake was asked for) throws ClientUsageError; anything the
 * server does only ever produces events.
 */
import { base64Encode } from '../base64';
import { text, utf8 } from '../bytes';
import { dataBlock, type DataBlock } from '../message/dotstuff';
import { formatMailbox, isDomain, parsePath, type Mailbox } from './address';
import { MAX_COMMAND_LINE } from './limits';
import { LineBuffer, type Line } from './lines';

// --- the job ---------------------------------------------------------------------------

export type StartTlsPolicy = 'never' | 'opportunistic' | 'required';

/** RFC 3461 §4.1: NOTIFY=NEVER, or any of SUCCESS, FAILURE, DELAY. */
export type DsnNotify = 'NEVER' | readonly ('SUCCESS' | 'FAILURE' | 'DELAY')[];

export interface DsnOptions {
  /** RFC 3461 §4.3: return the full message or only its headers in a bounce. */
  ret?: 'FULL' | 'HDRS';
  /** RFC 3461 §4.4: the envelope id, echoed in DSNs (printable ASCII, sent as xtext). */
  envid?: string;
  /** RFC 3461 §4.1: default NOTIFY for recipients that give none. */
  notify?: DsnNotify;
}

/** A recipient with its own DSN parameters (RFC 3461 §4.1, §4.2), as the MTA relays them. */
export interface RecipientSpec {
  mailbox: Mailbox;
  notify?: DsnNotify;
  /** The original recipient address, sent as ORCPT=rfc822;<xtext>. */
  orcpt?: string;
}

export interface ClientOptions {
  /** RFC 3207: never, when offered (Postfix's "may"), or refuse to go on without it. */
  starttls: StartTlsPolicy;
  /** RFC 4954: log in before MAIL (submission, RFC 6409). */
  auth?: { mechanism: 'PLAIN' | 'LOGIN'; username: string; password: string };
  /** RFC 2920: send MAIL, RCPT… and DATA as one batch when the server offers PIPELINING. */
  pipelining: boolean;
  /** RFC 3461: DSN parameters, sent only when the server offers DSN. */
  dsn?: DsnOptions;
  /**
   * Declare SIZE (RFC 1870 §6) and BODY=8BITMIME (RFC 6152 §3) on MAIL FROM when the
   * server offers them (default). Test tools such as swaks send a bare MAIL FROM.
   */
  mailParameters?: boolean;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  starttls: 'opportunistic',
  pipelining: true,
};

export interface ClientJob {
  /** Our own name for EHLO/HELO: a domain or an address literal (§4.1.1.1). */
  helo: string;
  /** The reverse path; null sends MAIL FROM:<> (bounces, §4.5.5). */
  from: Mailbox | null;
  recipients: readonly (Mailbox | RecipientSpec)[];
  /** The message (RFC 5322 headers and body); line ends are normalised to CRLF. */
  content: string | Uint8Array;
  options?: Partial<ClientOptions>;
}

/** Thrown for misuse of the API — never for anything the server sends. */
export class ClientUsageError extends Error {
  override readonly name = 'ClientUsageError';
}

// --- replies and results -----------------------------------------------------------------

/** §4.2.1: 2yz positive completion, 3yz positive intermediate, 4yz transient, 5yz permanent. */
export type ReplyKind = 'success' | 'intermediate' | 'transient' | 'permanent';

export interface ClientReply {
  code: number;
  /** RFC 3463 enhanced status code from the first line ("2.1.5"), or ''. */
  enhanced: string;
  /** Each line as received, without its line end ("250-PIPELINING"). */
  lines: string[];
  kind: ReplyKind;
}

export type OutcomeKind = 'delivered' | 'transient' | 'permanent';

export interface RecipientOutcome {
  rcpt: Mailbox;
  code: number;
  enhanced: string;
  /** The reply text (lines joined by a space, codes removed), or our own explanation. */
  text: string;
  /** 2xx after the end of data: delivered; 4xx: retry later; 5xx: give up and bounce. */
  kind: OutcomeKind;
  /** The command the reply answered, Postfix-style ("RCPT TO", "end of DATA"), or ''. */
  inReplyTo: string;
  /** True when the client decided this itself (size limit, lost connection, …). */
  local: boolean;
}

export interface DeliveryResult {
  /** delivered: every recipient; partial: some; transient/permanent: none, and why. */
  outcome: 'delivered' | 'partial' | 'transient' | 'permanent';
  /** Per recipient, in the order of the job. */
  recipients: RecipientOutcome[];
  /** From "250 … queued as X" after the end of data, when the server said so. */
  queueId: string | null;
  /** The server's name from its greeting ('' if it never greeted). */
  server: string;
  esmtp: boolean;
  secure: boolean;
  authenticated: boolean;
  pipelined: boolean;
}

export type ClientEvent =
  | { type: 'command'; verb: string; line: string }
  | { type: 'data'; bytes: number; lines: number }
  | { type: 'send'; data: Uint8Array }
  | ({ type: 'reply' } & ClientReply)
  | { type: 'starttls' }
  | { type: 'error'; message: string }
  | { type: 'done'; result: DeliveryResult }
  | { type: 'close' };

// --- states and the transition table ---------------------------------------------------

/**
 * greeting: connected, waiting for 220 · ehlo/helo/starttls/auth/mail/rcpt/data: that command
 * was sent, waiting for its reply · message: text sent, waiting for the reply to the end of
 * data · quit: QUIT sent · tls: the owner is doing the TLS handshake · closed.
 * With PIPELINING several replies are outstanding; the state is the oldest.
 */
export type ClientState =
  | 'greeting'
  | 'ehlo'
  | 'helo'
  | 'starttls'
  | 'tls'
  | 'auth'
  | 'mail'
  | 'rcpt'
  | 'data'
  | 'message'
  | 'quit'
  | 'closed';

type Waiting = Exclude<ClientState, 'tls' | 'closed'>;

interface Transition {
  /** The command the reply answers, as Postfix names it in bounces ("in reply to …"). */
  command: string;
  /** What the client was doing, for "lost connection … while …". */
  during: string;
  /** §4.5.3.2: how long to wait for this reply, in (virtual) milliseconds. */
  timeout: number;
  /** Positive reply classes this step understands; any other positive reply is an error. */
  accepts: readonly ReplyKind[];
  /** Every state each class of reply can lead to (checked after every reply). */
  next: Record<ReplyKind, readonly ClientState[]>;
  handle(session: ClientSession, reply: ClientReply): void;
}

const MINUTE = 60_000;
/** 421 (and a malformed reply) closes at once; other failures say QUIT first (§4.1.1.10). */
const FAILS = ['quit', 'closed'] as const;
const CLOSED = ['closed'] as const;

/**
 * The client's table: for each reply the client can be waiting for, where each class of
 * answer leads. 421 from any state ends the session without QUIT (§3.8, §4.2.2); a
 * positive reply of a class the step does not accept is a protocol error and closes.
 */
export const CLIENT_TRANSITIONS: Record<Waiting, Transition> = {
  // §3.1: the server speaks first; 554 means "no service", and the client then QUITs.
  greeting: {
    command: 'initial greeting',
    during: 'receiving the initial server greeting',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: { success: ['ehlo'], intermediate: CLOSED, transient: FAILS, permanent: ['quit'] },
    handle: (s, r) => s.onGreeting(r),
  },
  // §4.1.1.1, §3.2: EHLO; a 5xx means an old server, so fall back to HELO.
  ehlo: {
    command: 'EHLO',
    during: 'performing the EHLO handshake',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: {
      success: ['starttls', 'auth', 'mail', 'quit'],
      intermediate: CLOSED,
      transient: FAILS,
      permanent: ['helo'],
    },
    handle: (s, r) => s.onEhlo(r),
  },
  helo: {
    command: 'HELO',
    during: 'performing the HELO handshake',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: {
      success: ['mail', 'quit'],
      intermediate: CLOSED,
      transient: FAILS,
      permanent: ['quit'],
    },
    handle: (s, r) => s.onHelo(r),
  },
  // RFC 3207 §4: 220 → handshake; 454/5xx → go on in plaintext unless TLS is required.
  starttls: {
    command: 'STARTTLS',
    during: 'sending STARTTLS',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: {
      success: ['tls'],
      intermediate: CLOSED,
      transient: ['auth', 'mail', 'quit', 'closed'],
      permanent: ['auth', 'mail', 'quit'],
    },
    handle: (s, r) => s.onStartTls(r),
  },
  // RFC 4954 §4: 334 asks for the next SASL response, 235 means logged in.
  auth: {
    command: 'AUTH',
    during: 'authenticating',
    timeout: 5 * MINUTE,
    accepts: ['success', 'intermediate'],
    next: { success: ['mail'], intermediate: ['auth'], transient: FAILS, permanent: ['quit'] },
    handle: (s, r) => s.onAuth(r),
  },
  // §4.1.1.2; with PIPELINING the RCPTs are already on their way, so their replies follow.
  mail: {
    command: 'MAIL FROM',
    during: 'sending MAIL FROM',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: {
      success: ['rcpt'],
      intermediate: CLOSED,
      transient: ['rcpt', 'quit', 'closed'],
      permanent: ['rcpt', 'quit'],
    },
    handle: (s, r) => s.onMail(r),
  },
  // §4.1.1.3: one reply per recipient; DATA only when at least one was accepted (§3.3).
  rcpt: {
    command: 'RCPT TO',
    during: 'sending RCPT TO',
    timeout: 5 * MINUTE,
    accepts: ['success'],
    next: {
      success: ['rcpt', 'data'],
      intermediate: CLOSED,
      transient: ['rcpt', 'data', 'quit', 'closed'],
      permanent: ['rcpt', 'data', 'quit'],
    },
    handle: (s, r) => s.onRcpt(r),
  },
  // §4.1.1.4: 354, then the text. §4.5.3.2.2: 2 minutes for the 354.
  data: {
    command: 'DATA',
    during: 'sending DATA',
    timeout: 2 * MINUTE,
    accepts: ['intermediate'],
    next: { success: CLOSED, intermediate: ['message'], transient: FAILS, permanent: ['quit'] },
    handle: (s, r) => s.onData(r),
  },
  // §4.5.3.2.6: 10 minutes for the reply to the end of data, which decides delivery.
  message: {
    command: 'end of DATA',
    during: 'sending end of data -- message may be sent more than once',
    timeout: 10 * MINUTE,
    accepts: ['success'],
    next: { success: ['quit'], intermediate: CLOSED, transient: FAILS, permanent: ['quit'] },
    handle: (s, r) => s.onMessage(r),
  },
  // §4.1.1.10: whatever the answer, the session is over.
  quit: {
    command: 'QUIT',
    during: 'sending QUIT',
    timeout: 5 * MINUTE,
    accepts: ['success', 'intermediate'],
    next: { success: CLOSED, intermediate: CLOSED, transient: CLOSED, permanent: CLOSED },
    handle: (s) => s.onQuit(),
  },
};

// --- limits ----------------------------------------------------------------------------

/**
 * §4.5.3.1.5 allows reply lines of 512 octets; like Postfix (line_length_limit 2048) we
 * accept longer ones but keep only their start, so a chatty server cannot fill memory.
 */
const REPLY_LINE_CAP = 2048;
/** More lines than any real EHLO reply has; beyond it the server is not speaking SMTP. */
const MAX_REPLY_LINES = 200;
/** RFC 3461 §4.4: ENVID is at most 100 characters; §4.2: ORCPT at most 500. */
const MAX_ENVID = 100;
const MAX_ORCPT = 500;

const REPLY_LINE = /^([2-5]\d\d)(?:([ -])([^]*))?$/;
const ENHANCED = /^([245])\.(\d{1,3})\.(\d{1,3})(?= |$)/;
const QUEUED_AS = /\bqueued as ([\x21-\x7e]+)/i;
const CONTROL = /[\x00-\x1f\x7f]/;

export function replyKind(code: number): ReplyKind {
  return code < 300
    ? 'success'
    : code < 400
      ? 'intermediate'
      : code < 500
        ? 'transient'
        : 'permanent';
}

/** The text of a reply's lines without codes, the enhanced status removed (RFC 2034 §4). */
export function replyText(reply: Pick<ClientReply, 'lines' | 'enhanced'>): string {
  return reply.lines
    .map((line) => {
      const rest = line.slice(4);
      return reply.enhanced && rest.startsWith(reply.enhanced)
        ? rest.slice(reply.enhanced.length).trimStart()
        : rest;
    })
    .join(' ')
    .trim();
}

/** An EHLO keyword (RFC 5321 §4.1.1.1: ehlo-keyword). */
const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/**
 * The EHLO reply (§4.1.1.1): the first line names the server, each further line is an
 * extension keyword with parameters. Keywords are case-insensitive; the pre-RFC 4954 form
 * "AUTH=PLAIN LOGIN" is read like "AUTH PLAIN LOGIN" and merged with it.
 */
export function parseCapabilities(lines: readonly string[]): Map<string, string[]> {
  const caps = new Map<string, string[]>();
  for (let i = 1; i < lines.length; i++) {
    const words = lines[i]!.slice(4).trim().split(/[ =]+/);
    const keyword = words[0]!;
    if (!KEYWORD.test(keyword)) continue;
    const key = keyword.toUpperCase();
    let known = caps.get(key);
    if (!known) caps.set(key, (known = []));
    for (let w = 1; w < words.length; w++) {
      const param = words[w]!;
      if (param !== '' && !known.includes(param)) known.push(param);
    }
  }
  return caps;
}

/** RFC 3461 §4: xtext — "+", "=" and anything outside "!".."~" become "+HH". */
export function xtext(value: string): string {
  let out = '';
  for (const b of utf8(value)) {
    out +=
      b >= 0x21 && b <= 0x7e && b !== 0x2b && b !== 0x3d
        ? String.fromCharCode(b)
        : '+' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

// --- the session -----------------------------------------------------------------------

interface Rcpt {
  spec: RecipientSpec;
  accepted: boolean;
  outcome?: RecipientOutcome;
}

interface Command {
  verb: string;
  line: string;
  awaits: Waiting;
}

export class ClientSession {
  private readonly options: ClientOptions;
  private readonly from: Mailbox | null;
  private readonly helo: string;
  private readonly message: DataBlock;
  private readonly eightBit: boolean;
  private readonly needsUtf8: boolean;
  private readonly rcpts: Rcpt[];

  private phase: 'open' | 'tls' | 'closed' = 'open';
  private pending: Waiting[] = ['greeting'];
  private buffer = new LineBuffer();
  private partial: string[] = [];
  private out: ClientEvent[] = [];

  private peer = '';
  private caps = new Map<string, string[]>();
  private esmtp = false;
  private secure = false;
  private tlsTried = false;
  private authenticated = false;
  private saslResponses: string[] = [];
  private pipelined = false;
  private mailFailed = false;
  private rcptReplies = 0;
  private queueId: string | null = null;
  private result: DeliveryResult | null = null;

  constructor(job: ClientJob) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...job.options };
    this.helo = checkHelo(job.helo);
    this.from = job.from === null ? null : checkMailbox(job.from, 'sender');
    if (job.recipients.length === 0)
      throw new ClientUsageError('a job needs at least one recipient');
    this.rcpts = job.recipients.map((r) => ({ spec: checkRecipient(r), accepted: false }));
    checkOptions(this.options);
    const content = typeof job.content === 'string' ? utf8(job.content) : job.content;
    this.message = dataBlock(content);
    this.eightBit = content.some((b) => b >= 0x80);
    this.needsUtf8 = [this.from, ...this.rcpts.map((r) => r.spec.mailbox)].some(
      (m) => m !== null && /[^\x00-\x7f]/.test(formatMailbox(m)),
    );
  }

  get state(): ClientState {
    if (this.phase !== 'open') return this.phase;
    return this.pending[0] ?? 'closed';
  }

  /** The extensions of the last EHLO reply: keyword → parameters (§4.1.1.1). */
  get capabilities(): ReadonlyMap<string, readonly string[]> {
    return this.caps;
  }

  /** §4.5.3.2: how long to wait for the next reply (virtual ms), or null when not waiting. */
  get timeout(): number | null {
    return this.phase === 'open' && this.pending[0]
      ? CLIENT_TRANSITIONS[this.pending[0]].timeout
      : null;
  }

  /** The result, once known (also sent as the 'done' event). */
  get outcome(): DeliveryResult | null {
    return this.result;
  }

  /** Feed bytes from the server; returns what happened, in order. */
  receive(chunk: Uint8Array): ClientEvent[] {
    // RFC 3207 §4.2 (and the STARTTLS injection bugs, CVE-2011-0411's client-side twin):
    // plaintext that arrives between the 220 to STARTTLS and the handshake is discarded.
    if (this.phase !== 'open') return [];
    this.buffer.push(chunk);
    while (this.phase === 'open') {
      const line = this.buffer.next('lf', REPLY_LINE_CAP); // a bare LF is tolerated
      if (!line) break;
      this.replyLine(line);
    }
    return this.flush();
  }

  /** The owner finished the TLS handshake asked for by 'starttls'. */
  tlsEstablished(): ClientEvent[] {
    if (this.phase !== 'tls') throw new ClientUsageError('no TLS handshake was requested');
    this.phase = 'open';
    this.secure = true;
    // RFC 3207 §4.2: forget everything learnt before TLS and say EHLO again.
    this.caps = new Map();
    this.esmtp = false;
    this.send({ verb: 'EHLO', line: `EHLO ${this.helo}`, awaits: 'ehlo' });
    return this.flush();
  }

  /** The connection closed or broke before the session ended (§3.8: as if 451). */
  closed(): ClientEvent[] {
    if (this.phase === 'closed') return [];
    this.settle(
      this.local(451, '4.4.2', `lost connection with ${this.peerName()} while ${this.during()}`),
    );
    this.close();
    return this.flush();
  }

  /** The owner's timer for `timeout` ran out (§4.5.3.2): give up on this connection. */
  timedOut(): ClientEvent[] {
    if (this.phase === 'closed') return [];
    this.settle(
      this.local(
        451,
        '4.4.2',
        `conversation with ${this.peerName()} timed out while ${this.during()}`,
      ),
    );
    this.close();
    return this.flush();
  }

  // --- reply handlers, called through CLIENT_TRANSITIONS --------------------------------

  onGreeting(reply: ClientReply): void {
    this.peer = firstWord(reply);
    if (reply.kind !== 'success') return this.fail(reply, 'initial greeting');
    this.send({ verb: 'EHLO', line: `EHLO ${this.helo}`, awaits: 'ehlo' });
  }

  onEhlo(reply: ClientReply): void {
    if (reply.kind === 'permanent') {
      // §3.2: a server that does not know EHLO answers 5xx; fall back to HELO.
      return this.send({ verb: 'HELO', line: `HELO ${this.helo}`, awaits: 'helo' });
    }
    if (reply.kind !== 'success') return this.fail(reply, 'EHLO');
    this.esmtp = true;
    this.caps = parseCapabilities(reply.lines);
    this.proceed();
  }

  onHelo(reply: ClientReply): void {
    if (reply.kind !== 'success') return this.fail(reply, 'HELO');
    this.esmtp = false;
    this.caps = new Map();
    this.proceed();
  }

  onStartTls(reply: ClientReply): void {
    if (reply.kind === 'success') {
      this.phase = 'tls';
      this.buffer.drain(); // RFC 3207 §4.2: nothing sent before the handshake counts
      this.out.push({ type: 'starttls' });
      return;
    }
    if (this.options.starttls === 'required') return this.fail(reply, 'STARTTLS');
    this.proceed(); // opportunistic: carry on in plaintext, as Postfix does at level "may"
  }

  onAuth(reply: ClientReply): void {
    if (reply.kind === 'success') {
      this.authenticated = true;
      return this.proceed();
    }
    if (reply.kind === 'intermediate') {
      // RFC 4954 §4: answer each 334 with the next response; "*" cancels an exchange
      // that asks for more than the mechanism has to say.
      const response = this.saslResponses.shift() ?? '*';
      return this.send({ verb: 'AUTH', line: response, awaits: 'auth' });
    }
    this.fail(reply, 'AUTH');
  }

  onMail(reply: ClientReply): void {
    if (reply.kind !== 'success') {
      this.mailFailed = true;
      this.settle(this.remote(reply, 'MAIL FROM'));
      // With PIPELINING the RCPTs and DATA were sent already; their replies come first.
      if (!this.pipelined) this.finish();
      return;
    }
    if (!this.pipelined) this.send(this.rcptCommand(0));
  }

  onRcpt(reply: ClientReply): void {
    const index = this.rcptReplies++;
    const rcpt = this.rcpts[index]!;
    if (reply.kind === 'success') {
      if (!this.mailFailed) rcpt.accepted = true;
    } else {
      this.settleOne(rcpt, this.remote(reply, 'RCPT TO'));
    }
    if (this.pipelined) return;
    if (index + 1 < this.rcpts.length) this.send(this.rcptCommand(index + 1));
    else if (this.rcpts.some((r) => r.accepted)) this.send(DATA);
    else this.finish(); // §3.3: no valid recipients, so no DATA
  }

  onData(reply: ClientReply): void {
    if (reply.kind !== 'intermediate') {
      this.settle(this.remote(reply, 'DATA'));
      return this.finish();
    }
    this.pending.push('message');
    if (this.rcpts.some((r) => r.accepted)) {
      this.out.push({ type: 'data', bytes: this.message.size, lines: this.message.lines });
      this.out.push({ type: 'send', data: this.message.wire });
    } else {
      // RFC 2920 §3.1: every pipelined RCPT failed but DATA got 354 anyway; send an
      // empty message (just the terminator) so the server rejects it, then leave.
      this.out.push({ type: 'data', bytes: 0, lines: 0 });
      this.out.push({ type: 'send', data: utf8('.\r\n') });
    }
  }

  onMessage(reply: ClientReply): void {
    if (reply.kind === 'success') this.queueId = QUEUED_AS.exec(replyText(reply))?.[1] ?? null;
    this.settle(this.remote(reply, 'end of DATA'));
    this.finish();
  }

  onQuit(): void {
    this.close();
  }

  // --- internals --------------------------------------------------------------------

  /** One line of a reply; a reply is complete at the line with "code SP" (§4.2.1). */
  private replyLine(line: Line): void {
    const raw = text(line.bytes);
    const match = REPLY_LINE.exec(raw);
    if (!match) return this.protocolError(`malformed reply: ${JSON.stringify(raw.slice(0, 80))}`);
    const code = match[1]!;
    // §4.2.1: every line of a multi-line reply carries the same code.
    if (this.partial.length > 0 && !this.partial[0]!.startsWith(code)) {
      return this.protocolError(`reply code changed within a reply: ${code}`);
    }
    this.partial.push(raw);
    if (match[2] === '-') {
      if (this.partial.length > MAX_REPLY_LINES) this.protocolError('reply has too many lines');
      return;
    }
    const lines = this.partial;
    this.partial = [];
    const n = Number(code);
    const enhanced = ENHANCED.exec(lines[0]!.slice(4));
    this.reply({
      code: n,
      // RFC 3463 §2: the class of the status code matches the reply's first digit.
      enhanced: enhanced && enhanced[1] === code[0] ? enhanced[0] : '',
      lines,
      kind: replyKind(n),
    });
  }

  private reply(reply: ClientReply): void {
    this.out.push({ type: 'reply', ...reply });
    const waiting = this.pending.shift();
    if (!waiting) return this.protocolError(`unexpected reply ${reply.code}`);
    const transition = CLIENT_TRANSITIONS[waiting];
    if (reply.code === 421 && waiting !== 'quit') {
      // §3.8, §4.2.2: the server is closing the channel; retry later, no QUIT.
      this.settle(this.remote(reply, transition.command));
      this.close();
    } else if (
      reply.kind !== 'transient' &&
      reply.kind !== 'permanent' &&
      !transition.accepts.includes(reply.kind)
    ) {
      this.protocolError(`unexpected reply ${reply.code} to ${transition.command}`);
    } else {
      transition.handle(this, reply);
    }
    const now = this.state;
    if (!transition.next[reply.kind].includes(now)) {
      throw new Error(
        `ClientSession bug: ${waiting} --${reply.kind}--> ${now} is not in the table`,
      );
    }
  }

  /** After the (last) EHLO/HELO, STARTTLS or AUTH: the next step towards MAIL. */
  private proceed(): void {
    const { starttls, auth } = this.options;
    // RFC 3207 §4: STARTTLS once, when offered (or required) and not yet secure.
    if (!this.secure && !this.tlsTried && starttls !== 'never') {
      if (this.caps.has('STARTTLS')) {
        this.tlsTried = true;
        return this.send({ verb: 'STARTTLS', line: 'STARTTLS', awaits: 'starttls' });
      }
      if (starttls === 'required') {
        return this.localFailure(
          451,
          '4.7.4',
          `TLS is required, but was not offered by host ${this.peerName()}`,
        );
      }
    }
    // RFC 6531 §3.2: non-ASCII addresses need SMTPUTF8, or the message cannot go here.
    if (this.needsUtf8 && !this.caps.has('SMTPUTF8')) {
      return this.localFailure(
        554,
        '5.6.7',
        `SMTPUTF8 is required, but was not offered by host ${this.peerName()}`,
      );
    }
    // RFC 1870 §4, §6: do not offer a message larger than the advertised limit (0 = none).
    const limit = this.sizeLimit();
    if (limit > 0 && this.message.size > limit) {
      return this.localFailure(
        552,
        '5.3.4',
        `message size ${this.message.size} exceeds size limit ${limit} of server ${this.peerName()}`,
      );
    }
    if (auth && !this.authenticated) return this.startAuth(auth);
    this.startTransaction();
  }

  /** RFC 4954 §4: AUTH with the mechanism the job names, if the server offers it. */
  private startAuth(auth: NonNullable<ClientOptions['auth']>): void {
    const offered = this.caps.get('AUTH')?.map((m) => m.toUpperCase()) ?? [];
    if (!offered.includes(auth.mechanism)) {
      return this.localFailure(
        451,
        '4.7.0',
        `SASL authentication failed; cannot authenticate to server ${this.peerName()}: ` +
          `no ${auth.mechanism} mechanism available`,
      );
    }
    if (auth.mechanism === 'PLAIN') {
      // RFC 4616 §2: authzid NUL authcid NUL passwd (authzid empty: act as ourselves).
      const response = base64Encode(utf8(`\0${auth.username}\0${auth.password}`));
      const line = `AUTH PLAIN ${response}`;
      // RFC 4954 §4: an initial response may go on the AUTH line if the line stays short
      // enough for the server; otherwise send it after an empty 334 challenge.
      if (utf8(line).length + 2 <= MAX_COMMAND_LINE) {
        this.saslResponses = [];
        return this.send({ verb: 'AUTH', line, awaits: 'auth' });
      }
      this.saslResponses = [response];
      return this.send({ verb: 'AUTH', line: 'AUTH PLAIN', awaits: 'auth' });
    }
    // LOGIN (draft-murchison-sasl-login): 334 "Username:", then 334 "Password:".
    this.saslResponses = [auth.username, auth.password].map((s) => base64Encode(utf8(s)));
    this.send({ verb: 'AUTH', line: 'AUTH LOGIN', awaits: 'auth' });
  }

  /** MAIL, then RCPTs and DATA — all at once when pipelining (RFC 2920 §3.1). */
  private startTransaction(): void {
    const mail: Command = { verb: 'MAIL', line: this.mailLine(), awaits: 'mail' };
    if (this.options.pipelining && this.caps.has('PIPELINING')) {
      this.pipelined = true;
      // §3.1: DATA may only be the last command of a group.
      return this.send(mail, ...this.rcpts.map((_r, i) => this.rcptCommand(i)), DATA);
    }
    this.send(mail);
  }

  private mailLine(): string {
    const params: string[] = [];
    const declare = this.options.mailParameters ?? true;
    if (declare && this.caps.has('SIZE')) params.push(`SIZE=${this.message.size}`); // RFC 1870 §6
    if (declare && this.eightBit && this.caps.has('8BITMIME')) params.push('BODY=8BITMIME'); // RFC 6152 §3
    if (this.needsUtf8) params.push('SMTPUTF8'); // RFC 6531 §3.4
    const dsn = this.options.dsn;
    if (dsn && this.caps.has('DSN')) {
      if (dsn.ret) params.push(`RET=${dsn.ret}`); // RFC 3461 §4.3
      if (dsn.envid !== undefined) params.push(`ENVID=${xtext(dsn.envid)}`); // §4.4
    }
    return [`MAIL FROM:<${formatMailbox(this.from)}>`, ...params].join(' ');
  }

  private rcptCommand(index: number): Command {
    const { spec } = this.rcpts[index]!;
    const params: string[] = [];
    if (this.caps.has('DSN')) {
      const notify = spec.notify ?? this.options.dsn?.notify;
      if (notify) params.push(`NOTIFY=${notify === 'NEVER' ? 'NEVER' : notify.join(',')}`);
      if (spec.orcpt !== undefined) params.push(`ORCPT=rfc822;${xtext(spec.orcpt)}`);
    }
    const line = [`RCPT TO:<${formatMailbox(spec.mailbox)}>`, ...params].join(' ');
    return { verb: 'RCPT', line, awaits: 'rcpt' };
  }

  /** Write commands as one write; each awaits one reply, in order (RFC 2920 §3.1). */
  private send(...commands: Command[]): void {
    let wire = '';
    for (const c of commands) {
      this.out.push({ type: 'command', verb: c.verb, line: c.line });
      this.pending.push(c.awaits);
      wire += `${c.line}\r\n`;
    }
    this.out.push({ type: 'send', data: utf8(wire) });
  }

  private remote(reply: ClientReply, inReplyTo: string): Omit<RecipientOutcome, 'rcpt'> {
    const kind: OutcomeKind =
      reply.kind === 'transient'
        ? 'transient'
        : reply.kind === 'permanent'
          ? 'permanent'
          : 'delivered';
    return {
      code: reply.code,
      enhanced: reply.enhanced,
      text: replyText(reply),
      kind,
      inReplyTo,
      local: false,
    };
  }

  private local(code: number, enhanced: string, why: string): Omit<RecipientOutcome, 'rcpt'> {
    const kind: OutcomeKind = code >= 500 ? 'permanent' : 'transient';
    return { code, enhanced, text: why, kind, inReplyTo: '', local: true };
  }

  /** Give every recipient still open this outcome. */
  private settle(outcome: Omit<RecipientOutcome, 'rcpt'>): void {
    for (const r of this.rcpts) this.settleOne(r, outcome);
  }

  private settleOne(r: Rcpt, outcome: Omit<RecipientOutcome, 'rcpt'>): void {
    r.outcome ??= { rcpt: r.spec.mailbox, ...outcome };
  }

  /** A reply that ends the job before the message was accepted: report, then QUIT. */
  private fail(reply: ClientReply, inReplyTo: string): void {
    this.settle(this.remote(reply, inReplyTo));
    this.finish();
  }

  private localFailure(code: number, enhanced: string, why: string): void {
    this.settle(this.local(code, enhanced, why));
    this.finish();
  }

  /** The job is decided: report it, then QUIT (§4.1.1.10) and wait for the answer. */
  private finish(): void {
    this.done();
    this.send({ verb: 'QUIT', line: 'QUIT', awaits: 'quit' });
  }

  /** The server broke the protocol: the stream cannot be trusted, so close at once. */
  private protocolError(message: string): void {
    this.out.push({ type: 'error', message });
    this.settle(this.local(451, '4.5.0', `protocol error with ${this.peerName()}: ${message}`));
    this.close();
  }

  private done(): void {
    if (this.result) return;
    const recipients = this.rcpts.map((r) => r.outcome!);
    const delivered = recipients.filter((o) => o.kind === 'delivered').length;
    this.result = {
      outcome:
        delivered === recipients.length
          ? 'delivered'
          : delivered > 0
            ? 'partial'
            : recipients.some((o) => o.kind === 'transient')
              ? 'transient'
              : 'permanent',
      recipients,
      queueId: delivered > 0 ? this.queueId : null,
      server: this.peer,
      esmtp: this.esmtp,
      secure: this.secure,
      authenticated: this.authenticated,
      pipelined: this.pipelined,
    };
    this.out.push({ type: 'done', result: this.result });
  }

  private close(): void {
    if (this.phase === 'closed') return;
    this.done();
    this.phase = 'closed';
    this.pending = [];
    this.partial = [];
    this.buffer.drain();
    this.out.push({ type: 'close' });
  }

  private sizeLimit(): number {
    const value = this.caps.get('SIZE')?.[0];
    return value && /^\d{1,15}$/.test(value) ? Number(value) : 0;
  }

  private during(): string {
    if (this.phase === 'tls') return 'performing the TLS handshake';
    const waiting = this.pending[0];
    return waiting ? CLIENT_TRANSITIONS[waiting].during : 'closing';
  }

  private peerName(): string {
    return this.peer || 'the server';
  }

  private flush(): ClientEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}

const DATA: Command = { verb: 'DATA', line: 'DATA', awaits: 'data' };

/** The server's name: the first word of the greeting's text (§4.2, "220 domain …"). */
function firstWord(reply: ClientReply): string {
  const word =
    replyText({ lines: reply.lines.slice(0, 1), enhanced: reply.enhanced }).split(' ')[0] ?? '';
  return /^[\x21-\x7e]{1,255}$/.test(word) ? word : '';
}

// --- checks on the job: misuse of the API throws ---------------------------------------

function checkHelo(name: string): string {
  if (CONTROL.test(name)) throw new ClientUsageError('control character in the HELO name');
  // §4.1.1.1: a domain, or an address literal when the client has no name.
  if (!isDomain(name, false) && !/^\[[\x21-\x5a\x5e-\x7e]+\]$/.test(name)) {
    throw new ClientUsageError(`not a domain or address literal: ${JSON.stringify(name)}`);
  }
  return name;
}

function checkMailbox(m: Mailbox, role: 'sender' | 'recipient'): Mailbox {
  const address = formatMailbox(m);
  if (CONTROL.test(address)) throw new ClientUsageError(`control character in the ${role} address`);
  const parsed = parsePath(`<${address}>`, { utf8: true, postmaster: role === 'recipient' });
  // The path must read back as the same mailbox (no source route, no stray brackets).
  if (
    !parsed.ok ||
    parsed.rest !== '' ||
    formatMailbox(parsed.mailbox).toLowerCase() !== address.toLowerCase()
  ) {
    throw new ClientUsageError(`bad ${role} address: ${JSON.stringify(address)}`);
  }
  return m;
}

function checkRecipient(r: Mailbox | RecipientSpec): RecipientSpec {
  const spec: RecipientSpec = 'mailbox' in r ? r : { mailbox: r };
  checkMailbox(spec.mailbox, 'recipient');
  if (spec.notify !== undefined) checkNotify(spec.notify);
  if (spec.orcpt !== undefined) {
    if (CONTROL.test(spec.orcpt) || spec.orcpt === '') {
      throw new ClientUsageError('ORCPT must be a non-empty address without control characters');
    }
    if (xtext(spec.orcpt).length + 'rfc822;'.length > MAX_ORCPT) {
      throw new ClientUsageError('ORCPT too long (RFC 3461 §4.2)');
    }
  }
  return spec;
}

function checkNotify(notify: DsnNotify): void {
  if (notify === 'NEVER') return;
  const known = ['SUCCESS', 'FAILURE', 'DELAY'];
  if (
    notify.length === 0 ||
    new Set(notify).size !== notify.length ||
    notify.some((n) => !known.includes(n))
  ) {
    throw new ClientUsageError(
      'NOTIFY is NEVER or distinct SUCCESS, FAILURE, DELAY (RFC 3461 §4.1)',
    );
  }
}

function checkOptions(options: ClientOptions): void {
  if (!['never', 'opportunistic', 'required'].includes(options.starttls)) {
    throw new ClientUsageError(`unknown starttls policy: ${String(options.starttls)}`);
  }
  const { auth, dsn } = options;
  if (auth) {
    if (auth.mechanism !== 'PLAIN' && auth.mechanism !== 'LOGIN') {
      throw new ClientUsageError(`unsupported AUTH mechanism: ${String(auth.mechanism)}`);
    }
    // RFC 4616 §2: NUL separates the fields, so it may not appear inside them.
    if (auth.username === '' || auth.username.includes('\0') || auth.password.includes('\0')) {
      throw new ClientUsageError(
        'AUTH needs a username, and neither it nor the password may contain NUL',
      );
    }
  }
  if (dsn) {
    if (dsn.ret !== undefined && dsn.ret !== 'FULL' && dsn.ret !== 'HDRS') {
      throw new ClientUsageError('RET is FULL or HDRS (RFC 3461 §4.3)');
    }
    // RFC 3461 §4.4: printable US-ASCII, at most 100 characters once encoded.
    if (
      dsn.envid !== undefined &&
      (!/^[\x20-\x7e]+$/.test(dsn.envid) || xtext(dsn.envid).length > MAX_ENVID)
    ) {
      throw new ClientUsageError(
        'ENVID must be 1 to 100 printable ASCII characters (RFC 3461 §4.4)',
      );
    }
    if (dsn.notify !== undefined) checkNotify(dsn.notify);
  }
}
