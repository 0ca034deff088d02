/**
 * Properties of the SMTP client and the message-text helpers under arbitrary input:
 * dot-stuffing is undone exactly by unstuffing (RFC 5321 §4.5.2); whatever the message
 * content, the client never writes a bare CR or LF (§2.3.8) and the server stores exactly the
 * CRLF-normalised text; whatever the server sends, in whatever splits, the client never
 * throws, ends cleanly and emits the same events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../src/engine/base64';
import { text, utf8 } from '../../src/engine/bytes';
import { dataBlock, dotStuff, dotUnstuff, normalizeCrlf } from '../../src/engine/message/dotstuff';
import type { Mailbox } from '../../src/engine/smtp/address';
import {
  ClientSession,
  type ClientEvent,
  type ClientJob,
  type ClientOptions,
} from '../../src/engine/smtp/client';
import { ServerSession, type ServerEvent } from '../../src/engine/smtp/server';
import { FIXED_DATE, bytesOf, fakeContext } from '../unit/engine/support';

const SETTINGS = { seed: 42, numRuns: 300 } as const;
const CR = 0x0d;
const LF = 0x0a;

/** Offsets of CR not followed by LF, and of LF not preceded by CR. */
function bareNewlines(bytes: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === CR && bytes[i + 1] !== LF) found.push(i);
    if (bytes[i] === LF && bytes[i - 1] !== CR) found.push(i);
  }
  return found;
}

/** Cut `bytes` at the given positions (modulo the length, duplicates ignored). */
function cut(bytes: Uint8Array, positions: number[]): Uint8Array[] {
  if (bytes.length === 0) return [bytes];
  const points = [...new Set(positions.map((p) => p % bytes.length))].sort((a, b) => a - b);
  const chunks: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    chunks.push(bytes.subarray(from, p));
    from = p;
  }
  chunks.push(bytes.subarray(from));
  return chunks;
}

// --- generators --------------------------------------------------------------------------

/** Text rich in the characters that matter here: dots, CR, LF at line starts. */
const linesy = fc
  .array(
    fc.oneof(
      fc.constantFrom('.', '..', '\r', '\n', '\r\n', '.\r\n', '\r\n.\r\n', '\n.\n', 'x', ' '),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

const contentBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 400 }),
  linesy.map((s) => utf8(s)),
  fc
    .array(fc.constantFrom(0x2e, CR, LF, 0x61, 0x80, 0xff), { maxLength: 200 })
    .map((a) => Uint8Array.from(a)),
);

const content: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  contentBytes,
  linesy,
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const ALICE: Mailbox = { local: 'alice', domain: 'alpha.example' };
const BOB: Mailbox = { local: 'bob', domain: 'beta.example' };
const CAROL: Mailbox = { local: 'carol', domain: 'beta.example' };

const options: fc.Arbitrary<Partial<ClientOptions>> = fc.record({
  starttls: fc.constantFrom('never', 'opportunistic', 'required'),
  pipelining: fc.boolean(),
  auth: fc.option(
    fc.record({
      mechanism: fc.constantFrom('PLAIN', 'LOGIN'),
      username: fc.constantFrom('alice', 'alice@alpha.example'),
      password: fc.string({ minLength: 0, maxLength: 300 }).filter((p) => !p.includes('\0')),
    }),
    { nil: undefined },
  ),
  dsn: fc.option(
    fc.record({ ret: fc.constantFrom('FULL', 'HDRS'), notify: fc.constant(['FAILURE'] as const) }),
    { nil: undefined },
  ),
});

const job: fc.Arbitrary<ClientJob> = fc.record({
  helo: fc.constant('laptop.alpha.example'),
  from: fc.constantFrom(ALICE, null),
  recipients: fc.array(fc.constantFrom(BOB, CAROL), { minLength: 1, maxLength: 3 }),
  content,
  options,
});

/** Reply lines a server might send, good and bad, so sessions get deep and go wrong. */
const replyLine = fc
  .tuple(
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc.constantFrom(
          '220',
          '221',
          '235',
          '250',
          '251',
          '334',
          '354',
          '421',
          '450',
          '451',
          '452',
          '454',
          '500',
          '501',
          '502',
          '503',
          '530',
          '535',
          '550',
          '552',
          '553',
          '554',
        ),
      },
      { weight: 1, arbitrary: fc.nat({ max: 999 }).map((n) => String(n).padStart(3, '0')) },
      { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
    ),
    fc.constantFrom(' ', ' ', '-', ''),
    fc.oneof(
      fc.constantFrom(
        'mx1.beta.example ESMTP',
        'PIPELINING',
        'SIZE 10',
        'SIZE 100000',
        'SIZE',
        'STARTTLS',
        'AUTH PLAIN LOGIN',
        'AUTH=LOGIN',
        '8BITMIME',
        'DSN',
        'SMTPUTF8',
        'ENHANCEDSTATUSCODES',
        '2.0.0 Ok: queued as Q1',
        '5.1.1 <bob@beta.example>: User unknown',
        'VXNlcm5hbWU6',
        '',
      ),
      fc.string({ maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    ),
    fc.oneof(
      { weight: 8, arbitrary: fc.constant('\r\n') },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '') },
    ),
  )
  .map(([code, sep, rest, end]) => code + sep + rest + end);

/** A plausible start (greeting and EHLO reply), then anything. */
const serverBytes = fc
  .tuple(
    fc.constantFrom(
      '',
      '220 mx1.beta.example ESMTP\r\n',
      '220 mx1.beta.example ESMTP\r\n250-mx1.beta.example\r\n250 PIPELINING\r\n',
      '220 mx1.beta.example ESMTP\r\n250-mx1.beta.example\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n',
    ),
    fc.array(
      fc.oneof(
        { weight: 8, arbitrary: replyLine },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 30 }) },
      ),
      { maxLength: 25 },
    ),
  )
  .map(([start, rest]) => bytesOf([start, ...rest]));

const positions = fc.array(fc.nat(), { maxLength: 30 });
const ending = fc.constantFrom('none', 'close', 'timeout');

// --- drivers -----------------------------------------------------------------------------

/** Feed chunks to a client; the owner completes any TLS handshake at once. */
function drive(j: ClientJob, chunks: Uint8Array[], end: string): ClientEvent[] {
  const session = new ClientSession(j);
  const events: ClientEvent[] = [];
  const take = (evs: ClientEvent[]) => {
    for (const e of evs) {
      events.push(e);
      if (e.type === 'starttls') take(session.tlsEstablished());
    }
  };
  for (const chunk of chunks) take(session.receive(chunk));
  if (end === 'close') take(session.closed());
  if (end === 'timeout') take(session.timedOut());
  return events;
}

/** Every problem with a client's events, as readable strings (empty when all is well). */
function eventProblems(j: ClientJob, events: readonly ClientEvent[]): string[] {
  const problems: string[] = [];
  let closed = false;
  let quit = false;
  let done = 0;
  for (const e of events) {
    if (closed) problems.push(`event after close: ${e.type}`);
    if (e.type === 'close') closed = true;
    if (e.type === 'done') {
      done++;
      if (e.result.recipients.length !== j.recipients.length) problems.push('recipients lost');
      for (const r of e.result.recipients) {
        if (!r) problems.push('unsettled recipient');
        else if (r.kind === 'delivered' && (r.code < 200 || r.code > 299)) {
          problems.push(`delivered with ${r.code}`);
        }
      }
    }
    if (e.type === 'command') {
      if (quit) problems.push(`command after QUIT: ${e.line}`);
      if (e.verb === 'QUIT') quit = true;
    }
    if (e.type === 'send') {
      const bare = bareNewlines(e.data);
      if (bare.length > 0)
        problems.push(`bare CR/LF at ${bare[0]} in ${JSON.stringify(text(e.data))}`);
    }
    if (e.type === 'reply' && !e.lines.every((l) => /^\d{3}([ -]|$)/.test(l))) {
      problems.push(`reply event with a malformed line: ${JSON.stringify(e.lines)}`);
    }
  }
  if (done > 1) problems.push(`${done} done events`);
  if (closed && done !== 1) problems.push('closed without a result');
  return problems;
}

interface Loop {
  clientEvents: ClientEvent[];
  serverEvents: ServerEvent[];
  written: Uint8Array;
}

/** Client ⇄ ServerSession in memory. */
function loopback(j: ClientJob): Loop {
  const server = new ServerSession(fakeContext());
  const client = new ClientSession(j);
  const clientEvents: ClientEvent[] = [];
  const serverEvents: ServerEvent[] = [];
  const toClient: Uint8Array[] = [];
  const toServer: Uint8Array[] = [];
  const written: Uint8Array[] = [];
  let serverClosed = false;
  const onServer = (events: ServerEvent[]) => {
    for (const e of events) {
      serverEvents.push(e);
      if (e.type === 'reply') toClient.push(utf8(e.wire));
      if (e.type === 'close') serverClosed = true;
    }
  };
  const onClient = (events: ClientEvent[]) => {
    for (const e of events) {
      clientEvents.push(e);
      if (e.type === 'send') {
        toServer.push(e.data);
        written.push(e.data);
      }
      if (e.type === 'starttls') onClient(client.tlsEstablished());
    }
  };
  onServer(server.start());
  while (toClient.length > 0 || toServer.length > 0) {
    const up = toServer.shift();
    if (up) onServer(server.receive(up));
    const down = toClient.shift();
    if (down) onClient(client.receive(down));
  }
  if (serverClosed) onClient(client.closed());
  return { clientEvents, serverEvents, written: bytesOf(written) };
}

// --- properties --------------------------------------------------------------------------

describe('dot-stuffing and CRLF normalisation (RFC 5321 §4.5.2, §2.3.8)', () => {
  it('unstuffing undoes stuffing, for any bytes', () => {
    fc.assert(
      fc.property(contentBytes, (bytes) => {
        expect(dotUnstuff(dotStuff(bytes))).toEqual(bytes);
      }),
      SETTINGS,
    );
  });

  it('stuffed text has no line starting with a lone "." CRLF', () => {
    fc.assert(
      fc.property(contentBytes, (bytes) => {
        const stuffed = text(dotStuff(normalizeCrlf(bytes)));
        expect(`\r\n${stuffed}`).not.toContain('\r\n.\r\n');
      }),
      SETTINGS,
    );
  });

  it('normalizeCrlf leaves no bare CR or LF, is idempotent and keeps every other byte', () => {
    fc.assert(
      fc.property(contentBytes, (bytes) => {
        const out = normalizeCrlf(bytes);
        expect(bareNewlines(out)).toEqual([]);
        expect(normalizeCrlf(out)).toEqual(out);
        const others = (b: Uint8Array) => b.filter((x) => x !== CR && x !== LF);
        expect(others(out)).toEqual(others(bytes));
      }),
      SETTINGS,
    );
  });

  it('dataBlock ends the text exactly once, with CRLF "." CRLF, and reports its size', () => {
    fc.assert(
      fc.property(contentBytes, (bytes) => {
        const block = dataBlock(bytes);
        const wire = text(block.wire);
        expect(bareNewlines(block.wire)).toEqual([]);
        expect(`\r\n${wire}`.indexOf('\r\n.\r\n')).toBe(wire.length - 3);
        const body = dotUnstuff(block.wire.subarray(0, block.wire.length - 3));
        expect(body.length).toBe(block.size);
        const normalized = normalizeCrlf(bytes);
        expect(body.subarray(0, normalized.length)).toEqual(normalized);
      }),
      SETTINGS,
    );
  });
});

describe('ClientSession and arbitrary message content', () => {
  it('never writes a bare CR or LF, and the server stores the normalised text', () => {
    fc.assert(
      fc.property(job, (j) => {
        // The real server offers neither STARTTLS nor AUTH: keep the job deliverable.
        const deliverable: ClientJob = {
          ...j,
          options: { ...j.options, starttls: 'opportunistic', auth: undefined },
        };
        const run = loopback(deliverable);
        expect(bareNewlines(run.written)).toEqual([]);
        expect(eventProblems(deliverable, run.clientEvents)).toEqual([]);
        const done = run.clientEvents.find((e) => e.type === 'done');
        const accepted = j.recipients.some((r) => r === BOB);
        expect(done).toMatchObject({
          result: {
            outcome: accepted
              ? j.recipients.includes(CAROL)
                ? 'partial'
                : 'delivered'
              : 'permanent',
          },
        });
        const message = run.serverEvents.find((e) => e.type === 'message');
        if (!accepted) {
          expect(message).toBeUndefined();
          return;
        }
        // The Received: header is ASCII and ends with the fixed date; compare bytes after it.
        const stored = message!.content;
        const end = `; ${FIXED_DATE}\r\n`;
        const header = utf8(text(stored).split(end)[0]! + end).length;
        const raw = typeof j.content === 'string' ? utf8(j.content) : j.content;
        const block = dataBlock(raw);
        const expected = dotUnstuff(block.wire.subarray(0, block.wire.length - 3));
        expect(stored.subarray(header)).toEqual(expected);
      }),
      SETTINGS,
    );
  });

  it('never writes a bare CR or LF whatever the server answers', () => {
    fc.assert(
      fc.property(job, serverBytes, positions, ending, (j, bytes, cuts, end) => {
        const events = drive(j, cut(bytes, cuts), end);
        expect(eventProblems(j, events)).toEqual([]);
      }),
      SETTINGS,
    );
  });
});

describe('ClientSession under arbitrary server input', () => {
  it('never throws, and every session that ends has exactly one result', () => {
    fc.assert(
      fc.property(job, serverBytes, positions, ending, (j, bytes, cuts, end) => {
        const events = drive(j, cut(bytes, cuts), end);
        if (end !== 'none') {
          expect(events.at(-1)).toEqual({ type: 'close' });
          expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
        }
      }),
      SETTINGS,
    );
  });

  it('produces the same events however the bytes are split', () => {
    // Without STARTTLS: what arrives in the same read as its 220 is discarded on purpose
    // (RFC 3207 §4.2), so splits there are meant to matter.
    const plain = job.map((j) => ({ ...j, options: { ...j.options, starttls: 'never' as const } }));
    fc.assert(
      fc.property(plain, serverBytes, positions, ending, (j, bytes, cuts, end) => {
        const whole = drive(j, [bytes], end);
        expect(drive(j, cut(bytes, cuts), end)).toEqual(whole);
      }),
      SETTINGS,
    );
  });
});

describe('base64 (RFC 4648) against Node', () => {
  it('encodes like Buffer and decodes back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const encoded = base64Encode(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64Decode(encoded)).toEqual(bytes);
      }),
      SETTINGS,
    );
  });

  it('rejects what is not canonical base64, accepts what is', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 16 }), (s) => {
        const decoded = base64Decode(s);
        const canonical = Buffer.from(s, 'base64').toString('base64') === s;
        expect(decoded !== undefined).toBe(canonical);
      }),
      SETTINGS,
    );
  });
});
