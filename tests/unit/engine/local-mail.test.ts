/**
 * The engine pieces the shell's mail tools stand on: Mailstore.remove (mail's delete),
 * pickup (Postfix's local sendmail), the client's half of a TLS handshake, submitRaw
 * (msmtp), MAIL FROM without parameters (swaks) and a socket half-close (nc -N).
 */
import { describe, expect, it } from 'vitest';
import { text } from '../../../src/engine/bytes';
import { submitRaw, type RawSubmitResult } from '../../../src/engine/agents/mua';
import { pickup, uidOf } from '../../../src/engine/agents/pickup';
import { tlsHandshake } from '../../../src/engine/agents/smtp-client';
import type { Socket } from '../../../src/engine/net/socket';
import { builtInScenario } from '../../../src/engine/scenario';
import { ClientSession } from '../../../src/engine/smtp/client';
import { World } from '../../../src/engine/world';

const world = () => new World(builtInScenario('default'));
const LAPTOP = 'laptop.alpha.example';

function logs(w: World): string[] {
  return w.trace.events.flatMap((e) => (e.type === 'log' ? [`${e.program}: ${e.text}`] : []));
}

describe('Mailstore.remove', () => {
  it('takes one message out of a mailbox, as a new array; twice is false', () => {
    const w = world();
    const id = pickup(w, {
      host: 'mx1.beta.example',
      user: 'root',
      from: { local: 'root', domain: 'mx1.beta.example' },
      recipients: [{ local: 'bob', domain: 'beta.example' }],
      content: 'Subject: x\n\nhi\n',
    });
    w.settle();
    const store = w.mailstore('mx1.beta.example')!;
    const before = store.messages('bob');
    expect(before.map((m) => m.queueId)).toEqual([id]);
    expect(store.remove('bob', before[0]!)).toBe(true);
    expect(store.messages('bob')).toEqual([]);
    expect(before).toHaveLength(1); // the old array is untouched
    expect(store.remove('bob', before[0]!)).toBe(false);
    expect(store.remove('nobody', before[0]!)).toBe(false);
  });
});

describe('pickup (local submission)', () => {
  it('adds Received, Message-Id, Date and From, logs pickup and cleanup, and queues', () => {
    const w = world();
    const id = pickup(w, {
      host: 'mail.alpha.example',
      user: 'alice',
      from: { local: 'alice', domain: 'mail.alpha.example' },
      recipients: [{ local: 'alice', domain: 'alpha.example' }],
      content: 'Subject: note\n\nline\n',
    });
    expect(id).toMatch(/^[0-9A-F]{10}$/);
    w.settle();
    const [message] = w.mailstore('mail.alpha.example')!.messages('alice');
    expect(message?.raw).toBe(
      'Return-Path: <alice@mail.alpha.example>\r\nDelivered-To: alice@alpha.example\r\n' +
        `Received: by mail.alpha.example (SMTP Lab, from userid 1000)\r\n\tid ${id}; Mon, 5 Jan 2026 09:00:00 +0000\r\n` +
        `Subject: note\r\nMessage-Id: <20260105090000.${id}@mail.alpha.example>\r\n` +
        'Date: Mon, 5 Jan 2026 09:00:00 +0000\r\nFrom: alice <alice@mail.alpha.example>\r\n\r\nline\r\n',
    );
    expect(logs(w).slice(0, 3)).toEqual([
      `postfix/pickup: ${id}: uid=1000 from=<alice>`,
      `postfix/cleanup: ${id}: message-id=<20260105090000.${id}@mail.alpha.example>`,
      `postfix/qmgr: ${id}: from=<alice@mail.alpha.example>, size=${message!.raw.length - 'Return-Path: <alice@mail.alpha.example>\r\nDelivered-To: alice@alpha.example\r\n'.length}, nrcpt=1 (queue active)`,
    ]);
  });

  it('keeps headers the message has, logs the sender as given, expands aliases', () => {
    const scenario = builtInScenario('default');
    const w = new World({
      ...scenario,
      aliases: [{ address: 'team@beta.example', to: ['bob@beta.example', 'carol@beta.example'] }],
    });
    pickup(w, {
      host: 'mx1.beta.example',
      user: 'root',
      from: { local: 'postmaster', domain: 'beta.example' },
      given: 'postmaster@beta.example',
      recipients: [{ local: 'team', domain: 'beta.example' }],
      content:
        'From: The Team <postmaster@beta.example>\nDate: Sun, 4 Jan 2026 12:00:00 +0000\nMessage-Id: <x@y>\n\nhi\n',
    });
    w.settle();
    const store = w.mailstore('mx1.beta.example')!;
    expect(store.messages('bob')).toHaveLength(1);
    expect(store.messages('carol')).toHaveLength(1);
    const raw = store.messages('bob')[0]!.raw;
    expect(raw.match(/^(From|Date|Message-Id):/gim)).toEqual(['From:', 'Date:', 'Message-Id:']);
    expect(logs(w)[0]).toMatch(
      /^postfix\/pickup: [0-9A-F]{10}: uid=0 from=<postmaster@beta\.example>$/,
    );
  });

  it('gives root uid 0 and the scenario’s people uids from 1000', () => {
    const w = world();
    expect([uidOf(w, 'root'), uidOf(w, 'alice'), uidOf(w, 'bob'), uidOf(w, 'nobody')]).toEqual([
      0, 1000, 1002, 1004,
    ]);
  });
});

describe('tlsHandshake (the client’s half)', () => {
  it('takes one round trip, then marks the client socket secure', () => {
    const w = world();
    let socket: Socket | undefined;
    let doneAt = -1;
    w.net.connect(LAPTOP, '203.0.113.25', 465, {
      onConnect: (s) => {
        socket = s;
        tlsHandshake(w, s, () => (doneAt = w.clock.now));
      },
      onError: () => {},
    });
    w.advance(1000);
    // 465 is not open on mx1: use 25, and check the timing there.
    expect(socket).toBeUndefined();
    w.net.connect(LAPTOP, '203.0.113.25', 25, {
      onConnect: (s) => {
        socket = s;
        const start = w.clock.now;
        expect(s.secure).toBe(false);
        tlsHandshake(w, s, () => (doneAt = w.clock.now - start));
      },
      onError: () => {},
    });
    w.advance(1000);
    expect(doneAt).toBe(2 * w.net.latency(LAPTOP, 'mx1.beta.example'));
    expect(socket?.secure).toBe(true);
  });

  it('does nothing once the socket is closed', () => {
    const w = world();
    let called = false;
    w.net.connect(LAPTOP, '203.0.113.25', 25, {
      onConnect: (s) => {
        tlsHandshake(w, s, () => (called = true));
        s.close();
      },
      onError: () => {},
    });
    w.advance(1000);
    expect(called).toBe(false);
  });
});

describe('submitRaw', () => {
  const submission = {
    host: LAPTOP,
    server: { host: 'mail.alpha.example', port: 587 },
    account: { username: 'alice', password: 'wonderland' },
    from: 'alice@alpha.example',
    recipients: ['bob@beta.example'],
    content: 'Subject: raw\r\n\r\nas it is\r\n',
  };

  it('submits the message unchanged with STARTTLS and AUTH', () => {
    const w = world();
    let result: RawSubmitResult | undefined;
    submitRaw(w, submission, (r) => (result = r));
    w.settle();
    expect(result?.ok).toBe(true);
    const raw = w.mailstore('mx1.beta.example')!.messages('bob')[0]!.raw;
    expect(raw).toMatch(/with ESMTPSA id [0-9A-F]{10}[^]*\r\nSubject: raw\r\n\r\nas it is\r\n$/);
  });

  it('reports a refused connection and a refused recipient', () => {
    const w = world();
    const results: RawSubmitResult[] = [];
    submitRaw(w, { ...submission, server: { host: 'mail.alpha.example', port: 2525 } }, (r) =>
      results.push(r),
    );
    submitRaw(w, { ...submission, recipients: ['nobody@alpha.example'] }, (r) => results.push(r));
    submitRaw(w, { ...submission, recipients: ['not an address'] }, (r) => results.push(r));
    w.settle();
    expect(results).toMatchObject([
      { ok: false, error: 'invalid address: not an address' },
      {
        ok: false,
        connect: 'port-closed',
        error: 'connect to mail.alpha.example[192.0.2.25]:2525: Connection refused',
      },
      { ok: false, error: expect.stringMatching(/^550 5\.1\.1 <nobody@alpha\.example>/) },
    ]);
  });
});

describe('ClientSession mailParameters', () => {
  it('leaves SIZE and BODY off MAIL FROM when false', () => {
    const lines = (mailParameters: boolean | undefined) => {
      const session = new ClientSession({
        helo: 'x.example',
        from: { local: 'a', domain: 'x.example' },
        recipients: [{ local: 'b', domain: 'y.example' }],
        content: 'Subject: é\r\n\r\n8-bit\r\n',
        options: {
          starttls: 'never',
          pipelining: false,
          ...(mailParameters === undefined ? {} : { mailParameters }),
        },
      });
      const sent: string[] = [];
      const feed = (s: string) =>
        session.receive(new TextEncoder().encode(s)).forEach((e) => {
          if (e.type === 'command') sent.push(e.line);
        });
      feed('220 y.example ESMTP\r\n');
      feed('250-y.example\r\n250-SIZE 1000\r\n250 8BITMIME\r\n');
      return sent.find((l) => l.startsWith('MAIL'));
    };
    expect(lines(undefined)).toBe('MAIL FROM:<a@x.example> SIZE=22 BODY=8BITMIME');
    expect(lines(false)).toBe('MAIL FROM:<a@x.example>');
  });
});

describe('Socket.shutdown (half-close)', () => {
  it('sends a FIN but keeps reading until the peer closes', () => {
    const w = world();
    let got = '';
    let closed = false;
    w.net.connect(LAPTOP, '203.0.113.25', 25, {
      onConnect: (s) => {
        s.on({
          onData: (d) => (got += text(d)),
          onClose: () => {
            closed = true;
            s.close();
          },
        });
        s.write('NOOP\r\n');
        s.shutdown();
        s.write('ignored\r\n');
      },
      onError: () => {},
    });
    w.settle();
    expect(got).toBe('220 mx1.beta.example ESMTP SMTP Lab\r\n250 2.0.0 Ok\r\n');
    expect(closed).toBe(true);
    const closes = w.trace.events.filter((e) => e.type === 'net.close');
    expect(closes.map((e) => e.type === 'net.close' && e.by)).toEqual([LAPTOP, 'mx1.beta.example']);
  });
});
