/**
 * Shared fixtures for the engine tests: a fake ServerContext, a seeded chunk splitter that
 * does not depend on the engine's own Random, and a runner that feeds one client transcript
 * to a ServerSession in several splittings and insists they all produce the same events.
 */
import { expect } from 'vitest';
import { text, utf8 } from '../../../src/engine/bytes';
import { formatMailbox, type Mailbox } from '../../../src/engine/smtp/address';
import { R, type Reply } from '../../../src/engine/smtp/reply';
import {
  ServerSession,
  type FaultStep,
  type RecipientCheck,
  type ServerContext,
  type ServerEvent,
  type ServerPolicy,
} from '../../../src/engine/smtp/server';

export const SERVER_HOST = 'mx1.beta.example';
export const CLIENT_ADDRESS = '192.0.2.10';
export const CLIENT_NAME = 'laptop.alpha.example';
export const FIXED_DATE = 'Mon, 5 Jan 2026 09:00:00 +0000';

/** The one account the fake context knows (DESIGN.md's alice). */
export const ALICE_LOGIN = 'alice';
export const ALICE_PASSWORD = 'wonderland';

export interface FakeContext extends ServerContext {
  /** Every mailbox checkRecipient was asked about, in order. */
  readonly checked: Mailbox[];
  /** What came with each question (sender, user, VRFY), in the same order. */
  readonly checks: RecipientCheck[];
  /** Every queue id handed out, in order. */
  readonly issued: string[];
  /** Every credentials check, as [user, password]. */
  readonly logins: [string, string][];
}

/** Context settings beyond the policy. */
export interface ContextOptions {
  /** The policy refuses this client: 554 greeting. */
  refused?: boolean;
  /** The queue's free space (RFC 1870 §6.1 452 4.3.1). */
  storageFree?: number;
  /** Injected replies: each fires `times` times (every time when absent). */
  faults?: { step: FaultStep; reply: Reply; times?: number }[];
}

/**
 * A server context for mx1.beta.example: bob@beta.example exists, and so does the bare
 * `<postmaster>` (RFC 5321 §4.5.1 requires it); everyone else is "User unknown". AUTH
 * takes alice (or alice@alpha.example) with the password wonderland.
 * Queue ids are ABCDEF0001, ABCDEF0002, … and the date is fixed.
 */
export function fakeContext(
  policy: Partial<ServerPolicy> = {},
  options: ContextOptions = {},
): FakeContext {
  const checked: Mailbox[] = [];
  const checks: RecipientCheck[] = [];
  const issued: string[] = [];
  const logins: [string, string][] = [];
  const faults = (options.faults ?? []).map((f) => ({ ...f, left: f.times ?? Infinity }));
  return {
    policy: {
      hostname: SERVER_HOST,
      banner: 'ESMTP SMTP Lab',
      maxMessageSize: 10_240_000,
      maxRecipients: 100,
      ...policy,
    },
    client: {
      address: CLIENT_ADDRESS,
      name: CLIENT_NAME,
      ...(options.refused ? { refused: true } : {}),
    },
    checked,
    checks,
    issued,
    logins,
    checkRecipient(rcpt, check) {
      checked.push(rcpt);
      checks.push(check);
      const known =
        (rcpt.local === 'bob' && rcpt.domain.toLowerCase() === 'beta.example') ||
        (rcpt.local === 'postmaster' && rcpt.domain === '');
      return known ? undefined : R.userUnknown(formatMailbox(rcpt));
    },
    checkCredentials(user, password) {
      logins.push([user, password]);
      return (
        (user === ALICE_LOGIN || user === 'alice@alpha.example') && password === ALICE_PASSWORD
      );
    },
    ...(options.storageFree !== undefined ? { storageFree: () => options.storageFree! } : {}),
    ...(faults.length
      ? {
          fault(step: FaultStep) {
            const fault = faults.find((f) => f.step === step && f.left > 0);
            if (!fault) return undefined;
            fault.left--;
            return fault.reply;
          },
        }
      : {}),
    queueId() {
      const id = `ABCDEF${String(issued.length + 1).padStart(4, '0')}`;
      issued.push(id);
      return id;
    },
    date: () => FIXED_DATE,
  };
}

/**
 * Marks the point in a client transcript where the TLS handshake that STARTTLS asked for
 * completes (the runner calls tlsEstablished() there). Splits never cross it.
 */
export const HANDSHAKE = Symbol('TLS handshake');
export type Piece = string | Uint8Array | typeof HANDSHAKE;

/** Concatenate transcript pieces (text is sent as UTF-8). */
export function bytesOf(
  pieces: readonly (string | Uint8Array)[] | string | Uint8Array,
): Uint8Array {
  const list = typeof pieces === 'string' || pieces instanceof Uint8Array ? [pieces] : pieces;
  const parts = list.map((p) => (typeof p === 'string' ? utf8(p) : p));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Cut `bytes` into chunks of 1..maxChunk bytes at positions drawn from xorshift32(seed).
 * Deliberately independent of src/engine/random.ts, so a broken engine Random cannot
 * quietly turn these splits into something trivial.
 */
export function seededSplits(bytes: Uint8Array, seed: number, maxChunk = 17): Uint8Array[] {
  let x = seed >>> 0 || 0x9e3779b9;
  const draw = () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + (draw() % maxChunk);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

export function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_b, i) => bytes.subarray(i, i + 1));
}

export interface Run {
  session: ServerSession;
  ctx: FakeContext;
  /** What start() returned: the greeting. */
  greeting: ServerEvent[];
  /** Everything every receive() (and tlsEstablished()) returned, concatenated. */
  events: ServerEvent[];
}

/** Start a fresh session and feed it `chunks` in order (HANDSHAKE: the TLS handshake). */
export function runChunks(
  chunks: readonly (Uint8Array | typeof HANDSHAKE)[],
  policy: Partial<ServerPolicy> = {},
  options: ContextOptions = {},
): Run {
  const ctx = fakeContext(policy, options);
  const session = new ServerSession(ctx);
  const greeting = session.start();
  const events: ServerEvent[] = [];
  for (const chunk of chunks) {
    if (chunk === HANDSHAKE) {
      // Only a session that accepted STARTTLS waits for a handshake (property tests put
      // markers anywhere).
      if (session.state === 'tls') events.push(...session.tlsEstablished());
    } else events.push(...session.receive(chunk));
  }
  return { session, ctx, greeting, events };
}

export const SPLIT_SEEDS = [1, 2, 3, 7, 42, 1234] as const;

/** The transcript as byte segments between handshakes. */
function segments(
  input: readonly Piece[] | string | Uint8Array,
): (Uint8Array | typeof HANDSHAKE)[] {
  const list = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
  const out: (Uint8Array | typeof HANDSHAKE)[] = [];
  let run: (string | Uint8Array)[] = [];
  const end = () => {
    if (run.length) out.push(bytesOf(run));
    run = [];
  };
  for (const piece of list) {
    if (piece === HANDSHAKE) {
      end();
      out.push(HANDSHAKE);
    } else run.push(piece);
  }
  end();
  return out;
}

/** Cut every byte segment with `split`, keeping the handshakes where they are. */
function cutSegments(
  segs: readonly (Uint8Array | typeof HANDSHAKE)[],
  split: (b: Uint8Array) => Uint8Array[],
): (Uint8Array | typeof HANDSHAKE)[] {
  return segs.flatMap((s): (Uint8Array | typeof HANDSHAKE)[] => (s === HANDSHAKE ? [s] : split(s)));
}

/**
 * Run one client transcript three ways — all at once, one byte per receive(), and in
 * random splits for several seeds — and require identical events, final state and queue
 * ids. Returns the all-at-once run for the golden assertions.
 */
export function runAllWays(
  input: readonly Piece[] | string | Uint8Array,
  policy: Partial<ServerPolicy> = {},
  options: ContextOptions = {},
): Run {
  const segs = segments(input);
  const whole = runChunks(segs, policy, options);
  const ways: [string, (Uint8Array | typeof HANDSHAKE)[]][] = [
    ['one byte at a time', cutSegments(segs, byteByByte)],
    ...SPLIT_SEEDS.map((seed): [string, (Uint8Array | typeof HANDSHAKE)[]] => [
      `random splits, seed ${seed}`,
      cutSegments(segs, (b) => seededSplits(b, seed)),
    ]),
  ];
  for (const [how, chunks] of ways) {
    const other = runChunks(chunks, policy, options);
    expect(other.greeting, how).toEqual(whole.greeting);
    expect(other.events, how).toEqual(whole.events);
    expect(other.session.state, how).toBe(whole.session.state);
    expect(other.ctx.issued, how).toEqual(whole.ctx.issued);
    expect(other.ctx.checked, how).toEqual(whole.ctx.checked);
    expect(other.ctx.logins, how).toEqual(whole.ctx.logins);
  }
  return whole;
}

/**
 * A client that talks before the greeting: `early` is fed before start() — whole, one
 * byte at a time and in random splits — then `later` after it. All ways must agree.
 */
export function runEarlyAllWays(
  early: string,
  later: string,
  policy: Partial<ServerPolicy> = {},
): Run {
  const run = (chunks: Uint8Array[]): Run => {
    const ctx = fakeContext(policy);
    const session = new ServerSession(ctx);
    const before = chunks.flatMap((c) => session.receive(c));
    expect(before).toEqual([]); // nothing is said before the greeting
    const greeting = session.start();
    const events = later ? session.receive(utf8(later)) : [];
    return { session, ctx, greeting, events };
  };
  const bytes = utf8(early);
  const whole = run([bytes]);
  for (const chunks of [byteByByte(bytes), ...SPLIT_SEEDS.map((s) => seededSplits(bytes, s))]) {
    const other = run(chunks);
    expect(other.greeting).toEqual(whole.greeting);
    expect(other.events).toEqual(whole.events);
    expect(other.session.state).toBe(whole.session.state);
  }
  return whole;
}

export function replyWires(events: readonly ServerEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'reply' ? [e.wire] : []));
}

export function messageEvents(events: readonly ServerEvent[]) {
  return events.flatMap((e) => (e.type === 'message' ? [e] : []));
}

export function contentText(events: readonly ServerEvent[], index = 0): string {
  const message = messageEvents(events)[index];
  if (!message) throw new Error(`no message event #${index}`);
  return text(message.content);
}
