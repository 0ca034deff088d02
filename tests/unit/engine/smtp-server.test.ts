/**
 * SMTP server conformance, organised by RFC 5321 section and then by extension. Every
 * case is a client transcript and the exact bytes the server must answer (golden
 * transcript), and every case is run three ways — all bytes in one receive(), one byte per
 * receive(), and random splits under several seeds — which must yield identical events
 * (see support.ts). HANDSHAKE in a transcript is where the STARTTLS handshake completes.
 */
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/engine/base64';
import { text, utf8 } from '../../../src/engine/bytes';
import { reply } from '../../../src/engine/smtp/reply';
import {
  EXTENSIONS,
  SERVER_TRANSITIONS,
  ServerSession,
  ServerUsageError,
  type AuthPolicy,
  type ServerEvent,
  type ServerPolicy,
  type ServerState,
} from '../../../src/engine/smtp/server';
import {
  CLIENT_ADDRESS,
  FIXED_DATE,
  HANDSHAKE,
  SERVER_HOST,
  bytesOf,
  contentText,
  fakeContext,
  messageEvents,
  replyWires,
  runAllWays,
  runChunks,
  runEarlyAllWays,
  type ContextOptions,
  type Piece,
  type Run,
} from './support';

// --- client lines ------------------------------------------------------------------------
const EHLO = 'EHLO laptop.alpha.example\r\n';
const HELO = 'HELO laptop.alpha.example\r\n';
const FROM = 'MAIL FROM:<alice@alpha.example>\r\n';
const TO_BOB = 'RCPT TO:<bob@beta.example>\r\n';
const TO_CAROL = 'RCPT TO:<carol@beta.example>\r\n';
const DATA = 'DATA\r\n';
const BODY = 'Subject: hi\r\n\r\nHello Bob.\r\n';
const END = '.\r\n';
const NOOP = 'NOOP\r\n';
const QUIT = 'QUIT\r\n';

// --- golden server replies -----------------------------------------------------------------
const GREETING = '220 mx1.beta.example ESMTP SMTP Lab\r\n';
/**
 * The EHLO reply, in Postfix's order: STARTTLS and AUTH appear when offered; `without`
 * leaves out extensions the policy disables.
 */
const ehloReply = (
  options: { size?: number; starttls?: boolean; auth?: boolean; without?: string } = {},
) =>
  [
    'mx1.beta.example',
    'PIPELINING',
    `SIZE ${options.size ?? 10240000}`,
    ...(options.starttls ? ['STARTTLS'] : []),
    ...(options.auth ? ['AUTH PLAIN LOGIN'] : []),
    'ENHANCEDSTATUSCODES',
    '8BITMIME',
    'DSN',
    'SMTPUTF8',
    'CHUNKING',
  ]
    .filter((line) => line.split(' ')[0] !== options.without)
    .map((line, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`)
    .join('');
const EHLO_OK = ehloReply();
const EHLO_TLS = ehloReply({ starttls: true });
const EHLO_AUTH = ehloReply({ auth: true });
const HELO_OK = '250 mx1.beta.example\r\n';
const SENDER_OK = '250 2.1.0 Ok\r\n';
const RCPT_OK = '250 2.1.5 Ok\r\n';
const GO_AHEAD = '354 End data with <CR><LF>.<CR><LF>\r\n';
const OK = '250 2.0.0 Ok\r\n';
const queued = (n: number) => `250 2.0.0 Ok: queued as ABCDEF${String(n).padStart(4, '0')}\r\n`;
const BYE = '221 2.0.0 Bye\r\n';
const NOT_RECOGNIZED = '500 5.5.2 Error: command not recognized\r\n';
const BAD_SYNTAX = '500 5.5.2 Error: bad syntax\r\n';
const LINE_TOO_LONG = '500 5.5.0 Error: line too long\r\n';
const NEED_HELO = '503 5.5.1 Error: send HELO/EHLO first\r\n';
const NEED_MAIL = '503 5.5.1 Error: need MAIL command\r\n';
const NEED_RCPT = '503 5.5.1 Error: need RCPT command\r\n';
const NESTED_MAIL = '503 5.5.1 Error: nested MAIL command\r\n';
const NO_VALID_RCPT = '554 5.5.1 Error: no valid recipients\r\n';
const unknownUser = (address: string) =>
  `550 5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table\r\n`;
const BAD_SENDER = '501 5.1.7 Bad sender address syntax\r\n';
const BAD_RECIPIENT = '501 5.1.3 Bad recipient address syntax\r\n';
const TOO_BIG = '552 5.3.4 Message size exceeds fixed limit\r\n';
const TOO_MANY_RCPT = '452 4.5.3 Error: too many recipients\r\n';
const TOO_MANY_ERRORS = '421 4.7.0 mx1.beta.example Error: too many errors\r\n';
const BARE_NEWLINE = '550 5.5.2 Error: bare <CR> or <LF> received in message data\r\n';
const REFUSED_GREETING = '554 5.7.1 Service unavailable; client [192.0.2.10] blocked by policy\r\n';
const ACCESS_DENIED = '503 5.5.1 Error: access denied for laptop.alpha.example[192.0.2.10]\r\n';
const SHUTDOWN =
  '421 4.3.2 mx1.beta.example Service not available, closing transmission channel\r\n';
const VRFY_252 = '252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery\r\n';
const STORAGE = '452 4.3.1 Insufficient system storage\r\n';
const TOO_MANY_HOPS = '554 5.4.6 Too many hops\r\n';
const UTF8_REQUIRED = '553 5.6.7 Must declare SMTPUTF8 to send unicode address\r\n';
const READY_TLS = '220 2.0.0 Ready to start TLS\r\n';
const TLS_ACTIVE = '554 5.5.1 Error: TLS already active\r\n';
const TLS_FIRST = '530 5.7.0 Must issue a STARTTLS command first\r\n';
const AUTH_OK = '235 2.7.0 Authentication successful\r\n';
const AUTH_FAILED = '535 5.7.8 Error: authentication failed: authentication failure\r\n';
const AUTH_REQUIRED = '530 5.7.0 Authentication required\r\n';
const AUTH_ABORTED = '501 5.0.0 Authentication aborted\r\n';
const AUTH_UNDECODABLE = '501 5.5.2 Cannot decode response\r\n';
const ASK_USERNAME = '334 VXNlcm5hbWU6\r\n';
const ASK_PASSWORD = '334 UGFzc3dvcmQ6\r\n';
const EMPTY_CHALLENGE = '334 \r\n';
const IN_TRANSACTION = '503 5.5.1 Error: MAIL transaction in progress\r\n';
const chunkOk = (n: number) => `250 2.0.0 Ok: ${n} bytes\r\n`;
const BDAT_SYNTAX = '501 5.5.4 Syntax: BDAT count [LAST]\r\n';

// --- AUTH ------------------------------------------------------------------------------------
const b64 = (s: string) => base64Encode(utf8(s));
const AUTH_POLICY: AuthPolicy = { mechanisms: ['PLAIN', 'LOGIN'], required: false, tlsOnly: false };
/** RFC 4616: authzid NUL authcid NUL password, here with an empty authzid. */
const PLAIN_ALICE = b64('\0alice\0wonderland');
const AUTH_PLAIN = `AUTH PLAIN ${PLAIN_ALICE}\r\n`;
const STARTTLS = 'STARTTLS\r\n';

/** The Received: header for a message from laptop.alpha.example (RFC 5321 §4.4). */
const received = (
  id: string,
  protocol: 'SMTP' | 'ESMTP',
  forClause = '\r\n\tfor <bob@beta.example>',
) =>
  `Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])\r\n` +
  `\tby mx1.beta.example (SMTP Lab) with ${protocol} id ${id}${forClause}; ${FIXED_DATE}\r\n`;

interface Case {
  name: string;
  /** Bytes the client sends after the greeting (concatenated), and handshakes. */
  client: Piece[];
  /** Each reply the server sends, exactly as on the wire, in order. */
  server: string[];
  /** The session state after the last byte. */
  state: ServerState;
  policy?: Partial<ServerPolicy>;
  /** Context settings: a refused client, free storage, injected faults. */
  options?: ContextOptions;
  /** The greeting, when it is not the usual 220. */
  greeting?: string;
  /** Further assertions on the (all-at-once) run. */
  check?: (run: Run) => void;
}

function suite(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const run = runAllWays(c.client, c.policy, c.options);
        expect(replyWires(run.greeting)).toEqual([c.greeting ?? GREETING]);
        expect(replyWires(run.events)).toEqual(c.server);
        // The golden transcript byte for byte, too (reply boundaries aside).
        expect(replyWires(run.events).join('')).toBe(c.server.join(''));
        expect(run.session.state).toBe(c.state);
        const all = [...run.greeting, ...run.events];
        const closes = all.filter((e) => e.type === 'close').length;
        expect(closes).toBe(c.state === 'closed' ? 1 : 0);
        if (c.state === 'closed') expect(all.at(-1)).toEqual({ type: 'close' });
        c.check?.(run);
      });
    }
  });
}

const times = <T>(n: number, item: T): T[] => Array.from({ length: n }, () => item);

// ---------------------------------------------------------------------------------------------

describe('§3.1 session initiation', () => {
  it('greets with 220, the host name and the banner, before any input', () => {
    const session = new ServerSession(fakeContext());
    expect(session.state).toBe('greeted');
    const events = session.start();
    expect(events).toEqual([
      {
        type: 'reply',
        reply: { code: 220, status: '', lines: ['mx1.beta.example ESMTP SMTP Lab'] },
        wire: GREETING,
      },
    ]);
    expect(session.state).toBe('greeted');
  });

  it('uses the policy banner', () => {
    const session = new ServerSession(fakeContext({ banner: 'ESMTP Postfix (Debian)' }));
    expect(replyWires(session.start())).toEqual([
      '220 mx1.beta.example ESMTP Postfix (Debian)\r\n',
    ]);
  });

  it('receive() with no bytes returns no events', () => {
    const run = runChunks([new Uint8Array(0)]);
    expect(run.events).toEqual([]);
    expect(run.session.state).toBe('greeted');
  });
});

suite('§4.1.1.1 EHLO / HELO', [
  {
    name: 'EHLO answers with the capability list (multi-line 250)',
    client: [EHLO],
    server: [EHLO_OK],
    state: 'ready',
  },
  {
    name: 'SIZE advertises the policy limit (RFC 1870)',
    client: [EHLO],
    server: [ehloReply({ size: 1000 })],
    state: 'ready',
    policy: { maxMessageSize: 1000 },
  },
  {
    name: 'HELO answers with a single 250 line',
    client: [HELO],
    server: [HELO_OK],
    state: 'ready',
  },
  {
    name: 'verbs are case-insensitive',
    client: ['ehlo laptop.alpha.example\r\n', 'mail from:<alice@alpha.example>\r\n'],
    server: [EHLO_OK, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'a command line ending in bare LF is accepted',
    client: ['EHLO laptop.alpha.example\n', 'NOOP\n'],
    server: [EHLO_OK, OK],
    state: 'ready',
  },
  {
    name: 'an address literal is a valid HELO argument',
    client: ['HELO [192.0.2.10]\r\n'],
    server: [HELO_OK],
    state: 'ready',
  },
  {
    name: 'HELO without a name → 501, still waiting for HELO',
    client: ['HELO\r\n'],
    server: ['501 5.5.4 Syntax: HELO hostname\r\n'],
    state: 'greeted',
  },
  {
    name: 'EHLO with only spaces → 501',
    client: ['EHLO   \r\n'],
    server: ['501 5.5.4 Syntax: EHLO hostname\r\n'],
    state: 'greeted',
  },
  {
    name: 'HELO with two words → 501',
    client: ['HELO laptop alpha\r\n'],
    server: ['501 5.5.4 Syntax: HELO hostname\r\n'],
    state: 'greeted',
  },
  {
    name: 'HELO (not EHLO) then MAIL with SIZE → 555: no extensions were negotiated',
    client: [HELO, 'MAIL FROM:<alice@alpha.example> SIZE=100\r\n'],
    server: [HELO_OK, '555 5.5.4 Unsupported option: SIZE\r\n'],
    state: 'ready',
  },
  {
    name: 'HELO then MAIL with BODY=8BITMIME → 555',
    client: [HELO, 'MAIL FROM:<alice@alpha.example> BODY=8BITMIME\r\n'],
    server: [HELO_OK, '555 5.5.4 Unsupported option: BODY\r\n'],
    state: 'ready',
  },
  {
    name: 'a second EHLO is allowed and answered again',
    client: [EHLO, EHLO],
    server: [EHLO_OK, EHLO_OK],
    state: 'ready',
  },
  {
    name: 'EHLO in the middle of a transaction resets it (§4.1.4)',
    client: [EHLO, FROM, TO_BOB, EHLO, DATA, TO_BOB],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, EHLO_OK, NEED_RCPT, NEED_MAIL],
    state: 'ready',
  },
  {
    name: 'EHLO after HELO switches to ESMTP: parameters are accepted',
    client: [HELO, EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=100\r\n'],
    server: [HELO_OK, EHLO_OK, SENDER_OK],
    state: 'mail',
  },
]);

suite('§4.1.1.2 MAIL', [
  {
    name: 'MAIL FROM:<address> → 250 2.1.0',
    client: [EHLO, FROM],
    server: [EHLO_OK, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'null reverse-path <> is accepted (§4.5.5)',
    client: [EHLO, 'MAIL FROM:<>\r\n', TO_BOB, DATA, BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => expect(messageEvents(events)[0]?.envelope.from).toBeNull(),
  },
  {
    name: 'a space after the colon is tolerated',
    client: [EHLO, 'MAIL FROM: <alice@alpha.example>\r\n'],
    server: [EHLO_OK, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'MAIL without FROM: → 501 syntax',
    client: [
      EHLO,
      'MAIL <alice@alpha.example>\r\n',
      'MAIL\r\n',
      'MAIL TO:<alice@alpha.example>\r\n',
    ],
    server: [
      EHLO_OK,
      '501 5.5.4 Syntax: MAIL FROM:<address>\r\n',
      '501 5.5.4 Syntax: MAIL FROM:<address>\r\n',
      '501 5.5.4 Syntax: MAIL FROM:<address>\r\n',
    ],
    state: 'ready',
  },
  {
    name: 'an address without angle brackets → 501 5.1.7',
    client: [EHLO, 'MAIL FROM:alice@alpha.example\r\n'],
    server: [EHLO_OK, BAD_SENDER],
    state: 'ready',
  },
  {
    name: 'malformed addresses → 501 5.1.7',
    client: [
      EHLO,
      'MAIL FROM:<alice@>\r\n',
      'MAIL FROM:<@alpha.example>\r\n',
      'MAIL FROM:<alice>\r\n',
      'MAIL FROM:<alice@alpha.example\r\n',
      'MAIL FROM:<al ice@alpha.example>\r\n',
      'MAIL FROM:<alice@-alpha.example>\r\n',
    ],
    server: [EHLO_OK, ...times(6, BAD_SENDER)],
    state: 'ready',
  },
  {
    name: 'parameters glued to the path → 501',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example>SIZE=10\r\n'],
    server: [EHLO_OK, '501 5.5.4 Bad parameter syntax\r\n'],
    state: 'ready',
  },
  {
    name: 'a duplicate parameter (case-insensitive keyword) → 501',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=10 size=20\r\n'],
    server: [EHLO_OK, '501 5.5.4 Duplicate parameter: SIZE\r\n'],
    state: 'ready',
  },
  {
    name: 'an unknown parameter → 555',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> MT-PRIORITY=3\r\n'],
    server: [EHLO_OK, '555 5.5.4 Unsupported option: MT-PRIORITY\r\n'],
    state: 'ready',
  },
  {
    name: 'SIZE and BODY=8BITMIME are accepted and kept in the envelope',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=42 BODY=8BITMIME\r\n', TO_BOB, DATA, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(messageEvents(events)[0]?.envelope.params).toEqual(
        new Map([
          ['SIZE', '42'],
          ['BODY', '8BITMIME'],
        ]),
      ),
  },
  {
    name: 'BODY value is case-insensitive (RFC 6152, ABNF literals)',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> BODY=7bit\r\n'],
    server: [EHLO_OK, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'a BODY value other than 7BIT/8BITMIME → 501',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> BODY=BINARYMIME\r\n'],
    server: [EHLO_OK, '501 5.5.4 Bad BODY parameter: use 7BIT or 8BITMIME\r\n'],
    state: 'ready',
  },
  {
    name: 'a SIZE value that is not a number → 501',
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> SIZE=big\r\n',
      'MAIL FROM:<alice@alpha.example> SIZE\r\n',
    ],
    server: [
      EHLO_OK,
      '501 5.5.4 Bad message size syntax\r\n',
      '501 5.5.4 Bad message size syntax\r\n',
    ],
    state: 'ready',
  },
  {
    name: 'a parameter keyword of 495 characters → 555 whose line still fits in 512 octets',
    client: [EHLO, `MAIL FROM:<> ${'K'.repeat(495)}\r\n`],
    server: [EHLO_OK, `555 5.5.4 Unsupported option: ${'K'.repeat(32)}\r\n`],
    state: 'ready',
  },
  {
    name: 'a bad value after a 490-character keyword → 501 whose line still fits in 512 octets',
    client: [EHLO, `MAIL FROM:<> ${'K'.repeat(490)}==\r\n`],
    server: [EHLO_OK, `501 5.5.4 Bad parameter value: ${'K'.repeat(32)}\r\n`],
    state: 'ready',
  },
]);

suite('§4.1.1.3 RCPT', [
  {
    name: 'a known recipient → 250 2.1.5',
    client: [EHLO, FROM, TO_BOB],
    server: [EHLO_OK, SENDER_OK, RCPT_OK],
    state: 'rcpt',
    check: ({ ctx }) => expect(ctx.checked).toEqual([{ local: 'bob', domain: 'beta.example' }]),
  },
  {
    name: 'an unknown recipient gets the context’s 550 5.1.1 and the state stays "mail"',
    client: [EHLO, FROM, TO_CAROL],
    server: [EHLO_OK, SENDER_OK, unknownUser('carol@beta.example')],
    state: 'mail',
  },
  {
    name: 'the bare <postmaster> is accepted without a domain (§4.1.1.3)',
    client: [EHLO, FROM, 'RCPT TO:<postmaster>\r\n', 'RCPT TO:<PostMaster>\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, RCPT_OK],
    state: 'rcpt',
    check: ({ ctx }) =>
      expect(ctx.checked).toEqual([
        { local: 'postmaster', domain: '' },
        { local: 'postmaster', domain: '' },
      ]),
  },
  {
    name: '<postmaster> is a recipient only: MAIL FROM:<postmaster> → 501',
    client: [EHLO, 'MAIL FROM:<postmaster>\r\n'],
    server: [EHLO_OK, BAD_SENDER],
    state: 'ready',
  },
  {
    name: 'a source route is accepted and stripped (§4.1.1.3, appendix C)',
    client: [EHLO, FROM, 'RCPT TO:<@relay.alpha.example,@mx1.beta.example:bob@beta.example>\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK],
    state: 'rcpt',
    check: ({ ctx }) => expect(ctx.checked).toEqual([{ local: 'bob', domain: 'beta.example' }]),
  },
  {
    name: 'a quoted local part is parsed and echoed as given',
    client: [EHLO, FROM, 'RCPT TO:<"bob smith"@beta.example>\r\n'],
    server: [EHLO_OK, SENDER_OK, unknownUser('"bob smith"@beta.example')],
    state: 'mail',
    check: ({ ctx }) =>
      expect(ctx.checked).toEqual([{ local: '"bob smith"', domain: 'beta.example' }]),
  },
  {
    name: 'RCPT TO:<> → 501 5.1.3',
    client: [EHLO, FROM, 'RCPT TO:<>\r\n'],
    server: [EHLO_OK, SENDER_OK, BAD_RECIPIENT],
    state: 'mail',
  },
  {
    name: 'RCPT without TO: → 501 syntax',
    client: [EHLO, FROM, 'RCPT bob@beta.example\r\n'],
    server: [EHLO_OK, SENDER_OK, '501 5.5.4 Syntax: RCPT TO:<address>\r\n'],
    state: 'mail',
  },
  {
    name: 'an RCPT parameter of no advertised extension → 555',
    client: [EHLO, FROM, 'RCPT TO:<bob@beta.example> RRVS=2026-01-05T09:00:00Z\r\n'],
    server: [EHLO_OK, SENDER_OK, '555 5.5.4 Unsupported option: RRVS\r\n'],
    state: 'mail',
  },
  {
    name: 'a failed RCPT does not drop the recipients already accepted',
    client: [EHLO, FROM, TO_BOB, TO_CAROL, DATA, BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, unknownUser('carol@beta.example'), GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(messageEvents(events)[0]?.envelope.to).toEqual([
        { local: 'bob', domain: 'beta.example' },
      ]),
  },
]);

suite('§4.1.1.4 DATA', [
  {
    name: 'MAIL, RCPT, DATA: 354, then 250 with the queue id',
    client: [EHLO, FROM, TO_BOB, DATA, BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events, ctx }) => {
      const [message] = messageEvents(events);
      expect(ctx.issued).toEqual(['ABCDEF0001']);
      expect(message?.queueId).toBe('ABCDEF0001');
      expect(message?.envelope).toEqual({
        helo: 'laptop.alpha.example',
        protocol: 'ESMTP',
        from: { local: 'alice', domain: 'alpha.example' },
        to: [{ local: 'bob', domain: 'beta.example' }],
        params: new Map(),
        recipients: [{ mailbox: { local: 'bob', domain: 'beta.example' }, params: new Map() }],
        smtputf8: false,
        tls: false,
      });
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + BODY);
      // The events come in protocol order: data summary, message, then the 250.
      expect(events.slice(-3).map((e) => e.type)).toEqual(['data', 'message', 'reply']);
      expect(events.find((e) => e.type === 'data')).toEqual({ type: 'data', bytes: 27, lines: 3 });
    },
  },
  {
    name: 'after DATA the state is "data" until the terminator',
    client: [EHLO, FROM, TO_BOB, DATA, 'Subject: x\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD],
    state: 'data',
  },
  {
    name: 'command verbs inside message text are content, not commands',
    client: [EHLO, FROM, TO_BOB, DATA, 'QUIT\r\nRSET\r\n', END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => {
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + 'QUIT\r\nRSET\r\n');
      expect(
        events.filter((e) => e.type === 'command').map((e) => e.type === 'command' && e.verb),
      ).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA']);
    },
  },
  {
    name: 'an empty message is accepted',
    client: [EHLO, FROM, TO_BOB, DATA, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP')),
  },
  {
    name: 'DATA with an argument → 501, transaction kept',
    client: [EHLO, FROM, TO_BOB, 'DATA now\r\n', DATA],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, '501 5.5.4 Syntax: DATA\r\n', GO_AHEAD],
    state: 'data',
  },
  {
    name: 'two transactions in one session get distinct queue ids',
    client: [EHLO, FROM, TO_BOB, DATA, BODY, END, FROM, TO_BOB, DATA, BODY, END],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(2),
    ],
    state: 'ready',
    check: ({ events }) =>
      expect(messageEvents(events).map((m) => m.queueId)).toEqual(['ABCDEF0001', 'ABCDEF0002']),
  },
]);

suite('§4.5.2 transparency (dot-stuffing)', [
  {
    name: 'a leading dot is removed: "..foo" → ".foo", ".." → ".", ". x" → " x"',
    client: [EHLO, FROM, TO_BOB, DATA, '..foo\r\n..\r\n. x\r\n...\r\nfoo.\r\n', END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(
        received('ABCDEF0001', 'ESMTP') + '.foo\r\n.\r\n x\r\n..\r\nfoo.\r\n',
      ),
  },
  {
    name: '". " (dot space) does not end the message',
    client: [EHLO, FROM, TO_BOB, DATA, '. \r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD],
    state: 'data',
  },
]);

suite('§4.1.1.4 / §2.3.8 end of data is CRLF "." CRLF only', [
  {
    name: 'LF "." LF does not end data; the message is refused after the real terminator',
    client: [EHLO, FROM, TO_BOB, DATA, 'hello\n.\nMAIL FROM:<mallory@evil.example>\r\n', END, NOOP],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, BARE_NEWLINE, OK],
    state: 'ready',
    check: ({ events, ctx }) => {
      expect(messageEvents(events)).toEqual([]);
      expect(ctx.issued).toEqual([]);
      expect(events.filter((e) => e.type === 'command')).toHaveLength(5);
    },
  },
  {
    name: 'LF "." CRLF does not end data (SMTP smuggling, CVE-2023-51764)',
    client: [EHLO, FROM, TO_BOB, DATA, 'hello\n.\r\nRCPT TO:<mallory@evil.example>\r\n', END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, BARE_NEWLINE],
    state: 'ready',
    check: ({ events }) => expect(messageEvents(events)).toEqual([]),
  },
  {
    name: 'CR "." CRLF does not end data either',
    client: [EHLO, FROM, TO_BOB, DATA, 'hello\r.\r\n', END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, BARE_NEWLINE],
    state: 'ready',
  },
  {
    name: '"." followed by a bare LF keeps the session in data',
    client: [EHLO, FROM, TO_BOB, DATA, 'hello\r\n.\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD],
    state: 'data',
  },
  {
    name: 'a bare LF anywhere in the text refuses the message; the transaction is over',
    client: [EHLO, FROM, TO_BOB, DATA, 'a\nb\r\n', END, TO_BOB],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, BARE_NEWLINE, NEED_MAIL],
    state: 'ready',
  },
  {
    name: 'after a refused message the next transaction is accepted',
    client: [EHLO, FROM, TO_BOB, DATA, 'x\ny\r\n', END, FROM, TO_BOB, DATA, BODY, END],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      BARE_NEWLINE,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
    ],
    state: 'ready',
  },
]);

suite('§4.1.1.5 RSET, §4.1.1.9 NOOP, VRFY, EXPN, HELP', [
  {
    name: 'RSET clears the transaction: RCPT afterwards needs MAIL',
    client: [EHLO, FROM, TO_BOB, 'RSET\r\n', TO_BOB],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, OK, NEED_MAIL],
    state: 'ready',
  },
  {
    name: 'RSET before HELO is fine and does not count as a greeting',
    client: ['RSET\r\n', FROM],
    server: [OK, NEED_HELO],
    state: 'greeted',
  },
  {
    name: 'RSET with an argument → 501',
    client: [EHLO, FROM, 'RSET all\r\n'],
    server: [EHLO_OK, SENDER_OK, '501 5.5.4 Syntax: RSET\r\n'],
    state: 'mail',
  },
  {
    name: 'NOOP → 250 in every state, with or without an argument',
    client: [NOOP, EHLO, 'NOOP ping\r\n', FROM, NOOP, TO_BOB, NOOP],
    server: [OK, EHLO_OK, OK, SENDER_OK, OK, RCPT_OK, OK],
    state: 'rcpt',
  },
  {
    name: 'VRFY → 252; VRFY without an argument → 501',
    client: [EHLO, 'VRFY bob\r\n', 'VRFY\r\n'],
    server: [
      EHLO_OK,
      '252 2.0.0 Cannot VRFY user, but will accept message and attempt delivery\r\n',
      '501 5.5.4 Syntax: VRFY address\r\n',
    ],
    state: 'ready',
  },
  {
    name: 'EXPN and TURN → 502, HELP → 214',
    client: [EHLO, 'EXPN staff\r\n', 'TURN\r\n', 'HELP\r\n'],
    server: [
      EHLO_OK,
      '502 5.5.1 Error: EXPN not implemented\r\n',
      '502 5.5.1 Error: TURN not implemented\r\n',
      '214 2.0.0 See RFC 5321 and https://www.rfc-editor.org/rfc/rfc5321\r\n',
    ],
    state: 'ready',
  },
]);

suite('§4.1.1.10 QUIT', [
  {
    name: 'QUIT → 221, then a close event',
    client: [EHLO, QUIT],
    server: [EHLO_OK, BYE],
    state: 'closed',
  },
  {
    name: 'QUIT before HELO is allowed',
    client: [QUIT],
    server: [BYE],
    state: 'closed',
  },
  {
    name: 'QUIT in the middle of a transaction discards it',
    client: [EHLO, FROM, TO_BOB, QUIT],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, BYE],
    state: 'closed',
    check: ({ ctx }) => expect(ctx.issued).toEqual([]),
  },
  {
    name: 'pipelined commands after QUIT are not answered',
    client: [EHLO, QUIT, NOOP, FROM],
    server: [EHLO_OK, BYE],
    state: 'closed',
  },
  {
    name: 'QUIT with an argument → 501 and the session stays open',
    client: [EHLO, 'QUIT now\r\n'],
    server: [EHLO_OK, '501 5.5.4 Syntax: QUIT\r\n'],
    state: 'ready',
  },
]);

describe('§4.1.1.10 QUIT: a closed session ignores later input', () => {
  it('receive() after the close returns nothing', () => {
    const run = runChunks([bytesOf([EHLO, QUIT])]);
    expect(run.session.receive(utf8(NOOP))).toEqual([]);
    expect(run.session.state).toBe('closed');
  });
});

suite('§4.1.4 order of commands', [
  {
    name: 'MAIL before HELO → 503, still waiting for HELO',
    client: [FROM],
    server: [NEED_HELO],
    state: 'greeted',
  },
  {
    name: 'RCPT and DATA before HELO → 503',
    client: [TO_BOB, DATA],
    server: [NEED_HELO, NEED_HELO],
    state: 'greeted',
  },
  {
    name: 'after MAIL before HELO → 503, HELO and MAIL then work',
    client: [FROM, EHLO, FROM],
    server: [NEED_HELO, EHLO_OK, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'RCPT before MAIL → 503, state stays "ready"',
    client: [EHLO, TO_BOB],
    server: [EHLO_OK, NEED_MAIL],
    state: 'ready',
  },
  {
    name: 'DATA before RCPT → 503, state stays "mail"',
    client: [EHLO, FROM, DATA],
    server: [EHLO_OK, SENDER_OK, NEED_RCPT],
    state: 'mail',
  },
  {
    name: 'DATA before MAIL → 503 need RCPT',
    client: [EHLO, DATA],
    server: [EHLO_OK, NEED_RCPT],
    state: 'ready',
  },
  {
    name: 'nested MAIL → 503, the first sender is kept',
    client: [EHLO, FROM, 'MAIL FROM:<mallory@evil.example>\r\n', TO_BOB, DATA, END],
    server: [EHLO_OK, SENDER_OK, NESTED_MAIL, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(messageEvents(events)[0]?.envelope.from).toEqual({
        local: 'alice',
        domain: 'alpha.example',
      }),
  },
  {
    name: 'nested MAIL after RCPT → 503, state stays "rcpt"',
    client: [EHLO, FROM, TO_BOB, FROM],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, NESTED_MAIL],
    state: 'rcpt',
  },
  {
    name: 'DATA after every RCPT failed → 554 no valid recipients (§3.3)',
    client: [EHLO, FROM, TO_CAROL, 'RCPT TO:<dave@beta.example>\r\n', DATA],
    server: [
      EHLO_OK,
      SENDER_OK,
      unknownUser('carol@beta.example'),
      unknownUser('dave@beta.example'),
      NO_VALID_RCPT,
    ],
    state: 'mail',
  },
  {
    name: 'after 554 a valid RCPT still rescues the transaction',
    client: [EHLO, FROM, TO_CAROL, DATA, TO_BOB, DATA, END],
    server: [
      EHLO_OK,
      SENDER_OK,
      unknownUser('carol@beta.example'),
      NO_VALID_RCPT,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
    ],
    state: 'ready',
  },
  {
    name: 'only syntactically bad RCPTs → DATA gets 503, not 554',
    client: [EHLO, FROM, 'RCPT TO:<>\r\n', DATA],
    server: [EHLO_OK, SENDER_OK, BAD_RECIPIENT, NEED_RCPT],
    state: 'mail',
  },
]);

describe('§4.1.4 the transition table, verb × state', () => {
  /** STARTTLS and AUTH are offered, so that they are in the table too. */
  const policy: Partial<ServerPolicy> = { tls: 'may', auth: AUTH_POLICY };
  /** Commands (and a BDAT chunk) that succeed wherever they are in sequence. */
  const commands: Record<string, string> = {
    HELO: 'HELO laptop.alpha.example',
    EHLO: 'EHLO laptop.alpha.example',
    STARTTLS: 'STARTTLS',
    AUTH: `AUTH PLAIN ${PLAIN_ALICE}`,
    MAIL: 'MAIL FROM:<alice@alpha.example>',
    RCPT: 'RCPT TO:<bob@beta.example>',
    DATA: 'DATA',
    BDAT: 'BDAT 4\r\nhi', // the line end below completes the 4 octets
    RSET: 'RSET',
    NOOP: 'NOOP',
    VRFY: 'VRFY bob',
    EXPN: 'EXPN staff',
    HELP: 'HELP',
    TURN: 'TURN',
    QUIT: 'QUIT',
  };
  const states = ['greeted', 'ready', 'mail', 'rcpt', 'bdat', 'refused'] as const;
  /** How to reach each state (refused: the policy refuses the client). */
  const reach: Record<(typeof states)[number], string[]> = {
    greeted: [],
    ready: [EHLO],
    mail: [EHLO, FROM],
    rcpt: [EHLO, FROM, TO_BOB],
    bdat: [EHLO, FROM, TO_BOB, 'BDAT 2\r\nhi'],
    refused: [],
  };
  // "code next-state" in the columns greeted, ready, mail, rcpt, bdat, refused.
  const expected: Record<string, string> = {
    HELO: '250 ready | 250 ready | 250 ready | 250 ready | 250 ready | 503 refused',
    EHLO: '250 ready | 250 ready | 250 ready | 250 ready | 250 ready | 503 refused',
    STARTTLS: '503 greeted | 220 tls | 503 mail | 503 rcpt | 503 bdat | 503 refused',
    AUTH: '503 greeted | 235 ready | 503 mail | 503 rcpt | 503 bdat | 503 refused',
    MAIL: '503 greeted | 250 mail | 503 mail | 503 rcpt | 503 bdat | 503 refused',
    RCPT: '503 greeted | 503 ready | 250 rcpt | 250 rcpt | 503 bdat | 503 refused',
    DATA: '503 greeted | 503 ready | 503 mail | 354 data | 503 bdat | 503 refused',
    BDAT: '503 greeted | 503 ready | 503 mail | 250 bdat | 250 bdat | 503 refused',
    RSET: '250 greeted | 250 ready | 250 ready | 250 ready | 250 ready | 503 refused',
    NOOP: '250 greeted | 250 ready | 250 mail | 250 rcpt | 250 bdat | 503 refused',
    VRFY: '252 greeted | 252 ready | 252 mail | 252 rcpt | 252 bdat | 503 refused',
    EXPN: '502 greeted | 502 ready | 502 mail | 502 rcpt | 502 bdat | 503 refused',
    HELP: '214 greeted | 214 ready | 214 mail | 214 rcpt | 214 bdat | 503 refused',
    TURN: '502 greeted | 502 ready | 502 mail | 502 rcpt | 502 bdat | 503 refused',
    QUIT: '221 closed | 221 closed | 221 closed | 221 closed | 221 closed | 221 closed',
  };

  it('the table covers exactly the verbs the server knows', () => {
    expect(Object.keys(SERVER_TRANSITIONS).sort()).toEqual(Object.keys(expected).sort());
  });

  for (const [verb, row] of Object.entries(expected)) {
    row.split(' | ').forEach((cell, column) => {
      const state = states[column]!;
      const [code, next] = cell.split(' ') as [string, ServerState];
      it(`${verb} in "${state}" → ${code}, then "${next}"`, () => {
        const prefix = reach[state];
        const run = runAllWays([...prefix, `${commands[verb]}\r\n`], policy, {
          refused: state === 'refused',
        });
        const replies = run.events.filter((e) => e.type === 'reply');
        expect(replies).toHaveLength(prefix.length + 1);
        const last = replies.at(-1);
        expect(last?.type === 'reply' && last.reply.code).toBe(Number(code));
        expect(run.session.state).toBe(next);
        // The table says whether the verb is in sequence here; 503 exactly when not.
        const inSequence = SERVER_TRANSITIONS[verb]!.from.includes(state);
        expect(inSequence).toBe(code !== '503');
      });
    });
  }
});

suite('§4.2 replies to unknown and empty commands', [
  {
    name: 'an unknown verb → 500 command not recognized',
    client: ['FOO bar\r\n', EHLO],
    server: [NOT_RECOGNIZED, EHLO_OK],
    state: 'ready',
  },
  {
    name: 'an empty line → 500 bad syntax',
    client: [EHLO, '\r\n', '   \r\n', '\n'],
    server: [EHLO_OK, BAD_SYNTAX, BAD_SYNTAX, BAD_SYNTAX],
    state: 'ready',
  },
  {
    name: 'a leading space makes the verb unrecognisable',
    client: [' EHLO laptop.alpha.example\r\n'],
    server: [NOT_RECOGNIZED],
    state: 'greeted',
  },
  {
    name: 'Object.prototype names are not verbs',
    client: ['constructor\r\n', '__proto__\r\n', 'toString\r\n', 'hasOwnProperty x\r\n'],
    server: times(4, NOT_RECOGNIZED),
    state: 'greeted',
  },
  {
    name: 'binary bytes → 500 and the session carries on',
    client: [
      new Uint8Array([0x00, 0xff, 0xfe, 0x80, 0x1b, 0x5b, 0x32, 0x4a, 0x0d, 0x0a]),
      EHLO,
      FROM,
    ],
    server: [NOT_RECOGNIZED, EHLO_OK, SENDER_OK],
    state: 'mail',
    check: ({ events }) => {
      const [first] = events;
      expect(first?.type).toBe('command');
      // The command event keeps the line (invalid UTF-8 shown as U+FFFD) for the trace.
      expect(first?.type === 'command' && first.line).toBe('\u0000\ufffd\ufffd\ufffd\u001b[2J');
    },
  },
  {
    name: 'a command event is recorded for each line, with the verb upper-cased',
    client: ['ehlo laptop.alpha.example\r\n', 'mail FROM:<alice@alpha.example>\r\n'],
    server: [EHLO_OK, SENDER_OK],
    state: 'mail',
    check: ({ events }) =>
      expect(events.filter((e) => e.type === 'command')).toEqual([
        { type: 'command', verb: 'EHLO', line: 'ehlo laptop.alpha.example' },
        { type: 'command', verb: 'MAIL', line: 'mail FROM:<alice@alpha.example>' },
      ]),
  },
]);

const NOOP_510 = `NOOP ${'x'.repeat(505)}\r\n`; // 512 octets with CRLF
const NOOP_511 = `NOOP ${'x'.repeat(506)}\r\n`; // 513 octets with CRLF

suite('§4.5.3.1 size limits', [
  {
    name: 'a command line of exactly 512 octets (with CRLF) is accepted',
    client: [EHLO, NOOP_510],
    server: [EHLO_OK, OK],
    state: 'ready',
  },
  {
    name: 'a command line of 513 octets → 500 5.5.0, and the session continues',
    client: [EHLO, NOOP_511, NOOP],
    server: [EHLO_OK, LINE_TOO_LONG, OK],
    state: 'ready',
  },
  {
    name: 'a 5000-octet command line → 500 5.5.0 once; the command event marks the cut',
    client: [EHLO, FROM, `RCPT TO:<${'b'.repeat(5000)}@beta.example>\r\n`, TO_BOB],
    server: [EHLO_OK, SENDER_OK, LINE_TOO_LONG, RCPT_OK],
    state: 'rcpt',
    check: ({ events, ctx }) => {
      const long = events.filter((e) => e.type === 'command')[2];
      expect(long?.type === 'command' && long.line).toBe(`RCPT TO:<${'b'.repeat(503)}…`);
      expect(ctx.checked).toEqual([{ local: 'bob', domain: 'beta.example' }]);
    },
  },
  {
    name: 'a long line is not executed even if it starts like a valid command',
    client: [EHLO, `MAIL FROM:<alice@alpha.example> ${' '.repeat(600)}\r\n`],
    server: [EHLO_OK, LINE_TOO_LONG],
    state: 'ready',
  },
  {
    name: 'a local part of 64 octets is accepted, 65 is not (§4.5.3.1.1)',
    client: [
      EHLO,
      `MAIL FROM:<${'a'.repeat(65)}@alpha.example>\r\n`,
      `MAIL FROM:<${'a'.repeat(64)}@alpha.example>\r\n`,
    ],
    server: [EHLO_OK, BAD_SENDER, SENDER_OK],
    state: 'mail',
  },
  {
    name: 'SIZE= over the limit → 552 (RFC 1870)',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=1001\r\n'],
    server: [ehloReply({ size: 1000 }), TOO_BIG],
    state: 'ready',
    policy: { maxMessageSize: 1000 },
  },
  {
    name: 'SIZE= equal to the limit is accepted',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=1000\r\n'],
    server: [ehloReply({ size: 1000 }), SENDER_OK],
    state: 'mail',
    policy: { maxMessageSize: 1000 },
  },
  {
    name: 'a message of exactly maxMessageSize octets is accepted',
    // Ten lines of 8 characters + CRLF = 100 octets.
    client: [HELO, FROM, TO_BOB, DATA, ...times(10, 'abcdefgh\r\n'), END],
    server: [HELO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: { maxMessageSize: 100 },
  },
  {
    name: 'a message over maxMessageSize → 552 after the terminator; the session continues',
    client: [HELO, FROM, TO_BOB, DATA, ...times(11, 'abcdefgh\r\n'), END, FROM],
    server: [HELO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, TOO_BIG, SENDER_OK],
    state: 'mail',
    policy: { maxMessageSize: 100 },
    check: ({ events, ctx }) => {
      expect(messageEvents(events)).toEqual([]);
      expect(ctx.issued).toEqual([]);
    },
  },
  {
    name: 'one message line longer than maxMessageSize → 552',
    client: [HELO, FROM, TO_BOB, DATA, `${'z'.repeat(5000)}\r\n`, END],
    server: [HELO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, TOO_BIG],
    state: 'ready',
    policy: { maxMessageSize: 100 },
  },
  {
    name: 'an oversized message with a lone "." inside a long line still ends at CRLF.CRLF',
    client: [HELO, FROM, TO_BOB, DATA, `${'z'.repeat(300)}\n.\n${'z'.repeat(300)}\r\n`, END],
    server: [HELO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, TOO_BIG],
    state: 'ready',
    policy: { maxMessageSize: 100 },
  },
  {
    name: 'recipients beyond maxRecipients → 452, the accepted ones are kept',
    client: [EHLO, FROM, TO_BOB, TO_BOB, TO_BOB, DATA, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, RCPT_OK, TOO_MANY_RCPT, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: { maxRecipients: 2 },
    check: ({ events, ctx }) => {
      expect(messageEvents(events)[0]?.envelope.to).toHaveLength(2);
      // The limit is checked before the recipient is looked up.
      expect(ctx.checked).toHaveLength(2);
    },
  },
  {
    name: 'the default policy takes 100 recipients (§4.5.3.1.8) and refuses the 101st with 452',
    client: [EHLO, FROM, ...times(101, TO_BOB)],
    server: [EHLO_OK, SENDER_OK, ...times(100, RCPT_OK), TOO_MANY_RCPT],
    state: 'rcpt',
  },
]);

suite('§4.3.2 / hard error limit: 20 errors → 421 and close', [
  {
    name: '19 errors are answered and the session stays open',
    client: [...times(19, 'FOO\r\n'), EHLO],
    server: [...times(19, NOT_RECOGNIZED), EHLO_OK],
    state: 'ready',
  },
  {
    name: 'the 20th error is answered, then 421 and close; further input is ignored',
    client: [...times(20, 'FOO\r\n'), EHLO],
    server: [...times(20, NOT_RECOGNIZED), TOO_MANY_ERRORS],
    state: 'closed',
  },
  {
    name: 'every kind of error counts: 503, 501, 550, 500',
    client: [
      ...times(5, FROM), // 503 before HELO
      EHLO,
      ...times(5, 'MAIL FROM:bad\r\n'), // 501
      FROM,
      ...times(5, TO_CAROL), // 550
      ...times(5, 'XYZZY\r\n'), // 500
    ],
    server: [
      ...times(5, NEED_HELO),
      EHLO_OK,
      ...times(5, BAD_SENDER),
      SENDER_OK,
      ...times(5, unknownUser('carol@beta.example')),
      ...times(5, NOT_RECOGNIZED),
      TOO_MANY_ERRORS,
    ],
    state: 'closed',
  },
  {
    name: 'successful commands do not reset the count',
    client: [...times(10, 'FOO\r\n'), EHLO, NOOP, ...times(10, 'FOO\r\n')],
    server: [
      ...times(10, NOT_RECOGNIZED),
      EHLO_OK,
      OK,
      ...times(10, NOT_RECOGNIZED),
      TOO_MANY_ERRORS,
    ],
    state: 'closed',
  },
]);

suite('RFC 2920 pipelining', [
  {
    name: 'a whole pipelined transaction in one chunk is answered in order',
    client: [EHLO + FROM + TO_CAROL + TO_BOB + DATA + BODY + END + NOOP + QUIT],
    server: [
      EHLO_OK,
      SENDER_OK,
      unknownUser('carol@beta.example'),
      RCPT_OK,
      GO_AHEAD,
      queued(1),
      OK,
      BYE,
    ],
    state: 'closed',
    check: ({ events }) =>
      expect(events.map((e) => e.type)).toEqual([
        ...['command', 'reply', 'command', 'reply', 'command', 'reply', 'command', 'reply'],
        ...['command', 'reply', 'data', 'message', 'reply', 'command', 'reply', 'command', 'reply'],
        'close',
      ]),
  },
  {
    name: 'a rejected DATA makes the pipelined text into (failing) commands, as RFC 2920 §3.1 warns',
    client: [EHLO, FROM, TO_CAROL, DATA, 'hello\r\n', END],
    server: [
      EHLO_OK,
      SENDER_OK,
      unknownUser('carol@beta.example'),
      NO_VALID_RCPT,
      NOT_RECOGNIZED,
      NOT_RECOGNIZED,
    ],
    state: 'mail',
  },
]);

suite('§4.4 trace information: the Received: header', [
  {
    name: 'ESMTP, one recipient: from, by, with ESMTP, id, for, date',
    client: [EHLO, FROM, TO_BOB, DATA, BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(
        'Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])\r\n' +
          '\tby mx1.beta.example (SMTP Lab) with ESMTP id ABCDEF0001\r\n' +
          '\tfor <bob@beta.example>; Mon, 5 Jan 2026 09:00:00 +0000\r\n' +
          BODY,
      ),
  },
  {
    name: 'HELO gives "with SMTP"',
    client: [HELO, FROM, TO_BOB, DATA, BODY, END],
    server: [HELO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => {
      expect(contentText(events)).toBe(received('ABCDEF0001', 'SMTP') + BODY);
      expect(messageEvents(events)[0]?.envelope.protocol).toBe('SMTP');
    },
  },
  {
    name: 'two recipients: no "for" clause (it would disclose the other recipient)',
    client: [EHLO, FROM, TO_BOB, 'RCPT TO:<postmaster>\r\n', DATA, BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP', '') + BODY),
  },
  {
    name: 'the HELO name is recorded as the client gave it',
    client: ['EHLO [192.0.2.10]\r\n', FROM, TO_BOB, DATA, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toMatch(
        /^Received: from \[192\.0\.2\.10\] \(laptop\.alpha\.example \[192\.0\.2\.10\]\)\r\n/,
      ),
  },
  {
    name: 'the queue id in the 250 reply is the id of the message event and the header',
    client: [EHLO, FROM, TO_BOB, DATA, BODY, END, FROM, TO_BOB, DATA, BODY, END],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(2),
    ],
    state: 'ready',
    check: ({ events }) => {
      const ids = replyWires(events).flatMap((w) => /queued as (\S+)\r\n$/.exec(w)?.[1] ?? []);
      expect(ids).toEqual(['ABCDEF0001', 'ABCDEF0002']);
      expect(messageEvents(events).map((m) => m.queueId)).toEqual(ids);
      messageEvents(events).forEach((m, i) =>
        expect(text(m.content)).toContain(` id ${ids[i]}\r\n`),
      );
    },
  },
]);

describe('§4.4 the Received: header when the client has no reverse name', () => {
  it('says "unknown" and keeps the address literal', () => {
    const ctx = fakeContext();
    const session = new ServerSession({ ...ctx, client: { address: CLIENT_ADDRESS } });
    session.start();
    const events = session.receive(bytesOf([EHLO, FROM, TO_BOB, DATA, END]));
    expect(contentText(events)).toBe(
      'Received: from laptop.alpha.example (unknown [192.0.2.10])\r\n' +
        `\tby ${SERVER_HOST} (SMTP Lab) with ESMTP id ABCDEF0001\r\n` +
        `\tfor <bob@beta.example>; ${FIXED_DATE}\r\n`,
    );
  });
});

describe('three-way feeding really splits the input', () => {
  it('the terminator split across chunks ("\\r\\n." | "\\r\\n") still ends the data', () => {
    const chunks = [EHLO + FROM + TO_BOB + DATA + 'Hi\r\n', '.', '\r', '\n', NOOP].map(utf8);
    const events: ServerEvent[] = runChunks(chunks).events;
    expect(replyWires(events)).toEqual([EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1), OK]);
  });

  it('a CR at the end of one chunk and LF at the start of the next form a CRLF', () => {
    const chunks = ['EHLO laptop.alpha.example\r', '\nNOOP\r', '\n'].map(utf8);
    expect(replyWires(runChunks(chunks).events)).toEqual([EHLO_OK, OK]);
  });
});

// =============================================================================================
// Session initiation and termination (§3.1, §3.8), early talk (RFC 2920 §3.1)
// =============================================================================================

suite('§3.1 a refused client: 554 greeting, then 503 to everything but QUIT', [
  {
    name: 'every command but QUIT gets 503, whatever it is; QUIT gets 221',
    client: [EHLO, HELO, NOOP, FROM, 'RSET\r\n', 'HELP\r\n', 'FOO\r\n', '\r\n', STARTTLS, QUIT],
    server: [...times(9, ACCESS_DENIED), BYE],
    state: 'closed',
    options: { refused: true },
    greeting: REFUSED_GREETING,
  },
  {
    name: 'a BDAT chunk is read and dropped before its 503 (its bytes are not commands)',
    client: [EHLO, 'BDAT 6\r\nQUIT\r\n', NOOP],
    server: times(3, ACCESS_DENIED),
    state: 'refused',
    options: { refused: true },
    greeting: REFUSED_GREETING,
  },
  {
    name: 'the 503s count as errors: the 20th brings 421 and close',
    client: times(21, NOOP),
    server: [...times(20, ACCESS_DENIED), TOO_MANY_ERRORS],
    state: 'closed',
    options: { refused: true },
    greeting: REFUSED_GREETING,
  },
  {
    name: 'an injected 554 at CONNECT refuses the same way',
    client: [EHLO, QUIT],
    server: [ACCESS_DENIED, BYE],
    state: 'closed',
    options: {
      faults: [{ step: 'CONNECT', reply: reply(554, '', 'mx1.beta.example No SMTP service here') }],
    },
    greeting: '554 mx1.beta.example No SMTP service here\r\n',
  },
  {
    name: 'an injected 421 at CONNECT: the greeting is 421 and the connection closes (§3.8)',
    client: [EHLO],
    server: [],
    state: 'closed',
    options: {
      faults: [{ step: 'CONNECT', reply: reply(421, '4.3.2', 'mx1.beta.example Try again later') }],
    },
    greeting: '421 4.3.2 mx1.beta.example Try again later\r\n',
  },
]);

describe('RFC 2920 §3.1 / postscreen: a client that talks before the greeting', () => {
  const early = EHLO; // 27 octets

  it('pregreet "reject" (default): reported, 554 5.5.1, then 503 to all but QUIT', () => {
    const run = runEarlyAllWays(early, QUIT);
    expect(run.greeting).toEqual([
      { type: 'pregreet', bytes: 27 },
      expect.objectContaining({
        type: 'reply',
        wire: '554 5.5.1 Error: SMTP protocol synchronization\r\n',
      }),
      { type: 'command', verb: 'EHLO', line: 'EHLO laptop.alpha.example' },
      expect.objectContaining({ type: 'reply', wire: ACCESS_DENIED }),
    ]);
    expect(replyWires(run.events)).toEqual([BYE]);
    expect(run.session.state).toBe('closed');
  });

  it('pregreet "ignore": reported, then greeted and served as usual', () => {
    const run = runEarlyAllWays(early, FROM, { pregreet: 'ignore' });
    expect(run.greeting[0]).toEqual({ type: 'pregreet', bytes: 27 });
    expect(replyWires(run.greeting)).toEqual([GREETING, EHLO_OK]);
    expect(replyWires(run.events)).toEqual([SENDER_OK]);
    expect(run.session.state).toBe('mail');
  });

  it('pregreet "drop": 521 and close (RFC 7504); later bytes are ignored', () => {
    const run = runEarlyAllWays(early, FROM, { pregreet: 'drop' });
    expect(run.greeting).toEqual([
      { type: 'pregreet', bytes: 27 },
      expect.objectContaining({
        wire: '521 5.5.1 mx1.beta.example Error: SMTP protocol synchronization\r\n',
      }),
      { type: 'close' },
    ]);
    expect(run.events).toEqual([]);
  });

  it('a client that waits is not reported', () => {
    const run = runChunks([utf8(EHLO)]);
    expect([...run.greeting, ...run.events].some((e) => e.type === 'pregreet')).toBe(false);
  });

  it('start() twice is a misuse of the API', () => {
    const session = new ServerSession(fakeContext());
    session.start();
    expect(() => session.start()).toThrow(ServerUsageError);
  });
});

describe('§3.8 shutdown: 421 and close in any state', () => {
  const prefixes: Record<string, string[]> = {
    greeted: [],
    ready: [EHLO],
    mail: [EHLO, FROM],
    data: [EHLO, FROM, TO_BOB, DATA, 'Subject: half a message\r\n'],
    bdat: [EHLO, FROM, TO_BOB, 'BDAT 100 LAST\r\nhalf a chunk'],
  };
  for (const [state, prefix] of Object.entries(prefixes)) {
    it(`in "${state}": 421 4.3.2, close, nothing queued, later input ignored`, () => {
      const run = runChunks([bytesOf(prefix)]);
      const events = run.session.shutdown();
      expect(events).toEqual([
        expect.objectContaining({ type: 'reply', wire: SHUTDOWN }),
        { type: 'close' },
      ]);
      expect(run.session.state).toBe('closed');
      expect(run.session.receive(utf8(NOOP))).toEqual([]);
      expect(run.session.shutdown()).toEqual([]);
      expect(run.ctx.issued).toEqual([]);
    });
  }
});

// =============================================================================================
// §3.5 VRFY and EXPN, as the policy says
// =============================================================================================

suite('§3.5 VRFY and EXPN per policy', [
  {
    name: 'vrfy "verify": 250 for a known address, the refusal for an unknown one',
    client: [
      EHLO,
      'VRFY bob@beta.example\r\n',
      'VRFY <carol@beta.example>\r\n',
      'VRFY postmaster\r\n',
      'VRFY bob\r\n',
    ],
    server: [
      EHLO_OK,
      '250 2.1.5 <bob@beta.example>\r\n',
      unknownUser('carol@beta.example'),
      '250 2.1.5 <postmaster>\r\n',
      VRFY_252, // a bare user name: no domain to check it in
    ],
    state: 'ready',
    policy: { vrfy: 'verify' },
    check: ({ ctx }) => expect(ctx.checks.every((c) => c.vrfy === true)).toBe(true),
  },
  {
    name: 'vrfy "disabled": 502 VRFY command is disabled (Postfix disable_vrfy_command)',
    client: [EHLO, 'VRFY bob@beta.example\r\n', 'VRFY\r\n'],
    server: [EHLO_OK, ...times(2, '502 5.5.1 VRFY command is disabled\r\n')],
    state: 'ready',
    policy: { vrfy: 'disabled' },
  },
  {
    name: 'EXPN with lists: the members, one per line (§3.5.2); unknown list 550; no name 501',
    client: [
      EHLO,
      'EXPN staff\r\n',
      'EXPN <Staff>\r\n',
      'EXPN staff@beta.example\r\n',
      'EXPN nobody\r\n',
      'EXPN\r\n',
    ],
    server: [
      EHLO_OK,
      ...times(3, '250-2.1.5 <alice@alpha.example>\r\n250 2.1.5 <bob@beta.example>\r\n'),
      '550 5.1.1 Error: nobody: no such mailing list\r\n',
      '501 5.5.4 Syntax: EXPN mailing-list\r\n',
    ],
    state: 'ready',
    policy: { expn: { staff: ['alice@alpha.example', 'bob@beta.example'] } },
  },
]);

// =============================================================================================
// RFC 2034 / RFC 3463 enhanced status codes
// =============================================================================================

describe('RFC 2034 ENHANCEDSTATUSCODES', () => {
  it('every reply carries a status code of its class, except greeting, HELO/EHLO, 334, 354', () => {
    const run = runAllWays(
      [
        'FOO\r\n',
        FROM,
        EHLO,
        'AUTH PLAIN\r\n',
        '*\r\n',
        AUTH_PLAIN,
        FROM,
        TO_CAROL,
        TO_BOB,
        'RCPT TO:<x> NOTIFY=BAD\r\n',
        DATA,
        BODY,
        END,
        'VRFY bob\r\n',
        'EXPN x\r\n',
        'HELP\r\n',
        FROM,
        TO_BOB,
        'BDAT 3\r\nabc',
        'BDAT 0 LAST\r\n',
        'RSET\r\n',
        HELO,
        NOOP,
        STARTTLS,
        HANDSHAKE,
        'MAIL FROM:<>\r\n',
        QUIT,
      ],
      { tls: 'may', auth: AUTH_POLICY },
    );
    const replies = run.events.flatMap((e) => (e.type === 'reply' ? [e.reply] : []));
    expect(replies.length).toBeGreaterThan(20);
    for (const r of replies) {
      const bare =
        [334, 354].includes(r.code) || (r.code === 250 && !r.status && r.lines[0] === SERVER_HOST);
      if (bare) continue;
      expect(r.status, `${r.code} ${r.lines[0]}`).toMatch(
        new RegExp(`^${String(r.code)[0]}\\.\\d{1,3}\\.\\d{1,3}$`),
      );
    }
  });

  suite('without ENHANCEDSTATUSCODES', [
    {
      name: 'not advertised, and no reply carries a status code',
      client: [EHLO, FROM, TO_CAROL, 'XYZZY\r\n', QUIT],
      server: [
        ehloReply({ without: 'ENHANCEDSTATUSCODES' }),
        '250 Ok\r\n',
        '550 <carol@beta.example>: Recipient address rejected: User unknown in local recipient table\r\n',
        '500 Error: command not recognized\r\n',
        '221 Bye\r\n',
      ],
      state: 'closed',
      policy: { extensions: EXTENSIONS.filter((e) => e !== 'ENHANCEDSTATUSCODES') },
    },
  ]);
});

// =============================================================================================
// §4.5.3.1.6 text lines, §6.3 loop detection
// =============================================================================================

const receivedLines = (n: number) =>
  times(n, 'Received: from a.example by b.example; x\r\n').join('');

suite('§4.5.3.1.6 text line length (policy; Postfix accepts longer lines)', [
  {
    name: 'by default a 5000-octet line is accepted',
    client: [EHLO, FROM, TO_BOB, DATA, `${'y'.repeat(5000)}\r\n`, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
  },
  {
    name: 'longLines "reject": 1000 octets with CRLF pass, 1001 → 500 5.5.0 after the terminator',
    client: [
      EHLO,
      FROM,
      TO_BOB,
      DATA,
      `${'x'.repeat(998)}\r\n`,
      END,
      FROM,
      TO_BOB,
      DATA,
      `${'x'.repeat(999)}\r\n`,
      END,
    ],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      '500 5.5.0 Error: message text line too long\r\n',
    ],
    state: 'ready',
    policy: { longLines: 'reject' },
  },
  {
    name: 'the dot added for transparency does not count (§4.5.3.1.6)',
    client: [EHLO, FROM, TO_BOB, DATA, `.${'.'.repeat(998)}\r\n`, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: { longLines: 'reject' },
  },
]);

suite('§6.3 loop detection: too many Received: headers', [
  {
    name: '50 Received: headers pass (Postfix hopcount_limit 50)',
    client: [EHLO, FROM, TO_BOB, DATA, receivedLines(50), BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
  },
  {
    name: '51 → 554 5.4.6 Too many hops, nothing queued',
    client: [EHLO, FROM, TO_BOB, DATA, receivedLines(51), BODY, END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, TOO_MANY_HOPS],
    state: 'ready',
    check: ({ ctx }) => expect(ctx.issued).toEqual([]),
  },
  {
    name: 'names are case-insensitive; continuation lines and the body do not count',
    client: [
      EHLO,
      FROM,
      TO_BOB,
      DATA,
      'RECEIVED: one\r\n\tReceived: folded, not a field\r\nreceived : two\r\nSubject: x\r\n\r\n',
      receivedLines(5),
      END,
    ],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, TOO_MANY_HOPS],
    state: 'ready',
    policy: { maxHops: 1 },
  },
  {
    name: 'the limit is a policy; Received: lines after the header section are body',
    client: [EHLO, FROM, TO_BOB, DATA, 'Subject: x\r\n\r\n', receivedLines(5), END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: { maxHops: 1 },
  },
]);

// =============================================================================================
// §4.1.2 parameters: duplicates and missing values
// =============================================================================================

suite('§4.1.2 parameters: duplicates and missing values → 501', [
  {
    name: 'MAIL: a parameter given twice, whatever its case',
    client: [EHLO, 'MAIL FROM:<> RET=FULL ret=HDRS\r\n', 'MAIL FROM:<> ENVID=a ENVID=b\r\n'],
    server: [
      EHLO_OK,
      '501 5.5.4 Duplicate parameter: RET\r\n',
      '501 5.5.4 Duplicate parameter: ENVID\r\n',
    ],
    state: 'ready',
  },
  {
    name: 'MAIL: parameters that need a value and have none',
    client: [
      EHLO,
      'MAIL FROM:<> BODY\r\n',
      'MAIL FROM:<> RET\r\n',
      'MAIL FROM:<> ENVID\r\n',
      'MAIL FROM:<> ENVID=\r\n',
      'MAIL FROM:<> SMTPUTF8=yes\r\n',
    ],
    server: [
      EHLO_OK,
      '501 5.5.4 Bad BODY parameter: use 7BIT or 8BITMIME\r\n',
      '501 5.5.4 Bad RET parameter syntax\r\n',
      '501 5.5.4 Bad ENVID parameter syntax\r\n',
      '501 5.5.4 Bad parameter value: ENVID\r\n',
      '501 5.5.4 Bad SMTPUTF8 parameter syntax\r\n',
    ],
    state: 'ready',
  },
  {
    name: 'RCPT: a parameter given twice, or without its value; the RCPT does not count',
    client: [
      EHLO,
      FROM,
      'RCPT TO:<bob@beta.example> NOTIFY=SUCCESS NOTIFY=FAILURE\r\n',
      'RCPT TO:<bob@beta.example> NOTIFY\r\n',
      'RCPT TO:<bob@beta.example> ORCPT\r\n',
      DATA,
    ],
    server: [
      EHLO_OK,
      SENDER_OK,
      '501 5.5.4 Duplicate parameter: NOTIFY\r\n',
      '501 5.5.4 Bad NOTIFY parameter syntax\r\n',
      '501 5.5.4 Bad ORCPT parameter syntax\r\n',
      NEED_RCPT,
    ],
    state: 'mail',
    check: ({ ctx }) => expect(ctx.checked).toEqual([]),
  },
]);

// =============================================================================================
// RFC 1870 SIZE: temporary lack of space
// =============================================================================================

suite('RFC 1870 §6 SIZE: 452 4.3.1 when the queue has no room now', [
  {
    name: 'a full disk: MAIL gets 452 4.3.1 (temporary), the session goes on',
    client: [EHLO, FROM, NOOP],
    server: [EHLO_OK, STORAGE, OK],
    state: 'ready',
    options: { storageFree: 0 },
  },
  {
    name: 'SIZE= beyond the free space → 452; within it → 250; beyond the fixed limit still 552',
    client: [
      EHLO,
      'MAIL FROM:<> SIZE=2000\r\n',
      'MAIL FROM:<> SIZE=20000000\r\n',
      'MAIL FROM:<> SIZE=500\r\n',
    ],
    server: [EHLO_OK, STORAGE, TOO_BIG, SENDER_OK],
    state: 'mail',
    options: { storageFree: 1000 },
  },
  {
    name: 'a message larger than the free space → 452 4.3.1 after the terminator',
    client: [EHLO, FROM, TO_BOB, DATA, ...times(10, 'abcdefgh\r\n'), END],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, STORAGE],
    state: 'ready',
    options: { storageFree: 50 },
    check: ({ ctx }) => expect(ctx.issued).toEqual([]),
  },
]);

// =============================================================================================
// RFC 6531 SMTPUTF8
// =============================================================================================

suite('RFC 6531 SMTPUTF8', [
  {
    name: 'declared on MAIL: UTF-8 addresses are taken; Received says UTF8SMTP (§3.7.3)',
    client: [
      EHLO,
      'MAIL FROM:<josé@alpha.example> SMTPUTF8\r\n',
      TO_BOB,
      'RCPT TO:<jörg@bücher.example>\r\n',
      DATA,
      BODY,
      END,
    ],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, unknownUser('jörg@bücher.example'), GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => {
      const [message] = messageEvents(events);
      expect(message?.envelope).toMatchObject({
        smtputf8: true,
        protocol: 'UTF8SMTP',
        from: { local: 'josé', domain: 'alpha.example' },
      });
      expect(contentText(events)).toContain(' with UTF8SMTP id ABCDEF0001');
    },
  },
  {
    name: 'not declared: a UTF-8 sender or recipient → 553 5.6.7 (§3.7.4.1)',
    client: [EHLO, 'MAIL FROM:<josé@alpha.example>\r\n', FROM, 'RCPT TO:<jörg@beta.example>\r\n'],
    server: [EHLO_OK, UTF8_REQUIRED, SENDER_OK, UTF8_REQUIRED],
    state: 'mail',
    check: ({ ctx }) => expect(ctx.checked).toEqual([]),
  },
  {
    name: 'after HELO there is no SMTPUTF8: the parameter is 555 and UTF-8 is bad syntax',
    client: [HELO, 'MAIL FROM:<> SMTPUTF8\r\n', 'MAIL FROM:<josé@alpha.example>\r\n'],
    server: [HELO_OK, '555 5.5.4 Unsupported option: SMTPUTF8\r\n', BAD_SENDER],
    state: 'ready',
  },
  {
    name: 'disabled by policy: not advertised, 555, and UTF-8 addresses are bad syntax',
    client: [EHLO, 'MAIL FROM:<> SMTPUTF8\r\n', 'MAIL FROM:<josé@alpha.example>\r\n'],
    server: [
      ehloReply({ without: 'SMTPUTF8' }),
      '555 5.5.4 Unsupported option: SMTPUTF8\r\n',
      BAD_SENDER,
    ],
    state: 'ready',
    policy: { extensions: EXTENSIONS.filter((e) => e !== 'SMTPUTF8') },
  },
]);

// =============================================================================================
// RFC 3461 DSN
// =============================================================================================

suite('RFC 3461 DSN parameters', [
  {
    name: 'RET, ENVID, NOTIFY and ORCPT are validated, decoded and kept per recipient',
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> RET=hdrs ENVID=QQ314159+2Bx\r\n',
      'RCPT TO:<bob@beta.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob+40beta.example\r\n',
      'RCPT TO:<postmaster> notify=never\r\n',
      DATA,
      BODY,
      END,
    ],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    check: ({ events }) => {
      const envelope = messageEvents(events)[0]!.envelope;
      expect(envelope.ret).toBe('HDRS');
      expect(envelope.envid).toBe('QQ314159+x');
      expect(envelope.recipients).toEqual([
        {
          mailbox: { local: 'bob', domain: 'beta.example' },
          params: new Map([
            ['NOTIFY', 'SUCCESS,FAILURE'],
            ['ORCPT', 'rfc822;bob+40beta.example'],
          ]),
          notify: ['SUCCESS', 'FAILURE'],
          orcpt: { type: 'rfc822', address: 'bob@beta.example' },
        },
        {
          mailbox: { local: 'postmaster', domain: '' },
          params: new Map([['NOTIFY', 'never']]),
          notify: 'NEVER',
        },
      ]);
    },
  },
  {
    name: 'bad NOTIFY: NEVER with others, a repeat, an unknown word → 501',
    client: [
      EHLO,
      FROM,
      'RCPT TO:<bob@beta.example> NOTIFY=NEVER,SUCCESS\r\n',
      'RCPT TO:<bob@beta.example> NOTIFY=SUCCESS,SUCCESS\r\n',
      'RCPT TO:<bob@beta.example> NOTIFY=SOMETIMES\r\n',
      'RCPT TO:<bob@beta.example> NOTIFY=SUCCESS,\r\n',
    ],
    server: [EHLO_OK, SENDER_OK, ...times(4, '501 5.5.4 Bad NOTIFY parameter syntax\r\n')],
    state: 'mail',
  },
  {
    name: 'bad ORCPT: no type, bad xtext, empty type or address → 501 (over 500 octets is a long line)',
    client: [
      EHLO,
      FROM,
      'RCPT TO:<bob@beta.example> ORCPT=bob@beta.example\r\n',
      'RCPT TO:<bob@beta.example> ORCPT=rfc822;bob+zzbeta.example\r\n',
      'RCPT TO:<bob@beta.example> ORCPT=;bob@beta.example\r\n',
      'RCPT TO:<bob@beta.example> ORCPT=rfc822;\r\n',
      `RCPT TO:<bob@beta.example> ORCPT=rfc822;${'b'.repeat(494)}\r\n`,
    ],
    server: [
      EHLO_OK,
      SENDER_OK,
      ...times(4, '501 5.5.4 Bad ORCPT parameter syntax\r\n'),
      LINE_TOO_LONG,
    ],
    state: 'mail',
  },
  {
    name: 'bad RET and ENVID: other values, over 100 characters, broken xtext → 501',
    client: [
      EHLO,
      'MAIL FROM:<> RET=NONE\r\n',
      `MAIL FROM:<> ENVID=${'e'.repeat(101)}\r\n`,
      `MAIL FROM:<> ENVID=${'e'.repeat(100)}\r\n`,
      'RSET\r\n',
      'MAIL FROM:<> ENVID=a+2\r\n',
      'MAIL FROM:<> ENVID=a+2b\r\n',
    ],
    server: [
      EHLO_OK,
      '501 5.5.4 Bad RET parameter syntax\r\n',
      '501 5.5.4 Bad ENVID parameter syntax\r\n',
      SENDER_OK,
      OK,
      ...times(2, '501 5.5.4 Bad ENVID parameter syntax\r\n'),
    ],
    state: 'ready',
  },
  {
    name: 'DSN disabled by policy: not advertised, and its parameters are 555',
    client: [
      EHLO,
      'MAIL FROM:<> RET=FULL\r\n',
      FROM,
      'RCPT TO:<bob@beta.example> NOTIFY=NEVER\r\n',
    ],
    server: [
      ehloReply({ without: 'DSN' }),
      '555 5.5.4 Unsupported option: RET\r\n',
      SENDER_OK,
      '555 5.5.4 Unsupported option: NOTIFY\r\n',
    ],
    state: 'mail',
    policy: { extensions: EXTENSIONS.filter((e) => e !== 'DSN') },
  },
]);

// =============================================================================================
// RFC 4954 AUTH PLAIN LOGIN
// =============================================================================================

const withAuth: Partial<ServerPolicy> = { auth: AUTH_POLICY };

suite('RFC 4954 AUTH', [
  {
    name: 'PLAIN with an initial response → 235 2.7.0; the Received: header says ESMTPA',
    client: [EHLO, AUTH_PLAIN, FROM, TO_BOB, DATA, BODY, END],
    server: [EHLO_AUTH, AUTH_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: withAuth,
    check: ({ events, ctx, session }) => {
      expect(session.authenticatedUser).toBe('alice');
      expect(ctx.logins).toEqual([['alice', 'wonderland']]);
      expect(ctx.checks).toEqual([
        { from: { local: 'alice', domain: 'alpha.example' }, user: 'alice' },
      ]);
      expect(messageEvents(events)[0]?.envelope).toMatchObject({
        user: 'alice',
        protocol: 'ESMTPA',
      });
      expect(contentText(events)).toContain(' with ESMTPA id ABCDEF0001');
    },
  },
  {
    name: 'PLAIN without an initial response: an empty challenge "334 ", then the response',
    client: [EHLO, 'AUTH PLAIN\r\n', `${PLAIN_ALICE}\r\n`],
    server: [EHLO_AUTH, EMPTY_CHALLENGE, AUTH_OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'LOGIN: Username:, Password:, then 235',
    client: [EHLO, 'AUTH LOGIN\r\n', `${b64('alice')}\r\n`, `${b64('wonderland')}\r\n`],
    server: [EHLO_AUTH, ASK_USERNAME, ASK_PASSWORD, AUTH_OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'LOGIN with the user name as initial response; mechanism names are case-insensitive',
    client: [EHLO, `auth login ${b64('alice@alpha.example')}\r\n`, `${b64('wonderland')}\r\n`],
    server: [EHLO_AUTH, ASK_PASSWORD, AUTH_OK],
    state: 'ready',
    policy: withAuth,
    check: ({ ctx }) => expect(ctx.logins).toEqual([['alice@alpha.example', 'wonderland']]),
  },
  {
    name: 'PLAIN: the authorization identity may only be the user itself',
    client: [
      EHLO,
      `AUTH PLAIN ${b64('bob\0alice\0wonderland')}\r\n`,
      `AUTH PLAIN ${b64('alice\0alice\0wonderland')}\r\n`,
    ],
    server: [EHLO_AUTH, AUTH_FAILED, AUTH_OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'a bad password → 535 5.7.8; the client may try again',
    client: [EHLO, `AUTH PLAIN ${b64('\0alice\0rabbit')}\r\n`, 'AUTH PLAIN =\r\n', AUTH_PLAIN],
    server: [EHLO_AUTH, AUTH_FAILED, AUTH_FAILED, AUTH_OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: '"*" cancels the exchange with 501 5.0.0, at any step',
    client: [
      EHLO,
      'AUTH LOGIN\r\n',
      '*\r\n',
      'AUTH LOGIN\r\n',
      `${b64('alice')}\r\n`,
      '*\r\n',
      FROM,
    ],
    server: [
      EHLO_AUTH,
      ASK_USERNAME,
      AUTH_ABORTED,
      ASK_USERNAME,
      ASK_PASSWORD,
      AUTH_ABORTED,
      SENDER_OK,
    ],
    state: 'mail',
    policy: withAuth,
    check: ({ ctx }) => expect(ctx.logins).toEqual([]),
  },
  {
    name: 'a response that is not base64 → 501 5.5.2, as response or initial response',
    client: [EHLO, 'AUTH PLAIN\r\n', 'not base64!\r\n', 'AUTH PLAIN @@@@\r\n', NOOP],
    server: [EHLO_AUTH, EMPTY_CHALLENGE, AUTH_UNDECODABLE, AUTH_UNDECODABLE, OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'a response line beyond 12288 octets → 500 5.5.0 and the exchange ends',
    client: [EHLO, 'AUTH PLAIN\r\n', `${'A'.repeat(13_000)}\r\n`, NOOP],
    server: [EHLO_AUTH, EMPTY_CHALLENGE, LINE_TOO_LONG, OK],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'AUTH after a successful AUTH → 503 5.5.1',
    client: [EHLO, AUTH_PLAIN, AUTH_PLAIN],
    server: [EHLO_AUTH, AUTH_OK, '503 5.5.1 Error: already authenticated\r\n'],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'AUTH inside a transaction → 503, the transaction goes on; before EHLO → 503',
    client: [AUTH_PLAIN, EHLO, FROM, AUTH_PLAIN, TO_BOB],
    server: [NEED_HELO, EHLO_AUTH, SENDER_OK, IN_TRANSACTION, RCPT_OK],
    state: 'rcpt',
    policy: withAuth,
  },
  {
    name: 'no mechanism, too many words → 501; an unknown mechanism → 504 5.5.4',
    client: [EHLO, 'AUTH\r\n', 'AUTH PLAIN a b\r\n', 'AUTH CRAM-MD5\r\n'],
    server: [
      EHLO_AUTH,
      '501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n',
      '501 5.5.4 Syntax: AUTH mechanism [initial-response]\r\n',
      '504 5.5.4 Unrecognized authentication type\r\n',
    ],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'no AUTH in the policy: not advertised, and AUTH is 502',
    client: [EHLO, AUTH_PLAIN],
    server: [EHLO_OK, '502 5.5.1 Error: AUTH not implemented\r\n'],
    state: 'ready',
  },
  {
    name: 'submission (RFC 6409): MAIL before AUTH → 530 5.7.0 Authentication required',
    client: [EHLO, FROM, AUTH_PLAIN, FROM],
    server: [EHLO_AUTH, AUTH_REQUIRED, AUTH_OK, SENDER_OK],
    state: 'mail',
    policy: { auth: { ...AUTH_POLICY, required: true } },
  },
  {
    name: 'every failed login counts as an error: the 20th brings 421',
    client: [EHLO, ...times(21, `AUTH PLAIN ${b64('\0alice\0guess')}\r\n`)],
    server: [EHLO_AUTH, ...times(20, AUTH_FAILED), TOO_MANY_ERRORS],
    state: 'closed',
    policy: withAuth,
  },
  {
    name: 'MAIL takes AUTH=<> or AUTH=xtext (RFC 4954 §5) when AUTH is offered',
    client: [
      EHLO,
      'MAIL FROM:<alice@alpha.example> AUTH=<>\r\n',
      'RSET\r\n',
      'MAIL FROM:<alice@alpha.example> AUTH=alice+40alpha.example\r\n',
      'RSET\r\n',
      'MAIL FROM:<alice@alpha.example> AUTH\r\n',
    ],
    server: [EHLO_AUTH, SENDER_OK, OK, SENDER_OK, OK, '501 5.5.4 Bad AUTH parameter syntax\r\n'],
    state: 'ready',
    policy: withAuth,
  },
  {
    name: 'smtpd_tls_auth_only: AUTH is offered only over TLS, 538 5.7.11 before',
    client: [EHLO, AUTH_PLAIN, STARTTLS, HANDSHAKE, EHLO, AUTH_PLAIN],
    server: [
      EHLO_TLS,
      '538 5.7.11 Encryption required for requested authentication mechanism\r\n',
      READY_TLS,
      EHLO_AUTH,
      AUTH_OK,
    ],
    state: 'ready',
    policy: { tls: 'may', auth: { ...AUTH_POLICY, tlsOnly: true } },
  },
  {
    name: 'TLS required: MAIL and AUTH before STARTTLS → 530 5.7.0 Must issue a STARTTLS command first',
    client: [EHLO, FROM, AUTH_PLAIN, STARTTLS, HANDSHAKE, EHLO, FROM],
    server: [EHLO_TLS, TLS_FIRST, TLS_FIRST, READY_TLS, EHLO_AUTH, SENDER_OK],
    state: 'mail',
    policy: { tls: 'required', auth: AUTH_POLICY },
  },
]);

describe('RFC 4954 AUTH: credentials never reach the events', () => {
  const commandLines = (run: Run) =>
    run.events.flatMap((e) => (e.type === 'command' ? [`${e.verb}: ${e.line}`] : []));
  const secrets = ['wonderland', b64('wonderland'), PLAIN_ALICE, b64('alice')];

  it('an initial response is shown as "AUTH PLAIN ****"', () => {
    const run = runAllWays([EHLO, AUTH_PLAIN, 'RSET\r\n'], withAuth);
    expect(commandLines(run)).toEqual([
      'EHLO: EHLO laptop.alpha.example',
      'AUTH: AUTH PLAIN ****',
      'RSET: RSET',
    ]);
    for (const secret of secrets) expect(JSON.stringify(run.events)).not.toContain(secret);
  });

  it('SASL responses are shown as "[credentials]", a cancel as "*", a long line redacted too', () => {
    const run = runAllWays(
      [
        EHLO,
        'AUTH LOGIN\r\n',
        '*\r\n',
        `AUTH PLAIN ${PLAIN_ALICE}${'='.repeat(500)}\r\n`,
        'AUTH LOGIN\r\n',
        `${b64('alice')}\r\n`,
        `${b64('wonderland')}\r\n`,
      ],
      withAuth,
    );
    expect(replyWires(run.events)).toEqual([
      EHLO_AUTH,
      ASK_USERNAME,
      AUTH_ABORTED,
      LINE_TOO_LONG,
      ASK_USERNAME,
      ASK_PASSWORD,
      AUTH_OK,
    ]);
    expect(commandLines(run)).toEqual([
      'EHLO: EHLO laptop.alpha.example',
      'AUTH: AUTH LOGIN',
      'AUTH: *',
      'AUTH: AUTH PLAIN ****…',
      'AUTH: AUTH LOGIN',
      'AUTH: [credentials]',
      'AUTH: [credentials]',
    ]);
    for (const secret of secrets) expect(JSON.stringify(run.events)).not.toContain(secret);
  });
});

// =============================================================================================
// RFC 3207 STARTTLS
// =============================================================================================

const withTls: Partial<ServerPolicy> = { tls: 'may' };

suite('RFC 3207 STARTTLS', [
  {
    name: 'offered in EHLO; STARTTLS → 220 2.0.0, a starttls event, then the session waits',
    client: [EHLO, STARTTLS],
    server: [EHLO_TLS, READY_TLS],
    state: 'tls',
    policy: withTls,
    check: ({ events }) =>
      expect(events.slice(-2).map((e) => e.type)).toEqual(['reply', 'starttls']),
  },
  {
    name: 'after the handshake the session is just greeted: no new greeting, EHLO again, no STARTTLS',
    client: [EHLO, STARTTLS, HANDSHAKE, FROM, EHLO, FROM, TO_BOB, DATA, BODY, END],
    server: [EHLO_TLS, READY_TLS, NEED_HELO, EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: withTls,
    check: ({ events, session }) => {
      expect(session.isSecure).toBe(true);
      expect(messageEvents(events)[0]?.envelope).toMatchObject({ tls: true, protocol: 'ESMTPS' });
      expect(contentText(events)).toContain(' with ESMTPS id ABCDEF0001');
      expect(events.some((e) => e.type === 'discarded')).toBe(false);
    },
  },
  {
    name: 'CVE-2011-0411: commands pipelined after STARTTLS are dropped, never answered',
    client: [
      EHLO,
      'STARTTLS\r\nRSET\r\nMAIL FROM:<mallory@evil.example>\r\n',
      HANDSHAKE,
      EHLO,
      TO_BOB,
    ],
    server: [EHLO_TLS, READY_TLS, EHLO_OK, NEED_MAIL],
    state: 'ready',
    policy: withTls,
    check: ({ events }) => {
      expect(
        events.filter((e) => e.type === 'command').map((e) => e.type === 'command' && e.verb),
      ).toEqual(['EHLO', 'STARTTLS', 'EHLO', 'RCPT']);
      const dropped = utf8('RSET\r\nMAIL FROM:<mallory@evil.example>\r\n').length;
      expect(events.find((e) => e.type === 'discarded')).toEqual({
        type: 'discarded',
        bytes: dropped,
      });
    },
  },
  {
    name: "CVE-2011-0411: a half-sent line before STARTTLS's end does not survive either",
    client: [EHLO, 'STARTTLS\r\nRCPT TO:<mallory', HANDSHAKE, '@evil.example>\r\n', EHLO],
    server: [EHLO_TLS, READY_TLS, NOT_RECOGNIZED, EHLO_OK],
    state: 'ready',
    policy: withTls,
  },
  {
    name: 'STARTTLS with an argument → 501; before EHLO or inside a transaction → 503',
    client: ['STARTTLS\r\n', EHLO, 'STARTTLS now\r\n', FROM, STARTTLS],
    server: [NEED_HELO, EHLO_TLS, '501 5.5.4 Syntax: STARTTLS\r\n', SENDER_OK, IN_TRANSACTION],
    state: 'mail',
    policy: withTls,
  },
  {
    name: 'STARTTLS once TLS is up → 554 5.5.1 Error: TLS already active (Postfix)',
    client: [EHLO, STARTTLS, HANDSHAKE, EHLO, STARTTLS],
    server: [EHLO_TLS, READY_TLS, EHLO_OK, TLS_ACTIVE],
    state: 'ready',
    policy: withTls,
  },
  {
    name: 'no TLS in the policy: not advertised, and STARTTLS is 502',
    client: [EHLO, STARTTLS],
    server: [EHLO_OK, '502 5.5.1 Error: STARTTLS not implemented\r\n'],
    state: 'ready',
  },
  {
    name: 'TLS forgets the authentication made before it (RFC 3207 §4.2)',
    client: [EHLO, AUTH_PLAIN, STARTTLS, HANDSHAKE, EHLO, FROM, AUTH_PLAIN, FROM],
    server: [
      ehloReply({ starttls: true, auth: true }),
      AUTH_OK,
      READY_TLS,
      EHLO_AUTH,
      AUTH_REQUIRED,
      AUTH_OK,
      SENDER_OK,
    ],
    state: 'mail',
    policy: { tls: 'may', auth: { ...AUTH_POLICY, required: true } },
  },
  {
    name: 'implicit TLS (port 465, RFC 8314): secure from the start, STARTTLS is 554, ESMTPSA',
    client: [EHLO, STARTTLS, AUTH_PLAIN, FROM, TO_BOB, DATA, BODY, END],
    server: [EHLO_AUTH, TLS_ACTIVE, AUTH_OK, SENDER_OK, RCPT_OK, GO_AHEAD, queued(1)],
    state: 'ready',
    policy: { tls: 'implicit', auth: { ...AUTH_POLICY, required: true } },
    check: ({ events }) => expect(contentText(events)).toContain(' with ESMTPSA id ABCDEF0001'),
  },
]);

describe('RFC 3207 STARTTLS: the handshake and the API', () => {
  it('plaintext arriving in later chunks before the handshake is dropped as well', () => {
    const run = runChunks(
      [
        utf8(EHLO + STARTTLS),
        utf8('MAIL FROM:<m@evil.example>\r\n'),
        utf8('RSET\r\n'),
        HANDSHAKE,
        utf8(EHLO),
      ],
      withTls,
    );
    expect(replyWires(run.events)).toEqual([EHLO_TLS, READY_TLS, EHLO_OK]);
    expect(run.events).toContainEqual({ type: 'discarded', bytes: 34 });
  });

  it('tlsEstablished() without an accepted STARTTLS is a misuse of the API', () => {
    const run = runChunks([utf8(EHLO)], withTls);
    expect(() => run.session.tlsEstablished()).toThrow(ServerUsageError);
  });
});

// =============================================================================================
// RFC 3030 CHUNKING / BDAT
// =============================================================================================

/** Message text that DATA could not carry as is: dot lines, bare LF, a lone "." line. */
const BINARYISH = 'Subject: b\r\n\r\n..not unstuffed\r\n.\r\nbare\nLF and bare\rCR\r\n';

suite('RFC 3030 CHUNKING (BDAT)', [
  {
    name: 'BDAT n LAST: exactly n octets, taken as they are (no dot-stuffing, no line ends)',
    client: [EHLO, FROM, TO_BOB, `BDAT ${utf8(BINARYISH).length} LAST\r\n${BINARYISH}`, NOOP],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, queued(1), OK],
    state: 'ready',
    check: ({ events }) => {
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + BINARYISH);
      const verbs = events.flatMap((e) => (e.type === 'command' ? [e.verb] : []));
      expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'BDAT', 'NOOP']);
    },
  },
  {
    name: 'several chunks: 250 for each, the message once LAST arrives; BDAT 0 LAST ends it',
    client: [
      EHLO,
      FROM,
      TO_BOB,
      'BDAT 12\r\nSubject: a\r\n',
      'BDAT 9\r\n\r\nHello\r\n',
      'BDAT 0 LAST\r\n',
    ],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, chunkOk(12), chunkOk(9), queued(1)],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(
        received('ABCDEF0001', 'ESMTP') + 'Subject: a\r\n\r\nHello\r\n',
      ),
  },
  {
    name: 'a chunk that looks like commands is message text; "last" in any case',
    client: [EHLO, FROM, TO_BOB, 'BDAT 6 last\r\nQUIT\r\n', NOOP],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, queued(1), OK],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + 'QUIT\r\n'),
  },
  {
    name: 'BDAT 0 LAST alone is a valid, empty message',
    client: [EHLO, FROM, TO_BOB, 'BDAT 0 LAST\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, queued(1)],
    state: 'ready',
    check: ({ events }) => expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP')),
  },
  {
    name: 'BDAT out of sequence → 503 after its chunk, which is read and dropped',
    client: [
      'BDAT 6 LAST\r\nQUIT\r\n',
      EHLO,
      'BDAT 6\r\nQUIT\r\n',
      FROM,
      'BDAT 6\r\nQUIT\r\n',
      NOOP,
    ],
    server: [NEED_HELO, EHLO_OK, NEED_RCPT, SENDER_OK, NEED_RCPT, OK],
    state: 'mail',
  },
  {
    name: 'after every RCPT failed: 554 no valid recipients, like DATA',
    client: [EHLO, FROM, TO_CAROL, 'BDAT 4 LAST\r\nhi\r\n'],
    server: [EHLO_OK, SENDER_OK, unknownUser('carol@beta.example'), NO_VALID_RCPT],
    state: 'mail',
  },
  {
    name: 'DATA after BDAT in one transaction → 503; the chunked message goes on (§2)',
    client: [EHLO, FROM, TO_BOB, 'BDAT 4\r\nhi\r\n', DATA, TO_BOB, 'BDAT 0 LAST\r\n'],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      chunkOk(4),
      '503 5.5.1 Error: DATA after BDAT\r\n',
      '503 5.5.1 Error: RCPT after BDAT\r\n',
      queued(1),
    ],
    state: 'ready',
    check: ({ events }) =>
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + 'hi\r\n'),
  },
  {
    name: 'BDAT after a DATA transaction needs a new MAIL and RCPT',
    client: [
      EHLO,
      FROM,
      TO_BOB,
      DATA,
      BODY,
      END,
      'BDAT 4 LAST\r\nhi\r\n',
      FROM,
      TO_BOB,
      'BDAT 4 LAST\r\nhi\r\n',
    ],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      queued(1),
      NEED_RCPT,
      SENDER_OK,
      RCPT_OK,
      queued(2),
    ],
    state: 'ready',
  },
  {
    name: 'bad BDAT syntax → 501; with no size to go by, what follows is read as commands',
    client: [EHLO, FROM, TO_BOB, 'BDAT\r\n', 'BDAT x\r\n', 'BDAT 5 FIRST\r\n', 'BDAT -1\r\n', NOOP],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, ...times(4, BDAT_SYNTAX), OK],
    state: 'rcpt',
  },
  {
    name: 'over the size limit → 552 at that chunk; pipelined chunks after it get 503 (§2)',
    client: [
      EHLO,
      FROM,
      TO_BOB,
      'BDAT 8\r\n12345678',
      'BDAT 8\r\n12345678',
      'BDAT 4 LAST\r\nabcd',
      NOOP,
    ],
    server: [ehloReply({ size: 10 }), SENDER_OK, RCPT_OK, chunkOk(8), TOO_BIG, NEED_RCPT, OK],
    state: 'ready',
    policy: { maxMessageSize: 10 },
    check: ({ ctx }) => expect(ctx.issued).toEqual([]),
  },
  {
    name: 'RSET between chunks drops the message',
    client: [EHLO, FROM, TO_BOB, 'BDAT 4\r\nhi\r\n', 'RSET\r\n', 'BDAT 4 LAST\r\nhi\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, chunkOk(4), OK, NEED_RCPT],
    state: 'ready',
  },
  {
    name: 'loop detection and storage apply at LAST too',
    client: [EHLO, FROM, TO_BOB, `BDAT ${receivedLines(3).length} LAST\r\n${receivedLines(3)}`],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, TOO_MANY_HOPS],
    state: 'ready',
    policy: { maxHops: 2 },
  },
  {
    name: 'CHUNKING disabled: not advertised, BDAT is 502 and its "chunk" is read as commands',
    client: [EHLO, FROM, TO_BOB, 'BDAT 6 LAST\r\nNOOP\r\n'],
    server: [
      ehloReply({ without: 'CHUNKING' }),
      SENDER_OK,
      RCPT_OK,
      '502 5.5.1 Error: BDAT not implemented\r\n',
      OK,
    ],
    state: 'rcpt',
    policy: { extensions: EXTENSIONS.filter((e) => e !== 'CHUNKING') },
  },
]);

// =============================================================================================
// CVE-2023-51764 (SMTP smuggling) and the bare-newline policy
// =============================================================================================

/** The smuggling payload: a second message hidden behind a non-standard end of data. */
const SMUGGLED =
  'Subject: hello\r\n\r\nhi\n.\r\n' +
  'MAIL FROM:<admin@beta.example>\r\n' +
  'RCPT TO:<bob@beta.example>\r\n' +
  'DATA\r\n' +
  'From: admin@beta.example\r\n\r\nSpoofed.\r\n';

suite('CVE-2023-51764: smuggled messages never become commands', [
  {
    name: 'the classic payload (LF "." CRLF): one message, refused once, nothing smuggled',
    client: [EHLO, FROM, TO_BOB, DATA, SMUGGLED, END, NOOP],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, GO_AHEAD, BARE_NEWLINE, OK],
    state: 'ready',
    check: ({ events, ctx }) => {
      expect(messageEvents(events)).toEqual([]);
      expect(ctx.checked).toHaveLength(1); // the smuggled RCPT was never looked at
      const verbs = events.flatMap((e) => (e.type === 'command' ? [e.verb] : []));
      expect(verbs).toEqual(['EHLO', 'MAIL', 'RCPT', 'DATA', 'NOOP']);
    },
  },
  {
    name: 'CR "." LF, and a bare CR before CRLF "." CRLF, are refused the same way',
    client: [EHLO, FROM, TO_BOB, DATA, 'hi\r.\nRSET\r\n', END, FROM, TO_BOB, DATA, 'hi\r\r\n', END],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      BARE_NEWLINE,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      BARE_NEWLINE,
    ],
    state: 'ready',
  },
  {
    name: 'bareNewline "disconnect": 521 5.5.2 at once, and close (RFC 7504)',
    client: [EHLO, FROM, TO_BOB, DATA, SMUGGLED, END, NOOP],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      GO_AHEAD,
      '521 5.5.2 mx1.beta.example Error: bare <CR> or <LF> received in message data\r\n',
    ],
    state: 'closed',
    policy: { bareNewline: 'disconnect' },
    check: ({ events, ctx }) => {
      expect(messageEvents(events)).toEqual([]);
      expect(ctx.checked).toHaveLength(1);
    },
  },
  {
    name: 'BDAT is counted in octets, so the same payload is just text there',
    client: [EHLO, FROM, TO_BOB, `BDAT ${utf8(SMUGGLED).length} LAST\r\n${SMUGGLED}`],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, queued(1)],
    state: 'ready',
    check: ({ events, ctx }) => {
      expect(contentText(events)).toBe(received('ABCDEF0001', 'ESMTP') + SMUGGLED);
      expect(ctx.checked).toHaveLength(1);
    },
  },
]);

// =============================================================================================
// Injected faults (scenario policy): a chosen reply at a chosen step
// =============================================================================================

const fault = (
  step: NonNullable<ContextOptions['faults']>[number]['step'],
  code: number,
  status: string,
  line: string,
  times?: number,
) => ({
  step,
  reply: reply(code, status, line),
  ...(times !== undefined ? { times } : {}),
});

suite('injected faults', [
  {
    name: 'a MAIL fault answers every MAIL; the state does not move',
    client: [EHLO, FROM, FROM],
    server: [EHLO_OK, ...times(2, '451 4.3.0 Try again later\r\n')],
    state: 'ready',
    options: { faults: [fault('MAIL', 451, '4.3.0', 'Try again later')] },
  },
  {
    name: 'a fault with times: 1 fires once, then the server behaves',
    client: [EHLO, FROM, TO_BOB, TO_BOB],
    server: [EHLO_OK, SENDER_OK, '450 4.2.0 <bob@beta.example>: Mailbox busy\r\n', RCPT_OK],
    state: 'rcpt',
    options: { faults: [fault('RCPT', 450, '4.2.0', '<bob@beta.example>: Mailbox busy', 1)] },
  },
  {
    name: 'DATA and DATA-END faults: no message is queued',
    client: [EHLO, FROM, TO_BOB, DATA, DATA, BODY, END],
    server: [
      EHLO_OK,
      SENDER_OK,
      RCPT_OK,
      '554 5.3.0 Error: no DATA today\r\n',
      GO_AHEAD,
      '451 4.3.0 Error: queue file write error\r\n',
    ],
    state: 'ready',
    options: {
      faults: [
        fault('DATA', 554, '5.3.0', 'Error: no DATA today', 1),
        fault('DATA-END', 451, '4.3.0', 'Error: queue file write error'),
      ],
    },
    check: ({ ctx, events }) => {
      expect(ctx.issued).toEqual([]);
      expect(messageEvents(events)).toEqual([]);
    },
  },
  {
    name: 'a 421 at any step closes the connection (§3.8)',
    client: [EHLO, FROM, TO_BOB, NOOP],
    server: [EHLO_OK, SENDER_OK, '421 4.4.2 mx1.beta.example Error: timeout exceeded\r\n'],
    state: 'closed',
    options: { faults: [fault('RCPT', 421, '4.4.2', 'mx1.beta.example Error: timeout exceeded')] },
  },
  {
    name: 'a BDAT fault comes after its chunk, which is dropped',
    client: [EHLO, FROM, TO_BOB, 'BDAT 6\r\nQUIT\r\n', 'BDAT 0 LAST\r\n'],
    server: [EHLO_OK, SENDER_OK, RCPT_OK, '452 4.3.1 Insufficient system storage\r\n', queued(1)],
    state: 'ready',
    options: { faults: [fault('BDAT', 452, '4.3.1', 'Insufficient system storage', 1)] },
  },
]);
