/**
 * The SMTP daemon in a running world: the services of the default scenario (MX on 25,
 * submission on 587, implicit TLS on 465), the policies a scenario gives a service (relay
 * rules, greylisting, refused clients, greet pause, faults, a full disk), the STARTTLS
 * handshake as the trace shows it and as `lab bridge` can take it over, and shutdown.
 */
import { describe, expect, it } from 'vitest';
import { base64Encode } from '../../../src/engine/base64';
import { text, utf8 } from '../../../src/engine/bytes';
import { submit, type SubmitResult } from '../../../src/engine/agents/mua';
import type { StartTlsRequest } from '../../../src/engine/agents/smtpd';
import type { Socket } from '../../../src/engine/net/socket';
import { parseScenario, type ScenarioInput } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import type { TraceEvent } from '../../../src/engine/trace';
import { World } from '../../../src/engine/world';

const LAPTOP = 'laptop.alpha.example';
const MSA = { name: 'mail.alpha.example', address: '192.0.2.25' };
const MX1 = { name: 'mx1.beta.example', address: '203.0.113.25' };
const MX2 = { name: 'mx2.beta.example', address: '203.0.113.26' };

const EHLO = 'EHLO laptop.alpha.example\r\n';
const FROM = 'MAIL FROM:<alice@alpha.example>\r\n';
const TO_BOB = 'RCPT TO:<bob@beta.example>\r\n';
const PLAIN_ALICE = base64Encode(utf8('\0alice\0wonderland'));
const MESSAGE = 'Subject: hi\r\n\r\nHello Bob.\r\n.\r\n';

/** The default world, with `edit` applied to a copy of its scenario first. */
function world(edit: (s: ScenarioInput) => void = () => {}): World {
  const copy = structuredClone(defaultScenario);
  edit(copy);
  return new World(parseScenario(copy, 'test'));
}

/** Replace the SMTP services of one host. */
function services(host: string, smtp: NonNullable<ScenarioInput['hosts'][number]['smtp']>) {
  return (s: ScenarioInput) => {
    s.hosts.find((h) => h.name === host)!.smtp = smtp;
  };
}

const REPLY = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/;

interface Dialog {
  replies: string[];
  closedByServer: boolean;
  socket?: Socket;
}

/** A lock-step client: after each complete reply it sends the next step. */
function converse(w: World, to: string, port: number, steps: string[]): Dialog {
  const dialog: Dialog = { replies: [], closedByServer: false };
  const queue = [...steps];
  let pending = '';
  w.net.connect(LAPTOP, to, port, {
    onConnect(socket) {
      dialog.socket = socket;
      socket.on({
        onData(data) {
          pending += text(data);
          for (let m = REPLY.exec(pending); m; m = REPLY.exec(pending)) {
            dialog.replies.push(m[0]);
            pending = pending.slice(m[0].length);
            const next = queue.shift();
            if (next !== undefined) socket.write(next);
          }
        },
        onClose() {
          dialog.closedByServer = true;
          socket.close();
        },
      });
    },
    onError() {},
  });
  w.settle();
  return dialog;
}

/** A client under manual control: write, settle, read what came. */
function open(w: World, to: string, port: number) {
  let received = '';
  let closed = false;
  let socket: Socket | undefined;
  w.net.connect(LAPTOP, to, port, {
    onConnect(s) {
      socket = s.on({
        onData: (data) => void (received += text(data)),
        onClose: () => void (closed = true),
      });
    },
    onError() {},
  });
  return {
    /** Write now (no settling): to talk before the greeting, say. */
    writeNow: (data: string) => socket!.write(data),
    send(data: string) {
      socket!.write(data);
      w.settle();
    },
    /** Everything received since the last call. */
    take(): string {
      const out = received;
      received = '';
      return out;
    },
    get closed() {
      return closed;
    },
  };
}

const ofType = <T extends TraceEvent['type']>(w: World, type: T) =>
  w.trace.events.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);

const codes = (dialog: Dialog) => dialog.replies.map((r) => Number(r.slice(0, 3)));

describe('the default world: mail.alpha.example on 25, 587 and 465', () => {
  it('listens on all three; only the submission ports offer AUTH, only 25 and 587 STARTTLS', () => {
    const w = world();
    const ehlo = (port: number) => converse(w, MSA.address, port, [EHLO, 'QUIT\r\n']).replies[1];
    expect(ehlo(25)).toContain('250-STARTTLS\r\n');
    expect(ehlo(25)).not.toContain('AUTH');
    expect(ehlo(587)).toContain('250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n');
    expect(ehlo(465)).not.toContain('STARTTLS');
    expect(ehlo(465)).toContain('250-AUTH PLAIN LOGIN\r\n');
  });

  it('587: MAIL before AUTH → 530; after AUTH PLAIN as alice the message is relayed to bob', () => {
    const w = world();
    const dialog = converse(w, MSA.address, 587, [
      EHLO,
      FROM,
      `AUTH PLAIN ${PLAIN_ALICE}\r\n`,
      FROM,
      TO_BOB,
      'DATA\r\n',
      MESSAGE,
      'QUIT\r\n',
    ]);
    expect(codes(dialog)).toEqual([220, 250, 530, 235, 250, 250, 354, 250, 221]);
    expect(dialog.replies[2]).toBe('530 5.7.0 Authentication required\r\n');
    w.settle();
    const [message] = w.mailstore(MX1.name)!.messages('bob');
    expect(message?.raw).toMatch(/\tby mail\.alpha\.example \(SMTP Lab\) with ESMTPA id /);
    // The credentials are not in the SMTP trace.
    const lines = ofType(w, 'smtp.command').map((e) => e.line);
    expect(lines).toContain('AUTH PLAIN ****');
    expect(JSON.stringify(ofType(w, 'smtp.command'))).not.toContain(PLAIN_ALICE);
  });

  it('587: LOGIN as alice@alpha.example works, a wrong password gets 535 5.7.8', () => {
    const w = world();
    const b64 = (s: string) => base64Encode(utf8(s));
    const dialog = converse(w, MSA.address, 587, [
      EHLO,
      `AUTH PLAIN ${b64('\0alice\0rabbit')}\r\n`,
      'AUTH LOGIN\r\n',
      `${b64('alice@alpha.example')}\r\n`,
      `${b64('wonderland')}\r\n`,
      'QUIT\r\n',
    ]);
    expect(dialog.replies.slice(2)).toEqual([
      '535 5.7.8 Error: authentication failed: authentication failure\r\n',
      '334 VXNlcm5hbWU6\r\n',
      '334 UGFzc3dvcmQ6\r\n',
      '235 2.7.0 Authentication successful\r\n',
      '221 2.0.0 Bye\r\n',
    ]);
  });

  it('587 with STARTTLS: the socket turns secure, the trace shows the handshake, ESMTPSA', () => {
    const w = world();
    const dialog = converse(w, MSA.address, 587, [
      EHLO,
      'STARTTLS\r\n',
      EHLO,
      `AUTH PLAIN ${PLAIN_ALICE}\r\n`,
      FROM,
      TO_BOB,
      'DATA\r\n',
      MESSAGE,
      'QUIT\r\n',
    ]);
    expect(codes(dialog)).toEqual([220, 250, 220, 250, 235, 250, 250, 354, 250, 221]);
    expect(dialog.replies[2]).toBe('220 2.0.0 Ready to start TLS\r\n');
    expect(dialog.replies[3]).not.toContain('STARTTLS');
    // c1 is ours; the queue's relay to mx1 later makes its own handshake.
    expect(ofType(w, 'tls.handshake').filter((e) => e.server === MSA.name)).toEqual([
      expect.objectContaining({
        conn: 'c1',
        server: MSA.name,
        version: 'TLSv1.3',
        cipher: 'TLS_AES_256_GCM_SHA384',
        implicit: false,
        discarded: 0,
      }),
    ]);
    // The handshake comes right after the 220 to STARTTLS.
    const kinds = w.trace.events
      .filter((e) => (e.type === 'smtp.reply' || e.type === 'tls.handshake') && e.conn === 'c1')
      .map((e) => (e.type === 'smtp.reply' ? String(e.code) : e.type));
    expect(kinds.slice(0, 4)).toEqual(['220', '250', '220', 'tls.handshake']);
    w.settle();
    expect(w.mailstore(MX1.name)!.messages('bob')[0]?.raw).toContain(
      'by mail.alpha.example (SMTP Lab) with ESMTPSA id ',
    );
  });

  it('465: implicit TLS, the handshake is traced before the greeting', () => {
    const w = world();
    const dialog = converse(w, MSA.address, 465, [EHLO, 'STARTTLS\r\n', 'QUIT\r\n']);
    expect(dialog.replies[2]).toBe('554 5.5.1 Error: TLS already active\r\n');
    const first = w.trace.events.findIndex((e) => e.type === 'tls.handshake');
    const greeting = w.trace.events.findIndex((e) => e.type === 'smtp.reply');
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(greeting);
    expect(ofType(w, 'tls.handshake')[0]).toMatchObject({ implicit: true, discarded: 0 });
  });

  it('a message submitted by the mail client (starttls required, AUTH PLAIN) reaches bob', () => {
    const w = world();
    let result: SubmitResult | undefined;
    submit(
      w,
      {
        host: LAPTOP,
        server: { host: MSA.name, port: 587 },
        account: { username: 'alice', password: 'wonderland' },
        from: 'alice@alpha.example',
        to: ['bob@beta.example'],
        subject: 'lunch?',
        body: 'Noon.',
      },
      (r) => (result = r),
    );
    w.settle();
    expect(result?.ok).toBe(true);
    const [message] = w.mailstore(MX1.name)!.messages('bob');
    expect(message?.raw).toContain('by mail.alpha.example (SMTP Lab) with ESMTPSA id ');
    expect(ofType(w, 'tls.handshake').map((e) => e.server)).toContain(MSA.name);
  });
});

describe('STARTTLS in the world', () => {
  it('CVE-2011-0411: plaintext written with STARTTLS is dropped and counted', () => {
    const w = world();
    const client = open(w, MX1.address, 25);
    w.settle();
    client.send(EHLO);
    client.take();
    client.send('STARTTLS\r\nMAIL FROM:<mallory@evil.example>\r\n');
    expect(client.take()).toBe('220 2.0.0 Ready to start TLS\r\n');
    expect(ofType(w, 'tls.handshake')[0]).toMatchObject({ discarded: 34 });
    client.send(EHLO);
    client.send(TO_BOB);
    expect(client.take()).toMatch(/503 5\.5\.1 Error: need MAIL command\r\n$/);
  });

  it('world.onStartTls can take the handshake over (lab bridge): bytes before it are dropped', () => {
    const w = world();
    const requests: StartTlsRequest[] = [];
    w.onStartTls = (request) => {
      requests.push(request);
      return true; // we finish it later
    };
    const client = open(w, MX1.address, 25);
    w.settle();
    client.send(EHLO);
    client.send('STARTTLS\r\n');
    client.take();
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ conn: 'c1', host: MX1.name, port: 25 });
    expect(requests[0]!.socket.secure).toBe(false);
    expect(ofType(w, 'tls.handshake')).toEqual([]);
    client.send('NOOP\r\n'); // plaintext before the handshake: dropped, unanswered
    expect(client.take()).toBe('');
    requests[0]!.complete();
    requests[0]!.complete(); // a second call does nothing
    expect(requests[0]!.socket.secure).toBe(true);
    expect(ofType(w, 'tls.handshake')).toEqual([
      expect.objectContaining({ conn: 'c1', implicit: false, discarded: 6 }),
    ]);
    client.send(EHLO);
    expect(client.take()).toMatch(/^250-mx1\.beta\.example\r\n/);
  });
});

describe('service policies from the scenario', () => {
  it('greylisting: 451 4.7.1 the first time, accepted once the delay has passed', () => {
    const w = world(services(MX1.name, [{ port: 25, greylisting: { delaySeconds: 300 } }]));
    const attempt = () => converse(w, MX1.address, 25, [EHLO, FROM, TO_BOB, 'QUIT\r\n']).replies[3];
    const greylisted =
      '451 4.7.1 <bob@beta.example>: Recipient address rejected: Greylisted, try again later\r\n';
    expect(attempt()).toBe(greylisted);
    w.advance(200_000);
    expect(attempt()).toBe(greylisted);
    w.advance(120_000);
    expect(attempt()).toBe('250 2.1.5 Ok\r\n');
    // Another sender is another triplet.
    const other = converse(w, MX1.address, 25, [EHLO, 'MAIL FROM:<>\r\n', TO_BOB]);
    expect(other.replies[3]).toBe(greylisted);
  });

  it('greylisting spares authenticated clients', () => {
    const w = world((s) => {
      const msa = s.hosts.find((h) => h.name === MSA.name)!;
      msa.smtp = [{ port: 587, greylisting: {} }];
    });
    const dialog = converse(w, MSA.address, 587, [
      EHLO,
      `AUTH PLAIN ${PLAIN_ALICE}\r\n`,
      FROM,
      TO_BOB,
    ]);
    expect(dialog.replies[4]).toBe('250 2.1.5 Ok\r\n');
  });

  it('an injected fault with times: 1 fires once for the service, across connections', () => {
    const w = world(
      services(MX1.name, [
        { port: 25, faults: [{ step: 'RCPT', reply: '451 4.3.0 Try again later', times: 1 }] },
      ]),
    );
    const rcpt = () => converse(w, MX1.address, 25, [EHLO, FROM, TO_BOB, 'QUIT\r\n']).replies[3];
    expect(rcpt()).toBe('451 4.3.0 Try again later\r\n');
    expect(rcpt()).toBe('250 2.1.5 Ok\r\n');
  });

  it('a 554 at CONNECT, and a full disk (452 4.3.1 at MAIL)', () => {
    const w = world((s) => {
      services(MX1.name, [
        { port: 25, faults: [{ step: 'CONNECT', reply: '554 No SMTP service here' }] },
      ])(s);
      s.faults = [{ type: 'disk-full', host: MX2.name }];
    });
    const refused = converse(w, MX1.address, 25, [EHLO, 'QUIT\r\n']);
    expect(refused.replies).toEqual([
      '554 No SMTP service here\r\n',
      '503 5.5.1 Error: access denied for laptop.alpha.example[192.0.2.10]\r\n',
      '221 2.0.0 Bye\r\n',
    ]);
    const full = converse(w, MX2.address, 25, [EHLO, FROM]);
    expect(full.replies[2]).toBe('452 4.3.1 Insufficient system storage\r\n');
  });

  it('rejectClients: a 554 greeting for the listed network (RFC 5321 §3.1)', () => {
    const w = world(services(MX1.name, [{ port: 25, rejectClients: ['192.0.2.0/24'] }]));
    const dialog = converse(w, MX1.address, 25, [EHLO, 'QUIT\r\n']);
    expect(codes(dialog)).toEqual([554, 503, 221]);
    expect(dialog.replies[0]).toBe(
      '554 5.7.1 Service unavailable; client [192.0.2.10] blocked by policy\r\n',
    );
  });

  it('greet pause: a client that talks first is caught and recorded; a patient one is greeted', () => {
    const w = world(services(MX1.name, [{ port: 25, greetPauseMs: 5000 }]));
    const eager = open(w, MX1.address, 25);
    w.clock.runUntil(w.clock.now + 100); // connected, no greeting yet
    eager.writeNow(EHLO);
    w.settle();
    expect(eager.take()).toBe(
      '554 5.5.1 Error: SMTP protocol synchronization\r\n' +
        '503 5.5.1 Error: access denied for laptop.alpha.example[192.0.2.10]\r\n',
    );
    expect(ofType(w, 'smtp.pregreet')).toEqual([
      expect.objectContaining({ conn: 'c1', server: MX1.name, bytes: 27 }),
    ]);
    const start = w.clock.now;
    const patient = converse(w, MX1.address, 25, ['QUIT\r\n']);
    expect(patient.replies[0]).toBe('220 mx1.beta.example ESMTP SMTP Lab\r\n');
    const greeting = ofType(w, 'smtp.reply').find((e) => e.conn === 'c2' && e.code === 220)!;
    expect(greeting.t - start).toBeGreaterThanOrEqual(5000);
  });

  it('relay rules: an open relay takes any domain; trusted networks may relay', () => {
    const w = world((s) => {
      services(MX1.name, [{ port: 25, relay: { open: true } }])(s);
      services(MSA.name, [{ port: 25, relay: { networks: ['192.0.2.0/28'] } }])(s);
    });
    const rcpt = (to: string) =>
      converse(w, to, 25, [EHLO, FROM, 'RCPT TO:<someone@gamma.example>\r\n']).replies[3];
    expect(rcpt(MX1.address)).toBe('250 2.1.5 Ok\r\n');
    expect(rcpt(MSA.address)).toBe('250 2.1.5 Ok\r\n');
    expect(rcpt(MX2.address)).toBe('554 5.7.1 <someone@gamma.example>: Relay access denied\r\n');
  });

  it('DSN: NOTIFY=NEVER reaches the queue, so a later failure sends no bounce', () => {
    const send = (notify: string) => {
      const w = world();
      converse(w, MX2.address, 25, [
        EHLO,
        FROM,
        `RCPT TO:<dave@beta.example>${notify}\r\n`,
        'DATA\r\n',
        MESSAGE,
        'QUIT\r\n',
      ]);
      w.settle();
      return ofType(w, 'mail.bounce');
    };
    expect(send('')).toHaveLength(1);
    expect(send(' NOTIFY=NEVER')).toEqual([]);
  });

  it('shutdown: every open session gets 421 and is closed', () => {
    const w = world();
    const client = open(w, MX1.address, 25);
    w.settle();
    client.send(EHLO);
    client.take();
    expect(w.smtpd(MX1.name, 25)!.sessionCount()).toBe(1);
    w.smtpd(MX1.name, 25)!.shutdown();
    w.settle();
    expect(client.take()).toBe(
      '421 4.3.2 mx1.beta.example Service not available, closing transmission channel\r\n',
    );
    expect(client.closed).toBe(true);
    expect(w.smtpd(MX1.name, 25)!.sessionCount()).toBe(0);
  });
});
