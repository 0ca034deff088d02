/**
 * The engine's SMTP server session with no I/O at all: a fresh ServerSession per
 * transaction, fed each client chunk whole or one byte at a time.
 */
import { Buffer } from 'node:buffer';
import {
  ServerSession,
  type ServerContext,
  type ServerEvent,
  type ServerPolicy,
} from '../../src/engine/smtp/server';
import { type Benchmark, type Figure, type Goal, type Rate, measureRate, spread } from './harness';
import { freshTransaction } from './transaction';

const POLICY: ServerPolicy = {
  hostname: 'mx1.beta.example',
  banner: 'ESMTP SMTP Lab',
  maxMessageSize: 10_240_000,
  maxRecipients: 100,
};
const DATE = 'Mon, 5 Jan 2026 09:00:00 +0000';

const CLIENT = { address: '192.0.2.10', name: 'bench.client.example' };
let issued = 0;

/**
 * What an smtpd agent gives each session, minus the world: accept every recipient. A class
 * rather than an object of closures, so creating one costs the benchmark next to nothing.
 */
class BenchContext implements ServerContext {
  readonly policy = POLICY;
  readonly client = CLIENT;
  checkRecipient(): undefined {
    return undefined;
  }
  queueId(): string {
    return (++issued).toString(16).toUpperCase().padStart(10, '0');
  }
  date(): string {
    return DATE;
  }
}

export interface Workload {
  /** Client chunks, in order, each passed to one receive(). */
  chunks: Uint8Array[];
  /** Reply codes a correct session emits for the whole transaction, greeting first. */
  codes: number[];
  /** Octets the client sends in one transaction. */
  octets: number;
  /** Octets of the message content the session must hand over (before Received:). */
  messageOctets: number;
}

export function workload(size: number, bytewise: boolean): Workload {
  const steps = freshTransaction(size);
  const whole = steps.map((s) => new Uint8Array(Buffer.from(s.send, 'utf8')));
  const octets = whole.reduce((n, c) => n + c.length, 0);
  const chunks = bytewise
    ? whole.flatMap((c) => Array.from(c, (_b, i) => c.subarray(i, i + 1)))
    : whole;
  const codes = [220, ...steps.flatMap((s) => (s.expect === undefined ? [] : [s.expect]))];
  return { chunks, codes, octets, messageOctets: size };
}

/** Codes of the last transaction, reused to keep the loop free of allocation of our own. */
const seen: number[] = [];
let messages = 0;

function collect(events: readonly ServerEvent[], messageOctets: number): void {
  for (const event of events) {
    if (event.type === 'reply') seen.push(event.reply.code);
    else if (event.type === 'message') {
      if (event.content.length <= messageOctets) throw new Error('message content too short');
      messages++;
    }
  }
}

/** One transaction on a fresh session; throws unless every reply is the expected one. */
export function transaction(load: Workload): void {
  seen.length = 0;
  const before = messages;
  const session = new ServerSession(new BenchContext());
  collect(session.start(), load.messageOctets);
  for (const chunk of load.chunks) collect(session.receive(chunk), load.messageOctets);
  if (messages !== before + 1 || seen.length !== load.codes.length) fail(load);
  for (let i = 0; i < seen.length; i++) if (seen[i] !== load.codes[i]) fail(load);
}

function fail(load: Workload): never {
  throw new Error(
    `unexpected transaction: replies ${seen.join(' ')} (expected ${load.codes.join(' ')}), ` +
      `${messages} messages so far`,
  );
}

const OPTIONS = { warmupMs: 600, rounds: 5, roundMs: 400 } as const;

function rate(load: Workload): Rate {
  transaction(load); // fail fast, before timing anything
  return measureRate(() => transaction(load), OPTIONS);
}

/** Bytes/s at the larger size over bytes/s at the smaller: near 1 or above when linear. */
const LINEAR: Goal = { min: 0.8, text: '≥ 0.8 (linear)' };

export const inMemory: Benchmark = {
  name: 'smtp.inmemory',
  description: 'ServerSession in memory: chunks whole (1, 64 KB) and byte by byte (1, 16 KB)',
  async run() {
    const whole1k = workload(1024, false);
    const whole64k = workload(64 * 1024, false);
    const bytes1k = workload(1024, true);
    const bytes16k = workload(16 * 1024, true);
    const w1k = rate(whole1k);
    const w64k = rate(whole64k);
    const b1k = rate(bytes1k);
    const b16k = rate(bytes16k);
    const bps = (r: Rate, load: Workload) => r.median * load.octets;
    const octets = (r: Rate, load: Workload) =>
      `${load.octets} client octets per transaction; ${spread(r, load.octets)}`;
    const figures: Figure[] = [
      {
        name: 'smtp.inmemory.tps',
        value: w1k.median,
        unit: 'transactions/s',
        note: `1 KB message, chunks whole; ${spread(w1k)}`,
      },
      {
        name: 'smtp.bytewise.tps',
        value: b1k.median,
        unit: 'transactions/s',
        note: `1 KB message, one byte per receive(); ${spread(b1k)}`,
      },
      {
        name: 'smtp.inmemory-vs-bytewise.ratio',
        value: w1k.median / b1k.median,
        unit: '×',
        note: 'what feeding one byte at a time costs',
      },
      {
        name: 'smtp.bytewise.bps.1k',
        value: bps(b1k, bytes1k),
        unit: 'bytes/s',
        note: octets(b1k, bytes1k),
      },
      {
        name: 'smtp.bytewise.bps.16k',
        value: bps(b16k, bytes16k),
        unit: 'bytes/s',
        note: octets(b16k, bytes16k),
      },
      {
        name: 'smtp.bytewise.linearity.ratio',
        value: bps(b16k, bytes16k) / bps(b1k, bytes1k),
        unit: '×',
        goal: LINEAR,
        note: 'bytewise bytes/s, 16 KB over 1 KB',
      },
      {
        name: 'smtp.inmemory.bps.1k',
        value: bps(w1k, whole1k),
        unit: 'bytes/s',
        note: octets(w1k, whole1k),
      },
      {
        name: 'smtp.inmemory.bps.64k',
        value: bps(w64k, whole64k),
        unit: 'bytes/s',
        note: octets(w64k, whole64k),
      },
      {
        name: 'smtp.inmemory.linearity.ratio',
        value: bps(w64k, whole64k) / bps(w1k, whole1k),
        unit: '×',
        goal: LINEAR,
        note: 'chunks-whole bytes/s, 64 KB over 1 KB',
      },
    ];
    return figures;
  },
};
