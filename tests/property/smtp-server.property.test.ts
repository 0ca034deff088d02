/**
 * Properties of the SMTP server session under arbitrary input: whatever the client sends,
 * in whatever splits, the server only ever emits well-formed replies (RFC 5321 §4.2,
 * §4.5.3.1.5), never throws, says nothing after closing, does not depend on how the bytes
 * were cut into chunks, and never lets credentials into its events. The grammar covers the
 * extension verbs too: STARTTLS (with handshakes), AUTH, BDAT with its chunks, and the DSN,
 * SMTPUTF8 and AUTH parameters.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../src/engine/base64';
import { text, utf8 } from '../../src/engine/bytes';
import { MAX_REPLY_LINE } from '../../src/engine/smtp/limits';
import { EXTENSIONS, type ServerEvent, type ServerPolicy } from '../../src/engine/smtp/server';
import { FIXED_DATE, HANDSHAKE, bytesOf, runChunks } from '../unit/engine/support';

const SETTINGS = { seed: 42, numRuns: 300 } as const;
const PLAIN_ALICE = base64Encode(utf8('\0alice\0wonderland'));

type Segment = Uint8Array | typeof HANDSHAKE;

/** Cut each byte segment at the given positions; handshakes stay where they are. */
function cutAll(segments: readonly Segment[], positions: number[]): Segment[] {
  return segments.flatMap((s): Segment[] => (s === HANDSHAKE ? [s] : cut(s, positions)));
}

/** Cut `bytes` at the given positions (taken modulo the length, duplicates ignored). */
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

/** Every problem with the replies in `events`, as readable strings (empty when all is well). */
function replyProblems(events: readonly ServerEvent[]): string[] {
  const problems: string[] = [];
  let closed = false;
  for (const event of events) {
    if (closed) problems.push(`event after close: ${event.type}`);
    if (event.type === 'close') closed = true;
    if (event.type !== 'reply') continue;
    const { wire, reply } = event;
    if (!wire.endsWith('\r\n')) problems.push(`reply not CRLF-terminated: ${JSON.stringify(wire)}`);
    const lines = wire.split('\r\n').slice(0, -1);
    if (lines.length === 0) problems.push('empty reply');
    lines.forEach((line, i) => {
      const shown = JSON.stringify(line.slice(0, 80));
      if (!/^\d{3}[ -]/.test(line)) problems.push(`malformed line ${shown}`);
      if (/[\r\n]/.test(line)) problems.push(`bare CR or LF inside ${shown}`);
      if (line.slice(0, 3) !== String(reply.code)) problems.push(`code differs in ${shown}`);
      if (line.slice(0, 3) !== lines[0]!.slice(0, 3)) problems.push(`mixed codes in one reply`);
      const separator = i === lines.length - 1 ? ' ' : '-';
      if (line[3] !== separator) problems.push(`line ${i} of ${lines.length} uses "${line[3]}"`);
      const octets = utf8(line).length + 2;
      if (octets > MAX_REPLY_LINE) problems.push(`reply line of ${octets} octets: ${shown}…`);
    });
    if (reply.code < 200 || reply.code > 599) problems.push(`reply code ${reply.code}`);
  }
  return problems;
}

// --- input generators --------------------------------------------------------------------

/** A run of `n` characters drawn from `alphabet` (fast-check's own strings stay short). */
const run = (alphabet: string, max: number) =>
  fc
    .tuple(fc.nat({ max }), fc.constantFrom(...alphabet))
    .chain(([n, first]) =>
      fc
        .array(fc.constantFrom(...alphabet), { minLength: n, maxLength: n })
        .map((rest) => first + rest.join('')),
    );

const address = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('bob@beta.example', 'alice@alpha.example', 'postmaster'),
  },
  fc.constantFrom(
    'bob@beta.example',
    'carol@beta.example',
    'alice@alpha.example',
    'postmaster',
    '',
    '"a b"@beta.example',
    '@relay.example:bob@beta.example',
    '[192.0.2.1]',
    'x@[IPv6:2001:db8::1]',
    'jos\u00e9@alpha.example',
    'bob@b\u00fccher.example',
  ),
  run('abc.@"\\<> ', 300).map((local) => `${local}@beta.example`),
);

/** ESMTP parameters, including keywords long enough to fill a command line. */
const param = fc.oneof(
  fc.constantFrom('SIZE=100', 'SIZE=99999999', 'SIZE=x', 'BODY=8BITMIME', 'BODY=7bit', 'AUTH=<>'),
  fc.constantFrom(
    'SMTPUTF8',
    'SMTPUTF8=1',
    'RET=FULL',
    'RET=hdrs',
    'RET=x',
    'ENVID=QQ+2B1',
    'ENVID=a+2',
    'NOTIFY=NEVER',
    'NOTIFY=SUCCESS,DELAY',
    'NOTIFY=NEVER,FAILURE',
    'NOTIFY=',
    'ORCPT=rfc822;bob+40beta.example',
    'ORCPT=bob',
    'AUTH=alice+40alpha.example',
  ),
  fc
    .tuple(run('ABCXYZ019-', 300), fc.constantFrom('', '=', '==', '=v', '=\u00e9'))
    .map(([key, tail]) => key + tail),
);

const ending = fc.oneof(
  { weight: 8, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '') },
);

/**
 * Often pad a line with one more parameter so that it ends up 440..512 octets long: the
 * boundary of §4.5.3.1.4, where the longest peer text can reach a reply.
 */
const fill = fc.option(fc.tuple(fc.integer({ min: 440, max: 512 }), fc.constantFrom('', '==')), {
  freq: 2,
});

function padded(line: string, end: string, pad: [number, string] | null): string {
  if (!pad) return line + end;
  const [target, tail] = pad;
  const room = target - utf8(line).length - 1 - tail.length - end.length;
  return room > 0 ? `${line} ${'P'.repeat(room)}${tail}${end}` : line + end;
}

const withParams = (head: fc.Arbitrary<string>) =>
  fc
    .tuple(head, fc.array(param, { maxLength: 2 }), ending, fill)
    .map(([h, ps, end, pad]) => padded([h, ...ps].join(' '), end, pad));

/** Mostly well-formed commands (so sessions get deep), sometimes anything at all. */
const commandLine = fc.oneof(
  { weight: 2, arbitrary: withParams(address.map((a) => `MAIL FROM:<${a}>`)) },
  { weight: 3, arbitrary: withParams(address.map((a) => `RCPT TO:<${a}>`)) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          'EHLO laptop.alpha.example',
          'HELO laptop.alpha.example',
          'EHLO',
          'DATA',
          'RSET',
          'NOOP',
          'VRFY bob',
          'EXPN x',
          'HELP',
          'TURN',
          'QUIT',
          'STARTTLS',
          'STARTTLS x',
          'AUTH PLAIN',
          'AUTH LOGIN',
          `AUTH PLAIN ${PLAIN_ALICE}`,
          `AUTH LOGIN ${base64Encode(utf8('alice'))}`,
          'AUTH CRAM-MD5',
          PLAIN_ALICE,
          base64Encode(utf8('wonderland')),
          '*',
          '=',
          'BDAT',
          'BDAT x LAST',
          'VRFY <bob@beta.example>',
          'EXPN staff',
          '',
        ),
        ending,
      )
      .map(([line, end]) => line + end),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.oneof(fc.string({ maxLength: 30 }), run('x', 700)),
        ending,
        fill,
      )
      .map(([v, a, end, pad]) => padded(`${v} ${a}`, end, pad)),
  },
);

/** Message text between DATA and the terminator, with the awkward cases of §4.5.2. */
const dataBlock = fc
  .array(
    fc.oneof(
      fc.constantFrom('..\r\n', '.\n', '\n.\r\n', '\r.\r\n', '. \r\n', 'Subject: x\r\n', '\r\n'),
      run('yz\n\r.', 400),
    ),
    { maxLength: 12 },
  )
  .map((lines) => `DATA\r\n${lines.join('')}\r\n.\r\n`);

/** A whole transaction, so that message text is reached often. */
const transaction = dataBlock.map(
  (data) => `MAIL FROM:<alice@alpha.example>\r\nRCPT TO:<bob@beta.example>\r\n${data}`,
);

/**
 * A BDAT command and its chunk (RFC 3030): usually the size is right, sometimes it is not,
 * so that the chunk runs into the commands after it or stops short.
 */
const bdat = fc
  .tuple(
    fc.oneof(run('ab.\r\n', 200), fc.constant('')),
    fc.integer({ min: -3, max: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([chunk, skew, last, exact]) => {
    const size = Math.max(0, utf8(chunk).length + (exact ? 0 : skew));
    return `BDAT ${size}${last ? ' LAST' : ''}\r\n${chunk}`;
  });

const piece: fc.Arbitrary<string | Uint8Array | typeof HANDSHAKE> = fc.oneof(
  { weight: 8, arbitrary: commandLine },
  { weight: 2, arbitrary: transaction },
  { weight: 1, arbitrary: dataBlock },
  { weight: 2, arbitrary: bdat },
  { weight: 1, arbitrary: fc.constant(HANDSHAKE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
);

/** Group pieces into byte segments between handshakes. */
function segmentsOf(pieces: readonly (string | Uint8Array | typeof HANDSHAKE)[]): Segment[] {
  const out: Segment[] = [];
  let run: (string | Uint8Array)[] = [];
  for (const p of pieces) {
    if (p === HANDSHAKE) {
      out.push(bytesOf(run), HANDSHAKE);
      run = [];
    } else run.push(p);
  }
  out.push(bytesOf(run));
  return out;
}

/** Usually starts with a greeting so that most runs get past the first state. */
const smtpish = fc
  .tuple(
    fc.constantFrom('EHLO laptop.alpha.example\r\n', 'HELO laptop.alpha.example\r\n', ''),
    fc.array(piece, { maxLength: 30 }),
  )
  .map(([greeting, pieces]) => segmentsOf([greeting, ...pieces]));
const anyBytes = fc.uint8Array({ maxLength: 3000 }).map((b): Segment[] => [b]);
const input = fc.oneof({ weight: 3, arbitrary: smtpish }, { weight: 1, arbitrary: anyBytes });
const positions = fc.array(fc.nat(), { maxLength: 40 });

const AUTH = { mechanisms: ['PLAIN', 'LOGIN'], required: false, tlsOnly: false } as const;
const policy: fc.Arbitrary<Partial<ServerPolicy>> = fc.constantFrom(
  {},
  { maxMessageSize: 64, maxRecipients: 2 },
  { maxMessageSize: 1, maxRecipients: 1 },
  { tls: 'may', auth: AUTH },
  { tls: 'required', auth: { ...AUTH, required: true } },
  { tls: 'implicit', auth: { ...AUTH, tlsOnly: true } },
  { bareNewline: 'disconnect', longLines: 'reject', maxHops: 1, vrfy: 'verify' },
  { extensions: [], vrfy: 'disabled', expn: { staff: ['bob@beta.example'] } },
  { extensions: EXTENSIONS.filter((e) => e !== 'SMTPUTF8' && e !== 'DSN'), maxMessageSize: 200 },
);

describe('ServerSession under arbitrary input', () => {
  it('emits only well-formed replies and never throws, in any splits', () => {
    fc.assert(
      fc.property(input, positions, policy, (segments, cuts, pol) => {
        const run = runChunks(cutAll(segments, cuts), pol);
        expect(replyProblems([...run.greeting, ...run.events])).toEqual([]);
      }),
      SETTINGS,
    );
  });

  it('produces the same events however the bytes are split', () => {
    fc.assert(
      fc.property(input, positions, policy, (segments, cuts, pol) => {
        const whole = runChunks(segments, pol);
        const split = runChunks(cutAll(segments, cuts), pol);
        expect(split.events).toEqual(whole.events);
        expect(split.session.state).toBe(whole.session.state);
      }),
      SETTINGS,
    );
  });

  it('answers every command and every end of data with exactly one reply (plus 421, 521)', () => {
    fc.assert(
      fc.property(smtpish, positions, policy, (segments, cuts, pol) => {
        const { events } = runChunks(cutAll(segments, cuts), pol);
        let awaiting = false;
        let verb = '';
        for (const event of events) {
          if (event.type === 'reply') {
            // The error limit's 421 and the bare-newline 521 come without a command.
            if (!awaiting) expect([421, 521]).toContain(event.reply.code);
            awaiting = false;
          } else if (event.type === 'command' || event.type === 'data') {
            expect(awaiting).toBe(false);
            awaiting = true;
            verb = event.type === 'command' ? event.verb : '';
          }
        }
        // Only a BDAT whose chunk has not all arrived is still waiting for its reply.
        if (awaiting) expect(verb).toBe('BDAT');
      }),
      SETTINGS,
    );
  });

  it('never hands on more than maxMessageSize octets of message text', () => {
    const prefix = 'EHLO a.example\r\nMAIL FROM:<>\r\nRCPT TO:<bob@beta.example>\r\nDATA\r\n';
    fc.assert(
      fc.property(smtpish, positions, (segments, cuts) => {
        const { events, ctx } = runChunks(cutAll([utf8(prefix), ...segments], cuts), {
          maxMessageSize: 64,
        });
        for (const event of events) {
          if (event.type !== 'message') continue;
          const body = event.content.length - receivedHeaderLength(event.content);
          expect(body).toBeLessThanOrEqual(ctx.policy.maxMessageSize);
        }
      }),
      SETTINGS,
    );
  });
});

describe('ServerSession and credentials', () => {
  it('a password given in an AUTH initial response never appears in any event', () => {
    const password = fc.stringMatching(/^[A-Za-z0-9!#%&*+,.:;=?@^_~-]{6,24}$/);
    fc.assert(
      fc.property(
        password,
        // Command lines only before it: a BDAT chunk could cut the line in two, and then the
        // server could not know the rest was meant as AUTH.
        fc.array(commandLine, { maxLength: 12 }),
        fc.array(piece, { maxLength: 12 }),
        positions,
        policy,
        (secret, before, after, cuts, pol) => {
          const plain = base64Encode(utf8(`\0alice\0${secret}`));
          // On a line of its own, whatever the pieces before it left unfinished.
          const line = `\r\nAUTH PLAIN ${plain}\r\n`;
          const segments = segmentsOf(['EHLO laptop.alpha.example\r\n', ...before, line, ...after]);
          const { events } = runChunks(cutAll(segments, cuts), { auth: AUTH, ...pol });
          const all = JSON.stringify(events);
          expect(all).not.toContain(plain);
          expect(all).not.toContain(`\\u0000${secret}`);
        },
      ),
      SETTINGS,
    );
  });
});

/** Octets of the Received: header the server put first; it ends with the (fixed) date. */
function receivedHeaderLength(content: Uint8Array): number {
  const end = bytesOf(text(content).split(`; ${FIXED_DATE}\r\n`)[0]!).length;
  expect(end).toBeLessThan(content.length);
  return end + utf8(`; ${FIXED_DATE}\r\n`).length;
}
