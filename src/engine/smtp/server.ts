/**
 * An SMTP server session (RFC 5321) as a pure state machine: bytes in, events out. It
 * never touches a socket or a clock; the agent that owns it writes the replies it returns,
 * closes the connection when told, and decides recipients through the context.
 */
import { concat, text, utf8 } from '../bytes';
import { formatMailbox, parsePath, type Mailbox } from './address';
import { HARD_ERROR_LIMIT, MAX_COMMAND_LINE, MIN_RECIPIENTS } from './limits';
import { LineBuffer, type Line } from './lines';
import { parseParams, safe, type Params } from './params';
import { receivedHeader } from './received';
import { formatReply, R, type Reply } from './reply';

/**
 * greeted: 220 sent, waiting for HELO/EHLO · ready: no transaction · mail: MAIL accepted ·
 * rcpt: at least one recipient accepted · data: reading message text · closed.
 */
export type ServerState = 'greeted' | 'ready' | 'mail' | 'rcpt' | 'data' | 'closed';

export interface ServerPolicy {
  hostname: string;
  /** Text after the host name in the 220 greeting. */
  banner: string;
  /** Largest message accepted, in octets, advertised with SIZE (RFC 1870). */
  maxMessageSize: number;
  /** Recipients per transaction; RFC 5321 §4.5.3.1.8 requires at least 100. */
  maxRecipients: number;
}

export const DEFAULT_POLICY: Omit<ServerPolicy, 'hostname'> = {
  banner: 'ESMTP SMTP Lab',
  maxMessageSize: 10_240_000,
  maxRecipients: MIN_RECIPIENTS,
};

export interface ServerContext {
  policy: ServerPolicy;
  client: { address: string; name?: string };
  /** Decide one recipient: undefined accepts it, a reply rejects it. */
  checkRecipient(rcpt: Mailbox): Reply | undefined;
  /** A fresh queue id for an accepted message. */
  queueId(): string;
  /** The current virtual time as an RFC 5322 date. */
  date(): string;
}

export interface Envelope {
  helo: string;
  protocol: 'SMTP' | 'ESMTP';
  from: Mailbox | null;
  to: Mailbox[];
  params: Params;
}

export type ServerEvent =
  | { type: 'command'; verb: string; line: string }
  | { type: 'reply'; reply: Reply; wire: string }
  | { type: 'data'; bytes: number; lines: number }
  | { type: 'message'; queueId: string; envelope: Envelope; content: Uint8Array }
  | { type: 'close' };

interface Transition {
  /** States in which the command is in sequence. */
  from: readonly ServerState[];
  /** Where a successful (2xx/3xx) reply leaves the session; 'same' keeps the state. */
  to: ServerState | 'same';
  handle(session: ServerSession, arg: string): Reply;
}

const ANY: readonly ServerState[] = ['greeted', 'ready', 'mail', 'rcpt'];
const DOT = 0x2e;
const CR = 0x0d;
const LF = 0x0a;
const CRLF = utf8('\r\n');

/**
 * The command table: which verbs are in sequence where, and where they lead. Commands that
 * RFC 5321 §4.1.4 allows at any time (RSET, NOOP, VRFY, EXPN, HELP, QUIT) list every state.
 */
export const SERVER_TRANSITIONS: Record<string, Transition> = {
  HELO: { from: ANY, to: 'ready', handle: (s, arg) => s.hello(arg, false) },
  EHLO: { from: ANY, to: 'ready', handle: (s, arg) => s.hello(arg, true) },
  MAIL: { from: ['ready'], to: 'mail', handle: (s, arg) => s.mail(arg) },
  RCPT: { from: ['mail', 'rcpt'], to: 'rcpt', handle: (s, arg) => s.rcpt(arg) },
  DATA: { from: ['rcpt'], to: 'data', handle: (s, arg) => s.data(arg) },
  RSET: { from: ANY, to: 'same', handle: (s, arg) => s.rset(arg) },
  NOOP: { from: ANY, to: 'same', handle: () => R.ok() },
  VRFY: { from: ANY, to: 'same', handle: (_s, arg) => (arg ? R.vrfy() : R.syntax('VRFY address')) },
  EXPN: { from: ANY, to: 'same', handle: () => R.notImplemented('EXPN') },
  HELP: { from: ANY, to: 'same', handle: () => R.help() },
  TURN: { from: ANY, to: 'same', handle: () => R.notImplemented('TURN') },
  QUIT: { from: ANY, to: 'closed', handle: (_s, arg) => (arg ? R.syntax('QUIT') : R.closing()) },
};

export class ServerSession {
  private current: ServerState = 'greeted';
  private buffer = new LineBuffer();
  private out: ServerEvent[] = [];
  private errors = 0;
  private helo = '';
  private esmtp = false;
  private from: Mailbox | null = null;
  private mailParams: Params = new Map();
  private recipients: Mailbox[] = [];
  private rcptAttempted = false;
  private body: Uint8Array[] = [];
  private bodySize = 0;
  private bodyLines = 0;
  private oversized = false;
  private bareNewline = false;

  constructor(private readonly ctx: ServerContext) {}

  get state(): ServerState {
    return this.current;
  }

  /** The 220 greeting the server sends as soon as the connection opens (§3.1). */
  start(): ServerEvent[] {
    const { hostname, banner } = this.ctx.policy;
    this.send(R.greeting(hostname, banner));
    return this.flush();
  }

  /** Feed bytes from the client; returns what happened, in order. */
  receive(chunk: Uint8Array): ServerEvent[] {
    if (this.isClosed()) return [];
    this.buffer.push(chunk);
    while (!this.isClosed()) {
      if (this.current === 'data') {
        // Message text ends only at CRLF; the limit bounds memory, not the SMTP line length.
        const line = this.buffer.next('crlf', this.ctx.policy.maxMessageSize + 2);
        if (!line) break;
        this.dataLine(line);
      } else {
        // §4.5.3.1.4: 512 octets per command line. Bare LF is tolerated as a command line
        // ending (as Postfix does); it never ends message text.
        const line = this.buffer.next('lf', MAX_COMMAND_LINE);
        if (!line) break;
        this.command(line);
      }
    }
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
    return {
      code: 250,
      status: '',
      lines: [hostname, 'PIPELINING', `SIZE ${maxMessageSize}`, 'ENHANCEDSTATUSCODES', '8BITMIME'],
    };
  }

  mail(arg: string): Reply {
    const prefix = /^FROM:[ ]*/i.exec(arg); // a space after the colon is common; tolerate it
    if (!prefix) return R.syntax('MAIL FROM:<address>');
    const path = parsePath(arg.slice(prefix[0].length), { allowNull: true });
    if (!path.ok) return R.badSender();
    const parsed = parseParams(path.rest);
    if (!parsed.ok) return R.badParameter(parsed.error);
    for (const [key, value] of parsed.params) {
      const problem = this.esmtp ? this.mailParam(key, value) : R.unsupportedOption(safe(key));
      if (problem) return problem;
    }
    this.from = path.mailbox;
    this.mailParams = parsed.params;
    return R.senderOk();
  }

  /** MAIL parameters of the extensions this server advertises. */
  private mailParam(key: string, value: string | true): Reply | undefined {
    switch (key) {
      case 'SIZE': // RFC 1870 §6: refuse up front what would be refused after DATA.
        if (value === true || !/^\d{1,20}$/.test(value))
          return R.badParameter('Bad message size syntax');
        return Number(value) > this.ctx.policy.maxMessageSize ? R.sizeExceeded() : undefined;
      case 'BODY': // RFC 6152 (8BITMIME); the values are ABNF literals, so case-insensitive
        return value === true || !['7BIT', '8BITMIME'].includes(value.toUpperCase())
          ? R.badParameter('Bad BODY parameter: use 7BIT or 8BITMIME')
          : undefined;
      default:
        return R.unsupportedOption(safe(key));
    }
  }

  rcpt(arg: string): Reply {
    const prefix = /^TO:[ ]*/i.exec(arg);
    if (!prefix) return R.syntax('RCPT TO:<address>');
    const path = parsePath(arg.slice(prefix[0].length), { postmaster: true });
    if (!path.ok || !path.mailbox) return R.badRecipient();
    const parsed = parseParams(path.rest);
    if (!parsed.ok) return R.badParameter(parsed.error);
    const [unsupported] = parsed.params.keys();
    if (unsupported) return R.unsupportedOption(safe(unsupported));
    this.rcptAttempted = true;
    if (this.recipients.length >= this.ctx.policy.maxRecipients) return R.tooManyRecipients();
    const refusal = this.ctx.checkRecipient(path.mailbox);
    if (refusal) return refusal;
    this.recipients.push(path.mailbox);
    return R.recipientOk();
  }

  data(arg: string): Reply {
    if (arg) return R.syntax('DATA');
    this.body = [];
    this.bodySize = this.bodyLines = 0;
    this.oversized = this.bareNewline = false;
    return R.startData();
  }

  rset(arg: string): Reply {
    if (arg) return R.syntax('RSET');
    this.resetTransaction();
    return R.ok();
  }

  // --- internals --------------------------------------------------------------------

  private command(line: Line): void {
    const raw = text(line.bytes);
    const space = raw.indexOf(' ');
    const verb = (space < 0 ? raw : raw.slice(0, space)).toUpperCase();
    const arg = space < 0 ? '' : raw.slice(space + 1).trim();
    this.out.push({ type: 'command', verb, line: line.tooLong ? `${raw}…` : raw });

    const transition = SERVER_TRANSITIONS[verb];
    let result: Reply;
    let next: Transition | undefined;
    if (line.tooLong) result = R.lineTooLong();
    else if (!transition) result = raw.trim() === '' ? R.badSyntax() : R.notRecognized();
    else if (!transition.from.includes(this.current)) result = this.outOfSequence(verb);
    else {
      result = transition.handle(this, arg);
      if (result.code < 400) next = transition;
    }
    this.send(result); // the reply goes out before any close it leads to (221, then close)
    if (next) this.enter(next, verb);
    if (this.isClosed()) return;
    if (result.code >= 400 && ++this.errors >= HARD_ERROR_LIMIT) {
      this.send(R.tooManyErrors(this.ctx.policy.hostname));
      this.close();
    }
  }

  private enter(transition: Transition, verb: string): void {
    if (transition.to === 'closed') return this.close();
    if (transition.to !== 'same') this.current = transition.to;
    else if (verb === 'RSET' && this.current !== 'greeted') this.current = 'ready';
  }

  /** §4.1.4 and §3.3: 503 for a command out of order; the state does not change. */
  private outOfSequence(verb: string): Reply {
    if (this.current === 'greeted') return R.sequence('send HELO/EHLO first');
    if (verb === 'MAIL') return R.sequence('nested MAIL command');
    if (verb === 'RCPT') return R.sequence('need MAIL command');
    // §3.3: after every RCPT failed, DATA may get 503 or 554 "no valid recipients".
    if (verb === 'DATA' && this.rcptAttempted) return R.noValidRecipients();
    return R.sequence('need RCPT command');
  }

  private dataLine(line: Line): void {
    const b = line.bytes;
    if (b.length === 1 && b[0] === DOT && !line.tooLong) return this.endOfData();
    // §4.5.2: a leading dot was doubled by the client; remove one.
    const content = b[0] === DOT ? b.subarray(1) : b;
    if (content.includes(CR) || content.includes(LF)) this.bareNewline = true;
    this.bodyLines++;
    this.bodySize += content.length + 2;
    if (line.tooLong || this.bodySize > this.ctx.policy.maxMessageSize) {
      this.oversized = true;
      this.body = []; // keep reading to the end of data, but stop storing
      return;
    }
    this.body.push(content, CRLF);
  }

  private endOfData(): void {
    this.out.push({ type: 'data', bytes: this.bodySize, lines: this.bodyLines });
    if (this.oversized) this.send(R.sizeExceeded());
    else if (this.bareNewline) this.send(R.bareNewline());
    else this.accept();
    this.resetTransaction();
    this.current = 'ready';
  }

  private accept(): void {
    const queueId = this.ctx.queueId();
    const header = receivedHeader({
      helo: this.helo,
      clientName: this.ctx.client.name,
      clientAddress: this.ctx.client.address,
      by: this.ctx.policy.hostname,
      protocol: this.esmtp ? 'ESMTP' : 'SMTP',
      id: queueId,
      recipients: this.recipients.map(formatMailbox),
      date: this.ctx.date(),
    });
    const content = this.body.reduce(concat, utf8(header));
    this.out.push({
      type: 'message',
      queueId,
      envelope: {
        helo: this.helo,
        protocol: this.esmtp ? 'ESMTP' : 'SMTP',
        from: this.from,
        to: [...this.recipients],
        params: this.mailParams,
      },
      content,
    });
    this.send(R.queued(queueId));
  }

  private resetTransaction(): void {
    this.from = null;
    this.mailParams = new Map();
    this.recipients = [];
    this.rcptAttempted = false;
    this.body = [];
    if (this.current !== 'greeted' && this.current !== 'closed') this.current = 'ready';
  }

  private send(reply: Reply): void {
    this.out.push({ type: 'reply', reply, wire: formatReply(reply) });
  }

  private isClosed(): boolean {
    return this.current === 'closed';
  }

  private close(): void {
    this.current = 'closed';
    this.out.push({ type: 'close' });
  }

  private flush(): ServerEvent[] {
    const events = this.out;
    this.out = [];
    return events;
  }
}
