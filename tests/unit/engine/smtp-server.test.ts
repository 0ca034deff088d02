/**
 * SMTP server conformance, organised by RFC 5321 section. Every case is a client
 * transcript and the exact bytes the server must answer (golden transcript), and every
 * case is run three ways — all bytes in one receive(), one byte per receive(), and random
 * splits under several seeds — which must yield identical events (see support.ts).
 */
import { describe, expect, it } from 'vitest';
import { text, utf8 } from '../../../src/engine/bytes';
import {
  SERVER_TRANSITIONS,
  ServerSession,
  type ServerEvent,
  type ServerPolicy,
  type ServerState,
} from '../../../src/engine/smtp/server';
import {
  CLIENT_ADDRESS,
  FIXED_DATE,
  SERVER_HOST,
  bytesOf,
  contentText,
  fakeContext,
  messageEvents,
  replyWires,
  runAllWays,
  runChunks,
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
const EHLO_OK =
  '250-mx1.beta.example\r\n' +
  '250-PIPELINING\r\n' +
  '250-SIZE 10240000\r\n' +
  '250-ENHANCEDSTATUSCODES\r\n' +
  '250 8BITMIME\r\n';
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
  /** Bytes the client sends after the greeting (concatenated). */
  client: (string | Uint8Array)[];
  /** Each reply the server sends, exactly as on the wire, in order. */
  server: string[];
  /** The session state after the last byte. */
  state: ServerState;
  policy?: Partial<ServerPolicy>;
  /** Further assertions on the (all-at-once) run. */
  check?: (run: Run) => void;
}

function suite(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const c of cases) {
      it(c.name, () => {
        const run = runAllWays(c.client, c.policy);
        expect(replyWires(run.events)).toEqual(c.server);
        // The golden transcript byte for byte, too (reply boundaries aside).
        expect(replyWires(run.events).join('')).toBe(c.server.join(''));
        expect(run.session.state).toBe(c.state);
        const closes = run.events.filter((e) => e.type === 'close').length;
        expect(closes).toBe(c.state === 'closed' ? 1 : 0);
        if (c.state === 'closed') expect(run.events.at(-1)).toEqual({ type: 'close' });
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
    server: [
      '250-mx1.beta.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n',
    ],
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
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SMTPUTF8\r\n'],
    server: [EHLO_OK, '555 5.5.4 Unsupported option: SMTPUTF8\r\n'],
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
    name: 'an RCPT parameter (none are advertised) → 555',
    client: [EHLO, FROM, 'RCPT TO:<bob@beta.example> NOTIFY=NEVER\r\n'],
    server: [EHLO_OK, SENDER_OK, '555 5.5.4 Unsupported option: NOTIFY\r\n'],
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
  /** Commands with arguments that succeed wherever they are in sequence. */
  const commands: Record<string, string> = {
    HELO: 'HELO laptop.alpha.example',
    EHLO: 'EHLO laptop.alpha.example',
    MAIL: 'MAIL FROM:<alice@alpha.example>',
    RCPT: 'RCPT TO:<bob@beta.example>',
    DATA: 'DATA',
    RSET: 'RSET',
    NOOP: 'NOOP',
    VRFY: 'VRFY bob',
    EXPN: 'EXPN staff',
    HELP: 'HELP',
    TURN: 'TURN',
    QUIT: 'QUIT',
  };
  /** How to reach each state from the greeting. */
  const reach: Record<Exclude<ServerState, 'data' | 'closed'>, string[]> = {
    greeted: [],
    ready: [EHLO],
    mail: [EHLO, FROM],
    rcpt: [EHLO, FROM, TO_BOB],
  };
  type Outcome = [code: number, next: ServerState];
  // Columns: greeted, ready, mail, rcpt.
  const expected: Record<string, [Outcome, Outcome, Outcome, Outcome]> = {
    HELO: [
      [250, 'ready'],
      [250, 'ready'],
      [250, 'ready'],
      [250, 'ready'],
    ],
    EHLO: [
      [250, 'ready'],
      [250, 'ready'],
      [250, 'ready'],
      [250, 'ready'],
    ],
    MAIL: [
      [503, 'greeted'],
      [250, 'mail'],
      [503, 'mail'],
      [503, 'rcpt'],
    ],
    RCPT: [
      [503, 'greeted'],
      [503, 'ready'],
      [250, 'rcpt'],
      [250, 'rcpt'],
    ],
    DATA: [
      [503, 'greeted'],
      [503, 'ready'],
      [503, 'mail'],
      [354, 'data'],
    ],
    RSET: [
      [250, 'greeted'],
      [250, 'ready'],
      [250, 'ready'],
      [250, 'ready'],
    ],
    NOOP: [
      [250, 'greeted'],
      [250, 'ready'],
      [250, 'mail'],
      [250, 'rcpt'],
    ],
    VRFY: [
      [252, 'greeted'],
      [252, 'ready'],
      [252, 'mail'],
      [252, 'rcpt'],
    ],
    EXPN: [
      [502, 'greeted'],
      [502, 'ready'],
      [502, 'mail'],
      [502, 'rcpt'],
    ],
    HELP: [
      [214, 'greeted'],
      [214, 'ready'],
      [214, 'mail'],
      [214, 'rcpt'],
    ],
    TURN: [
      [502, 'greeted'],
      [502, 'ready'],
      [502, 'mail'],
      [502, 'rcpt'],
    ],
    QUIT: [
      [221, 'closed'],
      [221, 'closed'],
      [221, 'closed'],
      [221, 'closed'],
    ],
  };

  it('the table covers exactly the verbs the server knows', () => {
    expect(Object.keys(SERVER_TRANSITIONS).sort()).toEqual(Object.keys(expected).sort());
  });

  const states = ['greeted', 'ready', 'mail', 'rcpt'] as const;
  for (const [verb, row] of Object.entries(expected)) {
    states.forEach((state, column) => {
      const [code, next] = row[column]!;
      it(`${verb} in "${state}" → ${code}, then "${next}"`, () => {
        const prefix = reach[state];
        const run = runAllWays([...prefix, `${commands[verb]}\r\n`]);
        const replies = run.events.filter((e) => e.type === 'reply');
        expect(replies).toHaveLength(prefix.length + 1);
        const last = replies.at(-1);
        expect(last?.type === 'reply' && last.reply.code).toBe(code);
        expect(run.session.state).toBe(next);
        // The table says whether the verb is in sequence here; 503/554 exactly when not.
        const inSequence = SERVER_TRANSITIONS[verb]!.from.includes(state);
        expect(inSequence).toBe(code !== 503);
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
    server: [
      '250-mx1.beta.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n',
      TOO_BIG,
    ],
    state: 'ready',
    policy: { maxMessageSize: 1000 },
  },
  {
    name: 'SIZE= equal to the limit is accepted',
    client: [EHLO, 'MAIL FROM:<alice@alpha.example> SIZE=1000\r\n'],
    server: [
      '250-mx1.beta.example\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n',
      SENDER_OK,
    ],
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
