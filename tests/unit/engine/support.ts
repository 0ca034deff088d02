/**
 * Shared fixtures for the engine tests: a fake ServerContext, a seeded chunk splitter that
 * does not depend on the engine's own Random, and a runner that feeds one client transcript
 * to a ServerSession in several splittings and insists they all produce the same events.
 */
import { expect } from 'vitest';
import { text, utf8 } from '../../../src/engine/bytes';
import { formatMailbox, type Mailbox } from '../../../src/engine/smtp/address';
import { R } from '../../../src/engine/smtp/reply';
import {
  ServerSession,
  type ServerContext,
  type ServerEvent,
  type ServerPolicy,
} from '../../../src/engine/smtp/server';

export const SERVER_HOST = 'mx1.beta.example';
export const CLIENT_ADDRESS = '192.0.2.10';
export const CLIENT_NAME = 'laptop.alpha.example';
export const FIXED_DATE = 'Mon, 5 Jan 2026 09:00:00 +0000';

export interface FakeContext extends ServerContext {
  /** Every mailbox checkRecipient was asked about, in order. */
  readonly checked: Mailbox[];
  /** Every queue id handed out, in order. */
  readonly issued: string[];
}

/**
 * A server context for mx1.beta.example: bob@beta.example exists, and so does the bare
 * `<postmaster>` (RFC 5321 §4.5.1 requires it); everyone else is "User unknown".
 * Queue ids are ABCDEF0001, ABCDEF0002, … and the date is fixed.
 */
export function fakeContext(policy: Partial<ServerPolicy> = {}): FakeContext {
  const checked: Mailbox[] = [];
  const issued: string[] = [];
  return {
    policy: {
      hostname: SERVER_HOST,
      banner: 'ESMTP SMTP Lab',
      maxMessageSize: 10_240_000,
      maxRecipients: 100,
      ...policy,
    },
    client: { address: CLIENT_ADDRESS, name: CLIENT_NAME },
    checked,
    issued,
    checkRecipient(rcpt) {
      checked.push(rcpt);
      const known =
        (rcpt.local === 'bob' && rcpt.domain.toLowerCase() === 'beta.example') ||
        (rcpt.local === 'postmaster' && rcpt.domain === '');
      return known ? undefined : R.userUnknown(formatMailbox(rcpt));
    },
    queueId() {
      const id = `ABCDEF${String(issued.length + 1).padStart(4, '0')}`;
      issued.push(id);
      return id;
    },
    date: () => FIXED_DATE,
  };
}

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
  /** Everything every receive() returned, concatenated. */
  events: ServerEvent[];
}

/** Start a fresh session and feed it `chunks` in order. */
export function runChunks(chunks: readonly Uint8Array[], policy: Partial<ServerPolicy> = {}): Run {
  const ctx = fakeContext(policy);
  const session = new ServerSession(ctx);
  const greeting = session.start();
  const events: ServerEvent[] = [];
  for (const chunk of chunks) events.push(...session.receive(chunk));
  return { session, ctx, greeting, events };
}

export const SPLIT_SEEDS = [1, 2, 3, 7, 42, 1234] as const;

/**
 * Run one client transcript three ways — all at once, one byte per receive(), and in
 * random splits for several seeds — and require identical events, final state and queue
 * ids. Returns the all-at-once run for the golden assertions.
 */
export function runAllWays(
  input: readonly (string | Uint8Array)[] | string | Uint8Array,
  policy: Partial<ServerPolicy> = {},
): Run {
  const bytes = bytesOf(input);
  const whole = runChunks([bytes], policy);
  const ways: [string, Uint8Array[]][] = [
    ['one byte at a time', byteByByte(bytes)],
    ...SPLIT_SEEDS.map((seed): [string, Uint8Array[]] => [
      `random splits, seed ${seed}`,
      seededSplits(bytes, seed),
    ]),
  ];
  for (const [how, chunks] of ways) {
    const other = runChunks(chunks, policy);
    expect(other.events, how).toEqual(whole.events);
    expect(other.session.state, how).toBe(whole.session.state);
    expect(other.ctx.issued, how).toEqual(whole.ctx.issued);
    expect(other.ctx.checked, how).toEqual(whole.ctx.checked);
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
