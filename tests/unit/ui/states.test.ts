/**
 * The "SMTP states" view's derivation against the real engine: sessions are run through a
 * ServerSession, its events recorded as the trace would hold them, and after every piece
 * the client sends the state replayed from that trace must be the session's own state.
 * Then the same through a whole world (telnet on the laptop, the real smtpd).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/engine/base64';
import { utf8 } from '../../../src/engine/bytes';
import { R } from '../../../src/engine/smtp/reply';
import {
  SERVER_STATES,
  ServerSession,
  type ServerEvent,
  type ServerPolicy,
} from '../../../src/engine/smtp/server';
import type { TraceEvent, TraceEventBody } from '../../../src/engine/trace';
import {
  allowedVerbs,
  anytimeVerbs,
  describeStates,
  replaySession,
  verbsBetween,
  type SessionStates,
  type StateStep,
} from '../../../src/ui/diagram/states';
import { StateChart } from '../../../src/ui/diagram/StateChart';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import {
  CLIENT_ADDRESS,
  HANDSHAKE,
  SERVER_HOST,
  fakeContext,
  type ContextOptions,
  type Piece,
} from '../engine/support';
import { run } from './support';

const EHLO = 'EHLO laptop.alpha.example\r\n';
const FROM = 'MAIL FROM:<alice@alpha.example>\r\n';
const TO_BOB = 'RCPT TO:<bob@beta.example>\r\n';
const TO_CAROL = 'RCPT TO:<carol@beta.example>\r\n';
const PLAIN_ALICE = base64Encode(utf8('\0alice\0wonderland'));
const AUTH_POLICY = { mechanisms: ['PLAIN', 'LOGIN'], required: false, tlsOnly: false } as const;

interface Driven {
  derived: SessionStates;
  /** The session's own state after each piece (the greeting first). */
  states: string[];
}

/**
 * Run `pieces` (each one receive(), HANDSHAKE completing TLS) through a ServerSession,
 * recording its events as smtpd traces them; after each, the replayed state must be the
 * session's. `early` is sent before the greeting.
 */
function drive(
  pieces: readonly Piece[],
  policy: Partial<ServerPolicy> = {},
  options: ContextOptions & { early?: string } = {},
): Driven {
  const session = new ServerSession(fakeContext(policy, options));
  const trace: TraceEvent[] = [];
  const emit = (body: TraceEventBody) =>
    trace.push({ ...body, id: trace.length + 1, t: 0 } as TraceEvent);
  const conn = 'c1';
  const server = SERVER_HOST;
  const record = (events: ServerEvent[]) => {
    for (const e of events) {
      if (e.type === 'command')
        emit({ type: 'smtp.command', conn, server, verb: e.verb, line: e.line });
      if (e.type === 'reply') {
        const lines = e.wire.split('\r\n').slice(0, -1);
        emit({ type: 'smtp.reply', conn, server, code: e.reply.code, lines });
      }
      if (e.type === 'data')
        emit({ type: 'smtp.data', conn, server, bytes: e.bytes, lines: e.lines });
      if (e.type === 'close') emit({ type: 'net.close', conn, by: server });
    }
  };
  const states: string[] = [];
  const check = (what: string) => {
    const derived = replaySession(trace);
    expect(derived.state, `after ${JSON.stringify(what)}`).toBe(session.state);
    states.push(session.state);
  };
  emit({
    type: 'net.connect',
    conn,
    from: { host: 'laptop.alpha.example', address: CLIENT_ADDRESS, port: 49152 },
    to: { host: server, address: '203.0.113.25', port: 25 },
  });
  emit({ type: 'net.established', conn });
  if (options.early) session.receive(utf8(options.early));
  record(session.start());
  check('greeting');
  for (const piece of pieces) {
    if (piece === HANDSHAKE) {
      const events = session.tlsEstablished();
      emit({
        type: 'tls.handshake',
        conn,
        server,
        version: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        implicit: false,
        discarded: 0,
      });
      record(events);
    } else record(session.receive(typeof piece === 'string' ? utf8(piece) : piece));
    check(typeof piece === 'symbol' ? 'handshake' : String(piece));
  }
  return { derived: replaySession(trace), states };
}

/** A step as "LINE code from→to kind", short enough to compare whole lists. */
const show = (s: StateStep) => `${s.line} ${s.code ?? '-'} ${s.from ?? '∅'}→${s.to} ${s.kind}`;

describe('replaying a session through the transition table', () => {
  it('follows a whole transaction in the right order, back to ready', () => {
    const { derived, states } = drive([
      EHLO,
      FROM,
      TO_BOB,
      'DATA\r\n',
      'Subject: hi\r\n',
      '\r\nHello.\r\n',
      '.\r\n',
      'QUIT\r\n',
    ]);
    expect(states).toEqual([
      'greeted',
      'ready',
      'mail',
      'rcpt',
      'data',
      'data',
      'data',
      'ready',
      'closed',
    ]);
    expect(derived.steps.map(show)).toEqual([
      'greeting 220 ∅→greeted greeting',
      'EHLO laptop.alpha.example 250 greeted→ready ok',
      'MAIL FROM:<alice@alpha.example> 250 ready→mail ok',
      'RCPT TO:<bob@beta.example> 250 mail→rcpt ok',
      'DATA 354 rcpt→data ok',
      'message text (3 lines) 250 data→ready text',
      'QUIT 221 ready→closed ok',
    ]);
    expect(derived.steps[5]?.text).toBe('2.0.0 Ok: queued as ABCDEF0001');
  });

  it('refuses commands out of sequence with 503 and leaves the state as it was', () => {
    const { derived } = drive([
      FROM,
      EHLO,
      'DATA\r\n',
      TO_BOB,
      FROM,
      FROM,
      'FOO bar\r\n',
      '\r\n',
      TO_BOB,
      'BDAT 4 LAST\r\nabcd',
      TO_CAROL,
    ]);
    expect(derived.steps.map(show).slice(1)).toEqual([
      'MAIL FROM:<alice@alpha.example> 503 greeted→greeted sequence',
      'EHLO laptop.alpha.example 250 greeted→ready ok',
      'DATA 503 ready→ready sequence',
      'RCPT TO:<bob@beta.example> 503 ready→ready sequence',
      'MAIL FROM:<alice@alpha.example> 250 ready→mail ok',
      'MAIL FROM:<alice@alpha.example> 503 mail→mail sequence',
      'FOO bar 500 mail→mail unknown',
      ' 500 mail→mail unknown',
      'RCPT TO:<bob@beta.example> 250 mail→rcpt ok',
      'BDAT 4 LAST 250 rcpt→ready ok',
      'RCPT TO:<carol@beta.example> 503 ready→ready sequence',
    ]);
    expect(derived.steps[3]?.text).toBe('5.5.1 Error: need RCPT command');
    expect(derived.steps[4]?.text).toBe('5.5.1 Error: need MAIL command');
  });

  it('tells a refused recipient (in sequence) from one out of sequence; 554 no valid recipients', () => {
    const { derived } = drive([EHLO, FROM, TO_CAROL, 'DATA\r\n', TO_BOB]);
    expect(derived.steps.map(show).slice(3)).toEqual([
      'RCPT TO:<carol@beta.example> 550 mail→mail failed',
      'DATA 554 mail→mail sequence',
      'RCPT TO:<bob@beta.example> 250 mail→rcpt ok',
    ]);
  });

  it('RSET, HELO and EHLO end a transaction; RSET before EHLO stays greeted', () => {
    const { states } = drive([
      'RSET\r\n',
      EHLO,
      FROM,
      'RSET\r\n',
      FROM,
      TO_BOB,
      'HELO laptop.alpha.example\r\n',
      FROM,
      TO_BOB,
      EHLO,
      'RSET now\r\n',
      'NOOP\r\n',
    ]);
    expect(states).toEqual([
      'greeted',
      'greeted',
      'ready',
      'mail',
      'ready',
      'mail',
      'rcpt',
      'ready',
      'mail',
      'rcpt',
      'ready',
      'ready',
      'ready',
    ]);
  });

  it('STARTTLS: tls, then greeted after the handshake, knowing no EHLO; MAIL there is 503', () => {
    const { derived, states } = drive(
      [EHLO, 'STARTTLS\r\n', HANDSHAKE, FROM, EHLO, FROM, 'STARTTLS\r\n'],
      { tls: 'may' },
    );
    expect(states).toEqual([
      'greeted',
      'ready',
      'tls',
      'greeted',
      'greeted',
      'ready',
      'mail',
      'mail',
    ]);
    expect(derived.steps.map(show).slice(2, 5)).toEqual([
      'STARTTLS 220 ready→tls ok',
      'TLS handshake - tls→greeted tls',
      'MAIL FROM:<alice@alpha.example> 503 greeted→greeted sequence',
    ]);
    expect(derived.steps.at(-1)?.kind).toBe('sequence');
  });

  it('an extension the policy lacks is not offered (502), in or out of sequence', () => {
    const { derived } = drive(
      [EHLO, 'STARTTLS\r\n', FROM, 'AUTH PLAIN\r\n', TO_BOB, 'BDAT 1\r\nx'],
      {
        extensions: ['PIPELINING', 'SIZE'],
      },
    );
    expect(derived.steps.map(show).slice(2)).toEqual([
      'STARTTLS 502 ready→ready not-offered',
      'MAIL FROM:<alice@alpha.example> 250 ready→mail ok',
      'AUTH PLAIN 502 mail→mail not-offered',
      'RCPT TO:<bob@beta.example> 250 mail→rcpt ok',
      'BDAT 1 502 rcpt→rcpt not-offered',
    ]);
    expect(derived.state).toBe('rcpt');
  });

  it('AUTH: 235 at once stays ready; a SASL exchange goes through auth and ends in ready', () => {
    const { derived, states } = drive(
      [
        'AUTH LOGIN\r\n',
        EHLO,
        'AUTH LOGIN\r\n',
        `${base64Encode(utf8('alice'))}\r\n`,
        `${base64Encode(utf8('wrong'))}\r\n`,
        'AUTH PLAIN\r\n',
        '*\r\n',
        `AUTH PLAIN ${PLAIN_ALICE}\r\n`,
        `AUTH PLAIN ${PLAIN_ALICE}\r\n`,
        FROM,
        'AUTH PLAIN\r\n',
      ],
      { auth: AUTH_POLICY },
    );
    expect(states).toEqual([
      'greeted',
      'greeted',
      'ready',
      'auth',
      'auth',
      'ready',
      'auth',
      'ready',
      'ready',
      'ready',
      'mail',
      'mail',
    ]);
    expect(derived.steps.map(show).slice(3, 10)).toEqual([
      'AUTH LOGIN 334 ready→auth ok',
      '[credentials] 334 auth→auth sasl',
      '[credentials] 535 auth→ready sasl',
      'AUTH PLAIN 334 ready→auth ok',
      '* 501 auth→ready sasl',
      'AUTH PLAIN **** 235 ready→ready ok',
      'AUTH PLAIN **** 503 ready→ready failed',
    ]);
    expect(derived.steps.at(-1)?.kind).toBe('sequence');
  });

  it('BDAT: chunks stay in bdat, LAST ends in ready, DATA after BDAT is 503', () => {
    const { derived, states } = drive([
      EHLO,
      FROM,
      TO_BOB,
      'BDAT 5\r\nhello',
      'DATA\r\n',
      'BDAT x\r\n',
      'BDAT 3 LAST\r\nabc',
      FROM,
      TO_BOB,
      'BDAT 2 LAST\r\n',
      'hi',
    ]);
    expect(states).toEqual([
      'greeted',
      'ready',
      'mail',
      'rcpt',
      'bdat',
      'bdat',
      'bdat',
      'ready',
      'mail',
      'rcpt',
      'rcpt',
      'ready',
    ]);
    expect(derived.steps.map(show).slice(4, 8)).toEqual([
      'BDAT 5 250 rcpt→bdat ok',
      'DATA 503 bdat→bdat sequence',
      'BDAT x 501 bdat→bdat failed',
      'BDAT 3 LAST 250 bdat→ready ok',
    ]);
    // The command waits for its chunk before it is answered.
    expect(derived.waiting).toBeUndefined();
  });

  it('BDAT: a chunk over the size limit ends the transaction', () => {
    const { derived } = drive([EHLO, FROM, TO_BOB, 'BDAT 40\r\n', 'x'.repeat(40), 'BDAT 2\r\nhi'], {
      maxMessageSize: 30,
    });
    expect(derived.steps.map(show).slice(4)).toEqual([
      'BDAT 40 552 rcpt→ready failed',
      'BDAT 2 503 ready→ready sequence',
    ]);
  });

  it('a 554 greeting: refused, every command but QUIT 503, QUIT closes', () => {
    const { derived, states } = drive(
      [EHLO, 'NOOP\r\n', 'FOO\r\n', 'QUIT\r\n'],
      {},
      { refused: true },
    );
    expect(states).toEqual(['refused', 'refused', 'refused', 'refused', 'closed']);
    expect(derived.steps.map(show)).toEqual([
      'greeting 554 ∅→refused greeting',
      'EHLO laptop.alpha.example 503 refused→refused sequence',
      'NOOP 503 refused→refused sequence',
      'FOO 503 refused→refused unknown',
      'QUIT 221 refused→closed ok',
    ]);
    expect(allowedVerbs('refused', undefined).map((v) => v.verb)).toEqual(['QUIT']);
  });

  it('a client that talks before the greeting: 554, then only QUIT', () => {
    const { derived } = drive(['QUIT\r\n'], {}, { early: EHLO });
    expect(derived.steps.map(show)).toEqual([
      'greeting 554 ∅→refused greeting',
      'EHLO laptop.alpha.example 503 refused→refused sequence',
      'QUIT 221 refused→closed ok',
    ]);
  });

  it('too many errors: the server hangs up with 421', () => {
    const { derived } = drive(Array.from({ length: 25 }, () => 'FOO\r\n'));
    expect(derived.state).toBe('closed');
    expect(derived.steps.at(-1)).toMatchObject({ kind: 'closed', code: 421 });
  });

  it('injected replies: 451 to the message text ends in ready; 421 to MAIL closes', () => {
    const text = drive(
      [EHLO, FROM, TO_BOB, 'DATA\r\n', 'hi\r\n.\r\n'],
      {},
      {
        faults: [{ step: 'DATA-END', reply: R.storageFull() }],
      },
    );
    expect(text.derived.steps.at(-1)).toMatchObject({ kind: 'text', code: 452, to: 'ready' });
    const mail = drive(
      [EHLO, FROM],
      {},
      {
        faults: [{ step: 'MAIL', reply: R.shutdown(SERVER_HOST) }],
      },
    );
    expect(mail.derived.state).toBe('closed');
    const greeting = drive(
      [],
      {},
      { faults: [{ step: 'CONNECT', reply: R.shutdown(SERVER_HOST) }] },
    );
    expect(greeting.derived.steps.map(show)).toEqual(['greeting 421 ∅→closed greeting']);
  });

  it('pipelined commands give the same states as one at a time', () => {
    const { derived } = drive([`${EHLO}${FROM}${TO_BOB}DATA\r\nhi\r\n.\r\n${FROM}`]);
    expect(derived.steps.map((s) => s.to)).toEqual([
      'greeted',
      'ready',
      'mail',
      'rcpt',
      'data',
      'ready',
      'mail',
    ]);
  });
});

describe('what may be said next', () => {
  it('lists the verbs the table allows, extensions checked against the last EHLO', () => {
    const { derived } = drive([EHLO, FROM], { extensions: ['PIPELINING', 'SIZE', 'CHUNKING'] });
    expect(derived.keywords).toEqual(new Set(['PIPELINING', 'SIZE', 'CHUNKING']));
    const mail = allowedVerbs('mail', derived.keywords);
    expect(mail.map((v) => v.verb)).toContain('RCPT');
    expect(mail.map((v) => v.verb)).not.toContain('DATA');
    const rcpt = allowedVerbs('rcpt', derived.keywords);
    expect(rcpt.find((v) => v.verb === 'BDAT')).toEqual({ verb: 'BDAT', notOffered: false });
    const ready = allowedVerbs('ready', derived.keywords);
    expect(ready.filter((v) => v.notOffered).map((v) => v.verb)).toEqual(['STARTTLS', 'AUTH']);
  });

  it("reads the EHLO reply as the engine's client does: AUTH=PLAIN (pre-RFC 4954) offers AUTH", () => {
    const event = (body: TraceEventBody, id: number) => ({ ...body, id, t: 0 }) as TraceEvent;
    const reply = (code: number, lines: string[]): TraceEventBody =>
      ({ type: 'smtp.reply', conn: 'c1', server: 'mx', code, lines }) as TraceEventBody;
    const command = (verb: string): TraceEventBody =>
      ({
        type: 'smtp.command',
        conn: 'c1',
        server: 'mx',
        verb,
        line: `${verb} x`,
      }) as TraceEventBody;
    const derived = replaySession(
      [
        reply(220, ['220 mx ESMTP']),
        command('EHLO'),
        reply(250, ['250-mx', '250-AUTH=PLAIN LOGIN', '250 starttls']),
      ].map(event),
    );
    expect(derived.keywords).toEqual(new Set(['AUTH', 'STARTTLS']));
    expect(allowedVerbs('ready', derived.keywords).filter((v) => v.notOffered)).toEqual([]);
  });

  it('puts the moves forward first, then hellos and the verbs allowed everywhere', () => {
    expect(allowedVerbs('mail', undefined).map((v) => v.verb)).toEqual([
      'RCPT',
      'HELO',
      'EHLO',
      'RSET',
      'NOOP',
      'VRFY',
      'EXPN',
      'HELP',
      'TURN',
      'QUIT',
    ]);
    expect(
      allowedVerbs('greeted', undefined)
        .map((v) => v.verb)
        .slice(0, 2),
    ).toEqual(['HELO', 'EHLO']);
  });

  it('says it all in words for screen readers', () => {
    const { derived } = drive([EHLO, 'DATA\r\n', FROM], { tls: 'may' });
    expect(describeStates(derived, 'laptop to mx1')).toEqual([
      "SMTP session from laptop to mx1, the server's state: mail.",
      'In sequence now: RCPT, HELO, EHLO, RSET, NOOP, VRFY, EXPN, HELP, TURN, QUIT.',
      'Step 1: greeting: 220: connect → greeted.',
      'Step 2: EHLO laptop.alpha.example: 250: greeted → ready.',
      'Step 3: DATA: refused: out of sequence (503), state stays ready.',
      'Step 4: MAIL FROM:<alice@alpha.example>: 250: ready → mail.',
    ]);
    const ready = drive([EHLO], { extensions: ['SIZE'] });
    expect(describeStates(ready.derived, 'a to b').slice(1, 3)).toEqual([
      'In sequence now: MAIL, HELO, EHLO, RSET, NOOP, VRFY, EXPN, HELP, TURN, QUIT.',
      'In sequence but not offered by the server: STARTTLS, AUTH.',
    ]);
  });

  it('after HELO, or a handshake without a new EHLO, no extension counts as offered', () => {
    const helo = drive(['HELO x\r\n']);
    expect(helo.derived.keywords).toBeUndefined();
    const tls = drive([EHLO, 'STARTTLS\r\n', HANDSHAKE], { tls: 'may' });
    expect(tls.derived.keywords).toBeUndefined();
    expect(allowedVerbs('rcpt', undefined).find((v) => v.verb === 'BDAT')?.notOffered).toBe(true);
  });

  it('nothing is a command while reading message text, in SASL, waiting for TLS or closed', () => {
    for (const state of ['data', 'auth', 'tls', 'closed'] as const) {
      expect(allowedVerbs(state, undefined)).toEqual([]);
    }
  });

  it('draws its edges and caption from the table', () => {
    expect(anytimeVerbs()).toEqual(['RSET', 'NOOP', 'VRFY', 'EXPN', 'HELP', 'TURN', 'QUIT']);
    expect(verbsBetween('greeted', 'ready')).toEqual(['HELO', 'EHLO']);
    expect(verbsBetween('ready', 'mail')).toEqual(['MAIL']);
    expect(verbsBetween('mail', 'ready')).toEqual(['HELO', 'EHLO', 'RSET']);
    expect(verbsBetween('rcpt', 'bdat')).toEqual(['BDAT']);
    expect(verbsBetween('ready', 'auth')).toEqual(['AUTH']);
    expect(verbsBetween('ready', 'tls')).toEqual(['STARTTLS']);
    // Every state the engine has is one the view knows.
    expect(SERVER_STATES).toHaveLength(10);
  });
});

describe('in a running world', () => {
  it('telnet to mx1: DATA too early is 503 and the state stays ready; MAIL moves on', () => {
    const rt = run('default', [
      'telnet mx1.beta.example 25',
      'EHLO x',
      'DATA',
      'MAIL FROM:<a@alpha.example>',
    ]);
    const index = traceIndex(rt.lab.world);
    const conn = index.sessions.at(-1)!;
    const derived = replaySession(index.conns.get(conn)!.events.map((i) => index.events[i]!));
    expect(derived.steps.map(show)).toEqual([
      'greeting 220 ∅→greeted greeting',
      'EHLO x 250 greeted→ready ok',
      'DATA 503 ready→ready sequence',
      'MAIL FROM:<a@alpha.example> 250 ready→mail ok',
    ]);
    expect(derived.keywords?.has('CHUNKING')).toBe(true);
  });

  it('a submission with AUTH and QUIT ends closed', () => {
    const rt = run('default', [
      'telnet mail.alpha.example 587',
      'EHLO laptop.alpha.example',
      'AUTH PLAIN AGFsaWNlAHdvbmRlcmxhbmQ=',
      'MAIL FROM:<alice@alpha.example>',
      'RCPT TO:<bob@beta.example>',
      'DATA',
      'Subject: hi',
      '',
      'Hi.',
      '.',
      'QUIT',
    ]);
    const index = traceIndex(rt.lab.world);
    const conn = index.sessions[0]!;
    const derived = replaySession(index.conns.get(conn)!.events.map((i) => index.events[i]!));
    expect(derived.steps.map((s) => `${s.to}`)).toEqual([
      'greeted',
      'ready',
      'ready',
      'mail',
      'rcpt',
      'data',
      'ready',
      'closed',
    ]);
  });
});

describe('the chart', () => {
  /** The chart for the session `pieces` make, as markup. */
  const chart = (pieces: readonly Piece[]) => {
    const { derived } = drive(pieces);
    return renderToStaticMarkup(
      createElement(StateChart, {
        state: derived.state,
        last: derived.steps.at(-1),
        title: 't',
        testId: 'c',
      }),
    );
  };
  const taken = (html: string) =>
    [...html.matchAll(/data-edge="([^"]+)" data-taken/g)].map((m) => m[1]);

  it('highlights the edge an accepted command took, with its code', () => {
    const html = chart([EHLO, FROM, TO_BOB, TO_BOB]);
    expect(taken(html)).toEqual(['rcpt-rcpt']);
    expect(html).toContain('data-testid="last-code">250<');
    expect(html).toMatch(/data-state="rcpt" data-current="true"/);
  });

  it('draws a refusal as a red mark in the tag, no edge taken', () => {
    const html = chart([EHLO, FROM, TO_BOB, TO_CAROL]);
    expect(taken(html)).toEqual([]);
    expect(html).toContain('data-testid="refused-mark">✗ RCPT 550<');
    expect(html).toContain('▼ you are here');
  });

  it('names the state in every box, with no "you are here" before the greeting', () => {
    const html = renderToStaticMarkup(
      createElement(StateChart, { state: undefined, last: undefined, title: 't', testId: 'c' }),
    );
    for (const state of SERVER_STATES) expect(html).toContain(`data-state="${state}"`);
    expect(html).not.toContain('you are here');
  });
});
