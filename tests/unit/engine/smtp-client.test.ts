/**
 * SMTP client conformance, organised by RFC section. Every case is what the server says
 * (golden replies) and exactly what the client must write, write by write and byte for
 * byte; every case is run whole, one byte per receive(), and in seeded random splits, and
 * must give identical events. A loopback suite wires the client to the real ServerSession.
 */
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode } from '../../../src/engine/base64';
import { text, utf8 } from '../../../src/engine/bytes';
import { dotStuff, dotUnstuff, normalizeCrlf } from '../../../src/engine/message/dotstuff';
import type { Mailbox } from '../../../src/engine/smtp/address';
import {
  CLIENT_TRANSITIONS,
  ClientSession,
  ClientUsageError,
  parseCapabilities,
  xtext,
  type ClientEvent,
  type ClientJob,
  type ClientOptions,
  type ClientState,
  type DeliveryResult,
  type RecipientOutcome,
} from '../../../src/engine/smtp/client';
import {
  ServerSession,
  type ServerEvent,
  type ServerPolicy,
} from '../../../src/engine/smtp/server';
import { FIXED_DATE, SPLIT_SEEDS, byteByByte, fakeContext, seededSplits } from './support';

// --- the job ---------------------------------------------------------------------------

const ALICE: Mailbox = { local: 'alice', domain: 'alpha.example' };
const BOB: Mailbox = { local: 'bob', domain: 'beta.example' };
const CAROL: Mailbox = { local: 'carol', domain: 'beta.example' };
const BODY = 'Subject: hi\r\n\r\nHello Bob.\r\n'; // 27 octets

interface JobOverrides extends Partial<Omit<ClientJob, 'options'>> {
  options?: Partial<ClientOptions>;
}

function job(overrides: JobOverrides = {}): ClientJob {
  return {
    helo: 'laptop.alpha.example',
    from: ALICE,
    recipients: [BOB],
    content: BODY,
    ...overrides,
    options: { starttls: 'opportunistic', pipelining: true, ...overrides.options },
  };
}

// --- golden server replies --------------------------------------------------------------

const GREETING = '220 mx1.beta.example ESMTP SMTP Lab\r\n';
const ehloReply = (...extensions: string[]) =>
  ['mx1.beta.example', ...extensions]
    .map((line, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`)
    .join('');
const EHLO_OK = ehloReply('PIPELINING', 'SIZE 10240000', 'ENHANCEDSTATUSCODES', '8BITMIME');
const EHLO_PLAIN = ehloReply('SIZE 10240000', 'ENHANCEDSTATUSCODES', '8BITMIME');
const SENDER_OK = '250 2.1.0 Ok\r\n';
const RCPT_OK = '250 2.1.5 Ok\r\n';
const GO_AHEAD = '354 End data with <CR><LF>.<CR><LF>\r\n';
const QUEUED = '250 2.0.0 Ok: queued as 4AbC123\r\n';
const BYE = '221 2.0.0 Bye\r\n';
const unknown = (address: string) =>
  `550 5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table\r\n`;
/** Marks where the server's 220 to STARTTLS ends and the owner does the handshake. */
const TLS = '<<TLS>>';

// --- golden client writes ---------------------------------------------------------------

const EHLO = 'EHLO laptop.alpha.example\r\n';
const HELO = 'HELO laptop.alpha.example\r\n';
const MAIL = 'MAIL FROM:<alice@alpha.example> SIZE=27\r\n';
const TO_BOB = 'RCPT TO:<bob@beta.example>\r\n';
const TO_CAROL = 'RCPT TO:<carol@beta.example>\r\n';
const DATA = 'DATA\r\n';
const MESSAGE = BODY + '.\r\n';
const QUIT = 'QUIT\r\n';

// --- running a case ---------------------------------------------------------------------

interface Run {
  session: ClientSession;
  events: ClientEvent[];
}

type Ending = 'none' | 'close' | 'timeout';

/**
 * Feed the server's bytes segment by segment (segments split at TLS), each cut by `cut`.
 * The owner answers 'starttls' at once, as the simulated network does.
 */
function runClient(
  j: ClientJob,
  segments: readonly Uint8Array[],
  cut: (bytes: Uint8Array) => Uint8Array[],
  end: Ending,
): Run {
  const session = new ClientSession(j);
  const events: ClientEvent[] = [];
  const take = (evs: ClientEvent[]) => {
    for (const e of evs) {
      events.push(e);
      if (e.type === 'starttls') take(session.tlsEstablished());
    }
  };
  for (const segment of segments) for (const chunk of cut(segment)) take(session.receive(chunk));
  if (end === 'close') take(session.closed());
  if (end === 'timeout') take(session.timedOut());
  return { session, events };
}

function segmentsOf(server: readonly string[]): Uint8Array[] {
  return server
    .join('')
    .split(TLS)
    .map((s) => utf8(s));
}

/** Run whole, per byte and in seeded splits; all must give the same events and state. */
function runAllWays(j: ClientJob, server: readonly string[], end: Ending = 'none'): Run {
  const segments = segmentsOf(server);
  const whole = runClient(j, segments, (b) => [b], end);
  const ways: [string, (b: Uint8Array) => Uint8Array[]][] = [
    ['one byte at a time', byteByByte],
    ...SPLIT_SEEDS.map((seed): [string, (b: Uint8Array) => Uint8Array[]] => [
      `random splits, seed ${seed}`,
      (b) => seededSplits(b, seed),
    ]),
  ];
  for (const [how, cut] of ways) {
    const other = runClient(j, segments, cut, end);
    expect(other.events, how).toEqual(whole.events);
    expect(other.session.state, how).toBe(whole.session.state);
  }
  return whole;
}

/** Each write the client made, as text. */
function writes(events: readonly ClientEvent[]): string[] {
  return events.flatMap((e) => (e.type === 'send' ? [text(e.data)] : []));
}

function resultOf(events: readonly ClientEvent[]): DeliveryResult {
  const done = events.filter((e) => e.type === 'done');
  expect(done).toHaveLength(1);
  return (done[0] as Extract<ClientEvent, { type: 'done' }>).result;
}

interface Case {
  name: string;
  job?: JobOverrides;
  /** What the server sends, in order; TLS marks the handshake. */
  server: string[];
  /** Each write of the client, exactly. */
  client: string[];
  end?: Ending;
  state?: ClientState;
  /** Expected fields of the result. */
  result?: Partial<Omit<DeliveryResult, 'recipients'>> & {
    recipients?: Partial<RecipientOutcome>[];
  };
  check?: (run: Run) => void;
}

function suite(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const run = runAllWays(job(c.job), c.server, c.end);
        expect(writes(run.events)).toEqual(c.client);
        // Byte for byte, too (write boundaries aside).
        expect(writes(run.events).join('')).toBe(c.client.join(''));
        const state = c.state ?? 'closed';
        expect(run.session.state).toBe(state);
        if (state === 'closed') {
          expect(run.events.at(-1)).toEqual({ type: 'close' });
          expect(run.events.filter((e) => e.type === 'close')).toHaveLength(1);
        }
        if (c.result) {
          const { recipients, ...rest } = c.result;
          const result = resultOf(run.events);
          expect(result).toMatchObject(rest);
          if (recipients) {
            expect(result.recipients).toHaveLength(recipients.length);
            recipients.forEach((r, i) => expect(result.recipients[i]).toMatchObject(r));
          }
        }
        c.check?.(run);
      });
    }
  });
}

const delivered = (rcpt: Mailbox = BOB): Partial<RecipientOutcome> => ({
  rcpt,
  code: 250,
  enhanced: '2.0.0',
  text: 'Ok: queued as 4AbC123',
  kind: 'delivered',
  inReplyTo: 'end of DATA',
  local: false,
});

// -----------------------------------------------------------------------------------------

suite('RFC 5321 §3.1, §4.1.1.1 greeting, EHLO and HELO', [
  {
    name: 'a whole session, pipelined: EHLO, then MAIL+RCPT+DATA in one write, text, QUIT',
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: {
      outcome: 'delivered',
      queueId: '4AbC123',
      server: 'mx1.beta.example',
      esmtp: true,
      secure: false,
      authenticated: false,
      pipelined: true,
      recipients: [delivered()],
    },
  },
  {
    name: 'pipelining: false sends one command per write (RFC 2920 is opt-in)',
    job: { options: { pipelining: false } },
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [EHLO, MAIL, TO_BOB, DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', pipelined: false },
  },
  {
    name: 'a server that does not offer PIPELINING gets one command per write',
    server: [GREETING, EHLO_PLAIN, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [EHLO, MAIL, TO_BOB, DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', pipelined: false },
  },
  {
    name: 'a multi-line greeting is one reply',
    server: [
      '220-mx1.beta.example ESMTP\r\n220-no UCE\r\n220 welcome\r\n',
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', server: 'mx1.beta.example' },
  },
  {
    name: '§3.2: EHLO rejected with 502 → HELO, no extensions used',
    server: [
      GREETING,
      '502 5.5.1 Error: command not implemented\r\n',
      '250 mx1.beta.example\r\n',
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [EHLO, HELO, 'MAIL FROM:<alice@alpha.example>\r\n', TO_BOB, DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', esmtp: false, pipelined: false },
  },
  {
    name: 'EHLO 500 and HELO 501 → permanent, then QUIT',
    server: [
      GREETING,
      '500 5.5.2 Error: command not recognized\r\n',
      '501 5.5.4 Syntax: HELO hostname\r\n',
      BYE,
    ],
    client: [EHLO, HELO, QUIT],
    result: {
      outcome: 'permanent',
      recipients: [
        { rcpt: BOB, code: 501, enhanced: '5.5.4', kind: 'permanent', inReplyTo: 'HELO' },
      ],
    },
  },
  {
    name: '§3.1: a 554 greeting → permanent, still QUIT and wait for 221',
    server: ['554 5.7.1 mx1.beta.example no service for you\r\n', BYE],
    client: [QUIT],
    result: {
      outcome: 'permanent',
      server: 'mx1.beta.example',
      recipients: [
        {
          code: 554,
          enhanced: '5.7.1',
          text: 'mx1.beta.example no service for you',
          inReplyTo: 'initial greeting',
          kind: 'permanent',
        },
      ],
    },
  },
  {
    name: '§3.8: 421 in the greeting → transient, close without QUIT',
    server: ['421 4.3.2 mx1.beta.example Service not available\r\n'],
    client: [],
    result: { outcome: 'transient', recipients: [{ code: 421, kind: 'transient' }] },
  },
  {
    name: '421 to EHLO → transient, close without QUIT',
    server: [GREETING, '421 4.7.0 mx1.beta.example Error: too many errors\r\n'],
    client: [EHLO],
    result: { outcome: 'transient', recipients: [{ code: 421, inReplyTo: 'EHLO' }] },
  },
  {
    name: 'a 4xx to EHLO (not 421) → transient, then QUIT',
    server: [GREETING, '451 4.3.0 try later\r\n', BYE],
    client: [EHLO, QUIT],
    result: { outcome: 'transient', recipients: [{ code: 451, kind: 'transient' }] },
  },
  {
    name: 'the session stays open while waiting for the reply to QUIT',
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    state: 'quit',
    result: { outcome: 'delivered' },
  },
]);

suite('RFC 3207 STARTTLS', [
  {
    name: 'opportunistic: offered → STARTTLS, handshake, EHLO again with fresh capabilities',
    server: [
      GREETING,
      ehloReply('PIPELINING', 'STARTTLS', 'X-BEFORE-TLS'),
      '220 2.0.0 Ready to start TLS\r\n',
      TLS,
      ehloReply('PIPELINING', 'SIZE 10240000', 'AUTH PLAIN LOGIN'),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [EHLO, 'STARTTLS\r\n', EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', secure: true },
    check: ({ session, events }) => {
      expect(events.filter((e) => e.type === 'starttls')).toHaveLength(1);
      // §4.2: what was learnt before TLS is forgotten.
      expect([...session.capabilities.keys()]).toEqual(['PIPELINING', 'SIZE', 'AUTH']);
    },
  },
  {
    name: 'STARTTLS is not sent again after TLS, even if the server offers it again',
    server: [
      GREETING,
      ehloReply('STARTTLS'),
      '220 2.0.0 Ready to start TLS\r\n',
      TLS,
      ehloReply('STARTTLS'),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [
      EHLO,
      'STARTTLS\r\n',
      EHLO,
      'MAIL FROM:<alice@alpha.example>\r\n',
      TO_BOB,
      DATA,
      MESSAGE,
      QUIT,
    ],
    result: { outcome: 'delivered', secure: true },
  },
  {
    name: 'required, not offered → local 4.7.4, no MAIL, QUIT',
    job: { options: { starttls: 'required' } },
    server: [GREETING, EHLO_OK, BYE],
    client: [EHLO, QUIT],
    result: {
      outcome: 'transient',
      recipients: [
        {
          code: 451,
          enhanced: '4.7.4',
          text: 'TLS is required, but was not offered by host mx1.beta.example',
          kind: 'transient',
          local: true,
        },
      ],
    },
  },
  {
    name: 'required, 454 to STARTTLS → transient, QUIT',
    job: { options: { starttls: 'required' } },
    server: [
      GREETING,
      ehloReply('STARTTLS'),
      '454 4.7.0 TLS not available due to local problem\r\n',
      BYE,
    ],
    client: [EHLO, 'STARTTLS\r\n', QUIT],
    result: { outcome: 'transient', recipients: [{ code: 454, inReplyTo: 'STARTTLS' }] },
  },
  {
    name: 'opportunistic, 454 to STARTTLS → carry on in plaintext',
    server: [
      GREETING,
      ehloReply('PIPELINING', 'STARTTLS'),
      '454 4.7.0 TLS not available due to local problem\r\n',
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [
      EHLO,
      'STARTTLS\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n' + TO_BOB + DATA,
      MESSAGE,
      QUIT,
    ],
    result: { outcome: 'delivered', secure: false },
  },
  {
    name: 'never: STARTTLS offered but not used',
    job: { options: { starttls: 'never' } },
    server: [GREETING, ehloReply('STARTTLS'), SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [EHLO, 'MAIL FROM:<alice@alpha.example>\r\n', TO_BOB, DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', secure: false },
  },
  {
    name: 'required, EHLO refused and HELO has no STARTTLS → local 4.7.4',
    job: { options: { starttls: 'required' } },
    server: [GREETING, '502 5.5.1 no\r\n', '250 mx1.beta.example\r\n', BYE],
    client: [EHLO, HELO, QUIT],
    result: { outcome: 'transient', recipients: [{ enhanced: '4.7.4', local: true }] },
  },
]);

describe('RFC 3207 §4.2: plaintext after the 220 to STARTTLS', () => {
  it('is discarded (response injection), in the same chunk or before tlsEstablished()', () => {
    const session = new ClientSession(job());
    const take: ClientEvent[] = [];
    take.push(...session.receive(utf8(GREETING + ehloReply('STARTTLS'))));
    // The 220 and an injected reply in one read.
    take.push(...session.receive(utf8('220 2.0.0 Ready\r\n250 2.1.0 injected\r\n')));
    expect(session.state).toBe('tls');
    expect(take.at(-1)).toEqual({ type: 'starttls' });
    expect(session.receive(utf8('250 2.1.5 injected too\r\n'))).toEqual([]);
    expect(session.timeout).toBeNull();
    const after = session.tlsEstablished();
    expect(writes(after)).toEqual([EHLO]);
    expect(session.state).toBe('ehlo');
    // The real EHLO reply after TLS is what counts.
    const more = session.receive(utf8(EHLO_OK + SENDER_OK));
    expect(more.filter((e) => e.type === 'reply').map((e) => (e as { code: number }).code)).toEqual(
      [250, 250],
    );
    expect(session.state).toBe('rcpt');
  });

  it('tlsEstablished() without a pending handshake is misuse of the API', () => {
    const session = new ClientSession(job());
    expect(() => session.tlsEstablished()).toThrow(ClientUsageError);
  });

  it('a connection lost during the handshake is transient', () => {
    const session = new ClientSession(job());
    session.receive(utf8(GREETING + ehloReply('STARTTLS') + '220 go ahead\r\n'));
    const events = session.closed();
    expect(resultOf(events).recipients[0]).toMatchObject({
      code: 451,
      enhanced: '4.4.2',
      text: 'lost connection with mx1.beta.example while performing the TLS handshake',
      local: true,
    });
    expect(events.at(-1)).toEqual({ type: 'close' });
  });
});

const PLAIN = 'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=\r\n'; // \0alice\0wonderland
const ALICE_AUTH = { mechanism: 'PLAIN', username: 'alice', password: 'wonderland' } as const;
const AUTHED = '235 2.7.0 Authentication successful\r\n';

suite('RFC 4954 AUTH', [
  {
    name: 'PLAIN with an initial response (RFC 4616), then the transaction',
    job: { options: { auth: ALICE_AUTH } },
    server: [GREETING, ehloReply('PIPELINING', 'AUTH PLAIN LOGIN'), AUTHED, SENDER_OK, RCPT_OK],
    client: [EHLO, PLAIN, 'MAIL FROM:<alice@alpha.example>\r\n' + TO_BOB + DATA],
    state: 'data',
    check: ({ session }) => {
      expect(text(base64Decode('AGFsaWNlAHdvbmRlcmxhbmQ=')!)).toBe('\0alice\0wonderland');
      expect(session.timeout).toBe(2 * 60_000); // §4.5.3.2.2: DATA initiation
    },
  },
  {
    name: 'LOGIN answers the two 334 challenges with username and password',
    job: { options: { auth: { ...ALICE_AUTH, mechanism: 'LOGIN' }, pipelining: false } },
    server: [
      GREETING,
      ehloReply('AUTH PLAIN LOGIN'),
      '334 VXNlcm5hbWU6\r\n',
      '334 UGFzc3dvcmQ6\r\n',
      AUTHED,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [
      EHLO,
      'AUTH LOGIN\r\n',
      'YWxpY2U=\r\n',
      'd29uZGVybGFuZA==\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
      TO_BOB,
      DATA,
      MESSAGE,
      QUIT,
    ],
    result: { outcome: 'delivered', authenticated: true },
    check: ({ events }) => {
      const commands = events.filter((e) => e.type === 'command');
      expect(commands.slice(1, 4)).toEqual([
        { type: 'command', verb: 'AUTH', line: 'AUTH LOGIN' },
        { type: 'command', verb: 'AUTH', line: 'YWxpY2U=' },
        { type: 'command', verb: 'AUTH', line: 'd29uZGVybGFuZA==' },
      ]);
    },
  },
  {
    name: 'the old "AUTH=LOGIN" advertisement is understood',
    job: { options: { auth: { ...ALICE_AUTH, mechanism: 'LOGIN' } } },
    server: [GREETING, ehloReply('AUTH=LOGIN'), '334 VXNlcm5hbWU6\r\n'],
    client: [EHLO, 'AUTH LOGIN\r\n', 'YWxpY2U=\r\n'],
    state: 'auth',
  },
  {
    name: '535 → permanent, QUIT',
    job: { options: { auth: ALICE_AUTH } },
    server: [
      GREETING,
      ehloReply('AUTH PLAIN LOGIN'),
      '535 5.7.8 Error: authentication failed: authentication failure\r\n',
      BYE,
    ],
    client: [EHLO, PLAIN, QUIT],
    result: {
      outcome: 'permanent',
      authenticated: false,
      recipients: [
        {
          code: 535,
          enhanced: '5.7.8',
          text: 'Error: authentication failed: authentication failure',
          inReplyTo: 'AUTH',
          kind: 'permanent',
        },
      ],
    },
  },
  {
    name: 'AUTH not offered → local 4.7.0, no MAIL',
    job: { options: { auth: ALICE_AUTH } },
    server: [GREETING, EHLO_OK, BYE],
    client: [EHLO, QUIT],
    result: {
      outcome: 'transient',
      recipients: [
        {
          code: 451,
          enhanced: '4.7.0',
          text:
            'SASL authentication failed; cannot authenticate to server mx1.beta.example: ' +
            'no PLAIN mechanism available',
          local: true,
        },
      ],
    },
  },
  {
    name: 'mechanism not offered (only LOGIN) → local 4.7.0',
    job: { options: { auth: ALICE_AUTH } },
    server: [GREETING, ehloReply('AUTH LOGIN'), BYE],
    client: [EHLO, QUIT],
    result: { outcome: 'transient', recipients: [{ enhanced: '4.7.0', local: true }] },
  },
  {
    name: 'a PLAIN response too long for the AUTH line is sent after an empty 334',
    job: { options: { auth: { ...ALICE_AUTH, password: 'p'.repeat(400) } } },
    server: [GREETING, ehloReply('AUTH PLAIN'), '334 \r\n', AUTHED],
    client: [
      EHLO,
      'AUTH PLAIN\r\n',
      base64Encode(utf8(`\0alice\0${'p'.repeat(400)}`)) + '\r\n',
      'MAIL FROM:<alice@alpha.example>\r\n',
    ],
    state: 'mail',
  },
  {
    name: 'a 334 the mechanism has no answer for is cancelled with "*"',
    job: { options: { auth: ALICE_AUTH } },
    server: [
      GREETING,
      ehloReply('AUTH PLAIN'),
      '334 more?\r\n',
      '501 5.7.0 Authentication aborted\r\n',
      BYE,
    ],
    client: [EHLO, PLAIN, '*\r\n', QUIT],
    result: { outcome: 'permanent', recipients: [{ code: 501, inReplyTo: 'AUTH' }] },
  },
  {
    name: '454 temporary authentication failure → transient',
    job: { options: { auth: ALICE_AUTH } },
    server: [
      GREETING,
      ehloReply('AUTH PLAIN'),
      '454 4.7.0 Temporary authentication failure\r\n',
      BYE,
    ],
    client: [EHLO, PLAIN, QUIT],
    result: { outcome: 'transient' },
  },
  {
    name: 'STARTTLS first, then AUTH offered only after TLS',
    job: { options: { auth: ALICE_AUTH, starttls: 'required' } },
    server: [
      GREETING,
      ehloReply('STARTTLS'),
      '220 2.0.0 Ready to start TLS\r\n',
      TLS,
      ehloReply('AUTH PLAIN LOGIN'),
      AUTHED,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [
      EHLO,
      'STARTTLS\r\n',
      EHLO,
      PLAIN,
      'MAIL FROM:<alice@alpha.example>\r\n',
      TO_BOB,
      DATA,
      MESSAGE,
      QUIT,
    ],
    result: { outcome: 'delivered', secure: true, authenticated: true },
  },
]);

suite('RFC 1870 SIZE, RFC 6152 8BITMIME, RFC 6531 SMTPUTF8', [
  {
    name: 'a message over the advertised limit is refused locally, before MAIL',
    server: [GREETING, ehloReply('PIPELINING', 'SIZE 20'), BYE],
    client: [EHLO, QUIT],
    result: {
      outcome: 'permanent',
      recipients: [
        {
          code: 552,
          enhanced: '5.3.4',
          text: 'message size 27 exceeds size limit 20 of server mx1.beta.example',
          kind: 'permanent',
          local: true,
          inReplyTo: '',
        },
      ],
    },
  },
  {
    name: 'exactly at the limit is fine',
    server: [GREETING, ehloReply('SIZE 27'), SENDER_OK],
    client: [EHLO, MAIL, TO_BOB],
    state: 'rcpt',
  },
  {
    name: 'SIZE 0 (or SIZE without a value) means no limit; SIZE= is still sent',
    server: [GREETING, ehloReply('SIZE 0'), SENDER_OK],
    client: [EHLO, MAIL, TO_BOB],
    state: 'rcpt',
  },
  {
    name: 'SIZE= counts the text with CRLFs, not the stuffing or terminator',
    job: { content: '.a\n..b' }, // → "..a\r\n...b\r\n"; size of ".a\r\n..b\r\n" is 9
    server: [GREETING, ehloReply('SIZE'), SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> SIZE=9\r\n',
      TO_BOB,
      DATA,
      '..a\r\n...b\r\n.\r\n',
      QUIT,
    ],
    result: { outcome: 'delivered' },
    check: ({ events }) => {
      expect(events).toContainEqual({ type: 'data', bytes: 9, lines: 2 });
    },
  },
  {
    name: '8-bit content gets BODY=8BITMIME when offered',
    job: { content: 'Subject: caf\u00e9\r\n' },
    server: [GREETING, ehloReply('8BITMIME'), SENDER_OK],
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> BODY=8BITMIME\r\n', TO_BOB],
    state: 'rcpt',
  },
  {
    name: 'a non-ASCII address without SMTPUTF8 → local 5.6.7',
    job: { recipients: [{ local: 'j\u00f6rg', domain: 'beta.example' }] },
    server: [GREETING, EHLO_OK, BYE],
    client: [EHLO, QUIT],
    result: { outcome: 'permanent', recipients: [{ code: 554, enhanced: '5.6.7', local: true }] },
  },
  {
    name: 'a non-ASCII address with SMTPUTF8 offered → MAIL … SMTPUTF8',
    job: { recipients: [{ local: 'j\u00f6rg', domain: 'beta.example' }] },
    server: [GREETING, ehloReply('SMTPUTF8'), SENDER_OK],
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> SMTPUTF8\r\n',
      'RCPT TO:<j\u00f6rg@beta.example>\r\n',
    ],
    state: 'rcpt',
  },
]);

suite('RFC 3461 DSN parameters', [
  {
    name: 'sent when DSN is offered: RET, ENVID (xtext), NOTIFY, ORCPT',
    job: {
      recipients: [
        { mailbox: BOB, notify: ['SUCCESS', 'FAILURE'], orcpt: 'bob+x@beta.example' },
        CAROL,
      ],
      options: { dsn: { ret: 'HDRS', envid: 'QQ314159 a=b', notify: 'NEVER' } },
    },
    server: [GREETING, ehloReply('PIPELINING', 'DSN'), SENDER_OK, RCPT_OK, RCPT_OK],
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> RET=HDRS ENVID=QQ314159+20a+3Db\r\n' +
        'RCPT TO:<bob@beta.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+2Bx@beta.example\r\n' +
        'RCPT TO:<carol@beta.example> NOTIFY=NEVER\r\n' +
        DATA,
    ],
    state: 'data',
  },
  {
    name: 'left out when DSN is not offered',
    job: {
      recipients: [{ mailbox: BOB, notify: ['DELAY'], orcpt: 'bob@beta.example' }],
      options: { dsn: { ret: 'FULL', envid: 'x' } },
    },
    server: [GREETING, EHLO_OK, SENDER_OK],
    client: [EHLO, MAIL + TO_BOB + DATA],
    state: 'rcpt',
  },
]);

suite('RFC 5321 §4.1.1.2–§4.1.1.4 MAIL, RCPT, DATA; RFC 2920 pipelined failures', [
  {
    name: 'one recipient rejected, one delivered → partial, outcomes per recipient',
    job: { recipients: [BOB, CAROL] },
    server: [
      GREETING,
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      unknown('carol@beta.example'),
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [EHLO, MAIL + TO_BOB + TO_CAROL + DATA, MESSAGE, QUIT],
    result: {
      outcome: 'partial',
      queueId: '4AbC123',
      recipients: [
        delivered(BOB),
        {
          rcpt: CAROL,
          code: 550,
          enhanced: '5.1.1',
          text: '<carol@beta.example>: Recipient address rejected: User unknown in local recipient table',
          kind: 'permanent',
          inReplyTo: 'RCPT TO',
          local: false,
        },
      ],
    },
  },
  {
    name: '452 to a RCPT is "retry later" for that recipient only',
    job: { recipients: [BOB, CAROL], options: { pipelining: false } },
    server: [
      GREETING,
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      '452 4.5.3 Error: too many recipients\r\n',
      GO_AHEAD,
      QUEUED,
      BYE,
    ],
    client: [EHLO, MAIL, TO_BOB, TO_CAROL, DATA, MESSAGE, QUIT],
    result: {
      outcome: 'partial',
      recipients: [delivered(BOB), { rcpt: CAROL, code: 452, kind: 'transient' }],
    },
  },
  {
    name: '§3.3: every recipient rejected → no DATA, QUIT',
    job: { recipients: [CAROL], options: { pipelining: false } },
    server: [GREETING, EHLO_OK, SENDER_OK, unknown('carol@beta.example'), BYE],
    client: [EHLO, MAIL, TO_CAROL, QUIT],
    result: { outcome: 'permanent', queueId: null },
    check: ({ events }) => expect(events.some((e) => e.type === 'data')).toBe(false),
  },
  {
    name: 'pipelined, every recipient rejected, DATA 554 → QUIT',
    job: { recipients: [CAROL] },
    server: [
      GREETING,
      EHLO_OK,
      SENDER_OK,
      unknown('carol@beta.example'),
      '554 5.5.1 Error: no valid recipients\r\n',
      BYE,
    ],
    client: [EHLO, MAIL + TO_CAROL + DATA, QUIT],
    result: { outcome: 'permanent', recipients: [{ code: 550, inReplyTo: 'RCPT TO' }] },
  },
  {
    name: 'RFC 2920 §3.1: every recipient rejected but DATA got 354 → a lone "." ends it',
    job: { recipients: [CAROL] },
    server: [
      GREETING,
      EHLO_OK,
      SENDER_OK,
      unknown('carol@beta.example'),
      GO_AHEAD,
      '554 5.5.1 Error: no valid recipients\r\n',
      BYE,
    ],
    client: [EHLO, MAIL + TO_CAROL + DATA, '.\r\n', QUIT],
    result: { outcome: 'permanent', recipients: [{ code: 550, inReplyTo: 'RCPT TO' }] },
  },
  {
    name: 'MAIL 451 without pipelining → transient, no RCPT',
    job: { options: { pipelining: false } },
    server: [GREETING, EHLO_OK, '451 4.3.0 Error: queue file write error\r\n', BYE],
    client: [EHLO, MAIL, QUIT],
    result: { outcome: 'transient', recipients: [{ code: 451, inReplyTo: 'MAIL FROM' }] },
  },
  {
    name: 'pipelined MAIL 553: the RCPT and DATA replies are read, the MAIL reply decides',
    job: { recipients: [BOB, CAROL] },
    server: [
      GREETING,
      EHLO_OK,
      '553 5.7.1 <alice@alpha.example>: Sender address rejected\r\n',
      '503 5.5.1 Error: need MAIL command\r\n',
      '503 5.5.1 Error: need MAIL command\r\n',
      '503 5.5.1 Error: need RCPT command\r\n',
      BYE,
    ],
    client: [EHLO, MAIL + TO_BOB + TO_CAROL + DATA, QUIT],
    result: {
      outcome: 'permanent',
      recipients: [
        { rcpt: BOB, code: 553, inReplyTo: 'MAIL FROM' },
        { rcpt: CAROL, code: 553, inReplyTo: 'MAIL FROM' },
      ],
    },
  },
  {
    name: 'DATA 451 → transient for the accepted recipients',
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, '451 4.3.0 try again\r\n', BYE],
    client: [EHLO, MAIL + TO_BOB + DATA, QUIT],
    result: { outcome: 'transient', recipients: [{ code: 451, inReplyTo: 'DATA' }] },
  },
  {
    name: 'end of data 552 → permanent; no queue id',
    server: [
      GREETING,
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      '552 5.3.4 Message size exceeds fixed limit\r\n',
      BYE,
    ],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: {
      outcome: 'permanent',
      queueId: null,
      recipients: [{ code: 552, enhanced: '5.3.4', inReplyTo: 'end of DATA' }],
    },
  },
  {
    name: 'end of data 451 → transient',
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, '451 4.7.1 greylisted\r\n', BYE],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: { outcome: 'transient', recipients: [{ code: 451, kind: 'transient' }] },
  },
  {
    name: '421 in the middle of pipelined replies → close at once, transient',
    job: { recipients: [BOB, CAROL] },
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, '421 4.4.2 mx1.beta.example timeout\r\n'],
    client: [EHLO, MAIL + TO_BOB + TO_CAROL + DATA],
    result: {
      outcome: 'transient',
      recipients: [
        { rcpt: BOB, code: 421, inReplyTo: 'RCPT TO', kind: 'transient' },
        { rcpt: CAROL, code: 421, inReplyTo: 'RCPT TO', kind: 'transient' },
      ],
    },
  },
  {
    name: 'a queue id is only taken from "queued as"',
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, '250 OK id=1abc-0002\r\n', BYE],
    client: [EHLO, MAIL + TO_BOB + DATA, MESSAGE, QUIT],
    result: { outcome: 'delivered', queueId: null },
  },
  {
    name: 'the null reverse path <> (§4.5.5)',
    job: { from: null },
    server: [GREETING, EHLO_OK, SENDER_OK],
    client: [EHLO, 'MAIL FROM:<> SIZE=27\r\n' + TO_BOB + DATA],
    state: 'rcpt',
  },
  {
    name: 'the bare <postmaster> recipient (§4.1.1.3)',
    job: { recipients: [{ local: 'postmaster', domain: '' }] },
    server: [GREETING, EHLO_OK, SENDER_OK],
    client: [EHLO, MAIL + 'RCPT TO:<postmaster>\r\n' + DATA],
    state: 'rcpt',
  },
]);

suite('RFC 5321 §4.5.2 message text: CRLF and dot-stuffing', [
  {
    name: 'bare LF and bare CR become CRLF, leading dots double, a final CRLF is added',
    job: { content: '.first\nsecond\r.\r\n..\r\nlast' },
    server: [GREETING, ehloReply('PIPELINING'), SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example>\r\n' + TO_BOB + DATA,
      '..first\r\nsecond\r\n..\r\n...\r\nlast\r\n.\r\n',
      QUIT,
    ],
    result: { outcome: 'delivered' },
  },
  {
    name: 'an empty message is just the terminator',
    job: { content: '' },
    server: [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=0\r\n' + TO_BOB + DATA, '.\r\n', QUIT],
    result: { outcome: 'delivered' },
  },
  {
    name: '"\\r\\n.\\r\\n" inside the content cannot end the data early',
    job: { content: 'a\r\n.\r\nMAIL FROM:<evil@x.example>\r\n' },
    server: [GREETING, ehloReply('PIPELINING'), SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED, BYE],
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example>\r\n' + TO_BOB + DATA,
      'a\r\n..\r\nMAIL FROM:<evil@x.example>\r\n.\r\n',
      QUIT,
    ],
    result: { outcome: 'delivered' },
  },
]);

describe('message text as bytes', () => {
  it('passes 8-bit bytes that are not UTF-8 through unchanged', () => {
    const content = new Uint8Array([0x66, 0xe9, 0xff, 0x0a, 0x2e, 0x80]); // f é ÿ LF . 0x80
    const run = runAllWays(job({ content }), [
      GREETING,
      ehloReply('PIPELINING'),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
    ]);
    const sends = run.events.filter((e) => e.type === 'send');
    expect(Array.from(sends.at(-1)!.data)).toEqual([
      0x66, 0xe9, 0xff, 0x0d, 0x0a, 0x2e, 0x2e, 0x80, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a,
    ]);
  });
});

describe('RFC 5321 §4.2 reply parsing', () => {
  it('reports each reply with its code, enhanced status, lines and class', () => {
    const run = runAllWays(job({ options: { pipelining: false } }), [
      GREETING,
      EHLO_OK,
      '550-5.1.1 first line\r\n550 5.1.1 second line\r\n',
    ]);
    const replies = run.events.filter((e) => e.type === 'reply');
    expect(replies[0]).toEqual({
      type: 'reply',
      code: 220,
      enhanced: '',
      lines: ['220 mx1.beta.example ESMTP SMTP Lab'],
      kind: 'success',
    });
    expect(replies[1]).toMatchObject({ code: 250, lines: EHLO_OK.split('\r\n').slice(0, -1) });
    expect(replies[2]).toEqual({
      type: 'reply',
      code: 550,
      enhanced: '5.1.1',
      lines: ['550-5.1.1 first line', '550 5.1.1 second line'],
      kind: 'permanent',
    });
    const rcpt = resultOf(run.events).recipients[0]!;
    expect(rcpt.text).toBe('first line second line');
  });

  it('parses the EHLO capability list: keywords (any case) and parameters', () => {
    const caps = parseCapabilities([
      '250-mx1.beta.example Hello',
      '250-size 10240000',
      '250-AUTH PLAIN LOGIN',
      '250-AUTH=LOGIN CRAM-MD5',
      '250-8BITMIME',
      '250 -bad',
    ]);
    expect([...caps]).toEqual([
      ['SIZE', ['10240000']],
      ['AUTH', ['PLAIN', 'LOGIN', 'CRAM-MD5']],
      ['8BITMIME', []],
    ]);
  });

  it('accepts bare-LF line ends and a final line that is just the code', () => {
    const run = runAllWays(job({ options: { pipelining: false } }), [
      '220 mx1.beta.example\n',
      '250-mx1.beta.example\n250 SIZE 1000\n',
      '250\r\n',
    ]);
    expect(writes(run.events)).toEqual([EHLO, MAIL, TO_BOB]);
  });

  it('takes an enhanced code only when its class matches the reply (RFC 3463 §2)', () => {
    const run = runAllWays(job({ options: { pipelining: false } }), [
      GREETING,
      EHLO_OK,
      '550 4.1.1 odd\r\n',
      BYE,
    ]);
    expect(resultOf(run.events).recipients[0]).toMatchObject({ enhanced: '', text: '4.1.1 odd' });
  });

  const protocolErrors: [string, string[], RegExp][] = [
    ['a greeting that is not a reply', ['hello there\r\n'], /malformed reply/],
    ['a code with no separator', [GREETING, '250x\r\n'], /malformed reply/],
    ['an empty line', [GREETING, '\r\n'], /malformed reply/],
    ['a 1yz code', [GREETING, '199 ok\r\n'], /malformed reply/],
    ['mixed codes in one reply', [GREETING, '250-a\r\n251 b\r\n'], /code changed/],
    ['354 to MAIL', [GREETING, EHLO_OK, GO_AHEAD], /unexpected reply 354 to MAIL FROM/],
    [
      '250 to DATA',
      [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, SENDER_OK],
      /unexpected reply 250 to DATA/,
    ],
    ['334 to EHLO', [GREETING, '334 VXNlcm5hbWU6\r\n'], /unexpected reply 334 to EHLO/],
    ['a reply with too many lines', [GREETING, '250-x\r\n'.repeat(201)], /too many lines/],
  ];
  for (const [name, server, message] of protocolErrors) {
    it(`${name} → error event, transient outcome, close without QUIT`, () => {
      const run = runAllWays(job(), server);
      const errors = run.events.filter((e) => e.type === 'error');
      expect(errors).toHaveLength(1);
      expect((errors[0] as { message: string }).message).toMatch(message);
      expect(writes(run.events)).not.toContain(QUIT);
      expect(resultOf(run.events).recipients[0]).toMatchObject({
        code: 451,
        enhanced: '4.5.0',
        kind: 'transient',
        local: true,
      });
      expect(run.events.at(-1)).toEqual({ type: 'close' });
      expect(run.session.state).toBe('closed');
    });
  }

  it('keeps only the start of an over-long reply line and goes on', () => {
    const long = `220 mx1.beta.example ${'x'.repeat(5000)}\r\n`;
    const run = runAllWays(job(), [long, EHLO_OK]);
    const greeting = run.events.find((e) => e.type === 'reply') as { lines: string[] };
    expect(greeting.lines[0]!.length).toBe(2048);
    expect(run.session.state).toBe('mail');
  });

  it('says nothing after close, whatever arrives', () => {
    const session = new ClientSession(job());
    session.receive(utf8('garbage\r\n'));
    expect(session.state).toBe('closed');
    expect(session.receive(utf8(GREETING))).toEqual([]);
    expect(session.closed()).toEqual([]);
    expect(session.timedOut()).toEqual([]);
  });
});

describe('RFC 5321 §3.8, §4.5.3.2 lost connections and timeouts', () => {
  it('a connection closed after RCPT → 4.4.2 "lost connection … while sending RCPT TO"', () => {
    const run = runAllWays(
      job({ options: { pipelining: false } }),
      [GREETING, EHLO_OK, SENDER_OK],
      'close',
    );
    expect(resultOf(run.events)).toMatchObject({
      outcome: 'transient',
      recipients: [
        {
          code: 451,
          enhanced: '4.4.2',
          text: 'lost connection with mx1.beta.example while sending RCPT TO',
          kind: 'transient',
          local: true,
        },
      ],
    });
    expect(run.events.slice(-2).map((e) => e.type)).toEqual(['done', 'close']);
  });

  it('a close after the message was accepted does not change the outcome', () => {
    const run = runAllWays(
      job(),
      [GREETING, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, QUEUED],
      'close',
    );
    expect(resultOf(run.events).outcome).toBe('delivered');
    expect(run.events.at(-1)).toEqual({ type: 'close' });
  });

  it('suggests the §4.5.3.2 timeouts and reports a timeout as transient', () => {
    const session = new ClientSession(job());
    expect(session.timeout).toBe(5 * 60_000); // initial 220
    session.receive(utf8(GREETING + EHLO_OK + SENDER_OK + RCPT_OK + GO_AHEAD));
    expect(session.state).toBe('message');
    expect(session.timeout).toBe(10 * 60_000); // DATA termination
    const events = session.timedOut();
    expect(resultOf(events).recipients[0]).toMatchObject({
      code: 451,
      text:
        'conversation with mx1.beta.example timed out while sending end of data -- ' +
        'message may be sent more than once',
    });
    expect(session.timeout).toBeNull();
  });
});

describe('envelope checks: misuse of the API throws ClientUsageError', () => {
  const bad: [string, JobOverrides][] = [
    ['CRLF in the HELO name', { helo: 'laptop\r\nMAIL FROM:<x@y>' }],
    ['a HELO name that is not a domain', { helo: 'laptop alpha' }],
    ['LF in the sender', { from: { local: 'alice\n', domain: 'alpha.example' } }],
    ['CR in a recipient domain', { recipients: [{ local: 'bob', domain: 'beta.example\r' }] }],
    ['NUL in a recipient', { recipients: [{ local: 'b\0b', domain: 'beta.example' }] }],
    ['a TAB in a recipient', { recipients: [{ local: 'b\tb', domain: 'beta.example' }] }],
    ['DEL in the sender', { from: { local: 'a\x7f', domain: 'alpha.example' } }],
    ['CRLF in an ORCPT', { recipients: [{ mailbox: BOB, orcpt: 'bob@beta.example\r\nQUIT' }] }],
    ['a bad address', { recipients: [{ local: 'bob', domain: 'beta..example' }] }],
    ['a bare postmaster as sender', { from: { local: 'postmaster', domain: '' } }],
    ['no recipients', { recipients: [] }],
    ['CRLF in ENVID', { options: { dsn: { envid: 'a\r\nb' } } }],
    ['NOTIFY with duplicates', { options: { dsn: { notify: ['DELAY', 'DELAY'] } } }],
    ['NUL in the password', { options: { auth: { ...ALICE_AUTH, password: 'a\0b' } } }],
    ['an empty username', { options: { auth: { ...ALICE_AUTH, username: '' } } }],
    [
      'an unknown mechanism',
      { options: { auth: { ...ALICE_AUTH, mechanism: 'CRAM-MD5' as 'PLAIN' } } },
    ],
  ];
  for (const [name, overrides] of bad) {
    it(name, () => {
      expect(() => new ClientSession(job(overrides))).toThrow(ClientUsageError);
    });
  }

  it('accepts address literals, quoted local parts and the bare postmaster recipient', () => {
    expect(
      () =>
        new ClientSession(
          job({
            helo: '[192.0.2.10]',
            from: { local: '"a b"', domain: 'alpha.example' },
            recipients: [{ local: 'Postmaster', domain: '' }],
          }),
        ),
    ).not.toThrow();
  });
});

describe('CLIENT_TRANSITIONS', () => {
  it('lists every waiting state, and leads only to real states', () => {
    const states: ClientState[] = [
      'greeting',
      'ehlo',
      'helo',
      'starttls',
      'tls',
      'auth',
      'mail',
      'rcpt',
      'data',
      'message',
      'quit',
      'closed',
    ];
    expect(Object.keys(CLIENT_TRANSITIONS).sort()).toEqual(
      states.filter((s) => s !== 'tls' && s !== 'closed').sort(),
    );
    for (const t of Object.values(CLIENT_TRANSITIONS)) {
      for (const next of Object.values(t.next)) {
        for (const s of next) expect(states).toContain(s);
      }
      // 421 can arrive anywhere and closes (§3.8).
      expect(t.next.transient).toContain('closed');
    }
  });
});

describe('helpers', () => {
  it('base64 matches RFC 4648 §10 test vectors', () => {
    const vectors = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    expect(vectors.map((v) => base64Encode(utf8(v)))).toEqual(expected);
    expect(expected.map((e) => text(base64Decode(e)!))).toEqual(vectors);
    for (const badInput of ['Zg=', 'Zh==', 'Zm9v!', '=Zm9', 'Zg==Zg==', 'Zm=v']) {
      expect(base64Decode(badInput), badInput).toBeUndefined();
    }
  });

  it('xtext (RFC 3461 §4)', () => {
    expect(xtext('a+b=c d\u00e9')).toBe('a+2Bb+3Dc+20d+C3+A9');
  });

  it('normalizeCrlf, dotStuff and dotUnstuff', () => {
    expect(text(normalizeCrlf(utf8('a\rb\nc\r\nd\r\r\n')))).toBe('a\r\nb\r\nc\r\nd\r\n\r\n');
    expect(text(dotStuff(utf8('.a\r\n.b\n.c\r.\r\n')))).toBe('..a\r\n..b\n.c\r.\r\n');
    expect(text(dotUnstuff(utf8('..a\r\n..b\r\n.\r\n')))).toBe('.a\r\n.b\r\n\r\n');
  });
});

// --- loopback: ClientSession ⇄ ServerSession, in memory ---------------------------------

interface Loopback {
  client: ClientSession;
  server: ServerSession;
  clientEvents: ClientEvent[];
  serverEvents: ServerEvent[];
  result: DeliveryResult;
}

/** Wire the two sessions together; `cut` splits every write before it is delivered. */
function loopback(
  j: ClientJob,
  policy: Partial<ServerPolicy> = {},
  cut: (b: Uint8Array) => Uint8Array[] = (b) => [b],
): Loopback {
  const server = new ServerSession(fakeContext(policy));
  const client = new ClientSession(j);
  const clientEvents: ClientEvent[] = [];
  const serverEvents: ServerEvent[] = [];
  const toClient: Uint8Array[] = [];
  const toServer: Uint8Array[] = [];
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
      if (e.type === 'send') toServer.push(e.data);
      if (e.type === 'starttls') onClient(client.tlsEstablished());
    }
  };
  onServer(server.start());
  for (let guard = 0; toClient.length > 0 || toServer.length > 0; guard++) {
    if (guard > 10_000) throw new Error('loopback does not settle');
    const up = toServer.shift();
    if (up) for (const piece of cut(up)) onServer(server.receive(piece));
    const down = toClient.shift();
    if (down) for (const piece of cut(down)) onClient(client.receive(piece));
  }
  if (serverClosed) onClient(client.closed());
  return { client, server, clientEvents, serverEvents, result: resultOf(clientEvents) };
}

const RECEIVED_END = `; ${FIXED_DATE}\r\n`;

/** The message the server stored, without the Received: header it added. */
function storedBody(events: readonly ServerEvent[]): string {
  const messages = events.filter((e) => e.type === 'message');
  expect(messages).toHaveLength(1);
  const content = text((messages[0] as Extract<ServerEvent, { type: 'message' }>).content);
  return content.slice(content.indexOf(RECEIVED_END) + RECEIVED_END.length);
}

describe('loopback with ServerSession', () => {
  const tricky = '.leading dot\n..two\r\nbare CR\rend\r\n.\r\n\r\n.\nlast line, no newline';
  const normalized =
    '.leading dot\r\n..two\r\nbare CR\r\nend\r\n.\r\n\r\n.\r\nlast line, no newline\r\n';

  for (const pipelining of [true, false]) {
    it(`delivers a message (pipelining ${pipelining}) whole, byte by byte and in splits`, () => {
      const j = job({ content: tricky, options: { pipelining } });
      const whole = loopback(j);
      expect(whole.result).toMatchObject({
        outcome: 'delivered',
        queueId: 'ABCDEF0001',
        server: 'mx1.beta.example',
        pipelined: pipelining,
        recipients: [{ rcpt: BOB, code: 250, kind: 'delivered', inReplyTo: 'end of DATA' }],
      });
      expect(storedBody(whole.serverEvents)).toBe(normalized);
      expect(whole.server.state).toBe('closed');
      expect(whole.client.state).toBe('closed');
      const message = whole.serverEvents.find((e) => e.type === 'message');
      expect(message).toMatchObject({ envelope: { from: ALICE, to: [BOB] } });
      for (const cut of [byteByByte, (b: Uint8Array) => seededSplits(b, 7, 5)]) {
        const other = loopback(j, {}, cut);
        expect(other.clientEvents).toEqual(whole.clientEvents);
        expect(other.serverEvents).toEqual(whole.serverEvents);
      }
    });
  }

  it('an unknown recipient is rejected, the other delivered (partial)', () => {
    const { result, serverEvents } = loopback(job({ recipients: [CAROL, BOB] }));
    expect(result.outcome).toBe('partial');
    expect(result.recipients.map((r) => [r.code, r.enhanced, r.kind])).toEqual([
      [550, '5.1.1', 'permanent'],
      [250, '2.0.0', 'delivered'],
    ]);
    expect(serverEvents.find((e) => e.type === 'message')).toMatchObject({
      envelope: { to: [BOB] },
    });
  });

  it('all recipients unknown: no message, and the session ends cleanly', () => {
    for (const pipelining of [true, false]) {
      const run = loopback(job({ recipients: [CAROL], options: { pipelining } }));
      expect(run.result.outcome).toBe('permanent');
      expect(run.serverEvents.some((e) => e.type === 'message')).toBe(false);
      expect(run.client.state).toBe('closed');
      expect(run.server.state).toBe('closed');
    }
  });

  it('SIZE: a message over the server limit is refused before MAIL', () => {
    const run = loopback(job(), { maxMessageSize: 20 });
    expect(run.result.recipients[0]).toMatchObject({ code: 552, local: true });
    const verbs = run.serverEvents.flatMap((e) => (e.type === 'command' ? [e.verb] : []));
    expect(verbs).toEqual(['EHLO', 'QUIT']);
  });

  it('STARTTLS required but not offered by this server → nothing is sent', () => {
    const run = loopback(job({ options: { starttls: 'required' } }));
    expect(run.result.recipients[0]).toMatchObject({ enhanced: '4.7.4', local: true });
    expect(run.serverEvents.some((e) => e.type === 'message')).toBe(false);
  });

  it('8-bit content is sent with BODY=8BITMIME and arrives intact', () => {
    const run = loopback(job({ content: 'Subject: caf\u00e9\r\n\r\n\u00e7a va\r\n' }));
    expect(run.result.outcome).toBe('delivered');
    expect(storedBody(run.serverEvents)).toBe('Subject: caf\u00e9\r\n\r\n\u00e7a va\r\n');
    const mail = run.serverEvents.find((e) => e.type === 'command' && e.verb === 'MAIL');
    expect(mail).toMatchObject({ line: expect.stringContaining('BODY=8BITMIME') });
  });
});
