/**
 * The bridge's TLS, byte for byte with raw sockets (issue 3, "The bridge and real
 * clients"), against the real simulated servers of the default world:
 *
 * - STARTTLS on mx1.beta.example:25 (RFC 3207). The server tells the world's `onStartTls`
 *   hook when it has sent "220 2.0.0 Ready to start TLS"; the bridge then upgrades the real
 *   socket and completes the simulated handshake on the real 'secure' event, which is when
 *   the `tls.handshake` trace event appears.
 * - Implicit TLS on mail.alpha.example:465 (RFC 8314): TLS from the first byte.
 *
 * Real client programs over TLS are in clients.test.ts.
 */
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/cli/bridge';
import { builtInScenario } from '../../src/engine/scenario';
import { World } from '../../src/engine/world';
import {
  ALICE,
  deliveredMail,
  eventsOf,
  eventually,
  handshakeOf,
  lastConn,
  marker,
  MSA,
  MX1,
  RawClient,
  secureConnect,
} from './support';

const OUTSIDE = 'client.outside.example';
let world: World;
let mx: Bridge;
let submissions: Bridge;

beforeAll(async () => {
  world = new World(builtInScenario('default'));
  const listen = { host: '127.0.0.1', port: 0 };
  [mx, submissions] = await Promise.all([
    startBridge({ world, listen, log: () => {} }),
    startBridge({ world, listen, to: { host: MSA, port: 465 }, log: () => {} }),
  ]);
});
afterAll(async () => {
  await Promise.all([mx?.close(), submissions?.close()]);
});

/** Connect to `bridge`, read the greeting, send EHLO: the connection and its conn id. */
async function greeted(bridge: Bridge): Promise<{ plain: RawClient; conn: string }> {
  const plain = await RawClient.connect(bridge.port);
  expect(await plain.reply()).toMatch(/^220 mx1\.beta\.example /);
  const conn = lastConn(bridge);
  expect(await plain.command('EHLO raw.outside.example')).toMatch(/^250[- ]STARTTLS\r\n/m);
  return { plain, conn };
}

describe('STARTTLS through the bridge (mx1.beta.example:25)', { timeout: 30_000 }, () => {
  it('upgrades the real socket when the server agreed, and the simulated one with it', async () => {
    const tag = marker('raw-tls');
    const { plain, conn } = await greeted(mx);
    expect(mx.implicitTls).toBe(false);
    expect(await plain.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS\r\n');
    // The server handed the handshake to the bridge: nothing is secure until the real one.
    expect(handshakeOf(mx, conn)).toBeUndefined();

    const secure = await secureConnect(plain, { ca: mx.certificate, servername: MX1 });
    const peer = secure.getPeerX509Certificate()!;
    expect(peer.subject).toBe('CN=mx1.beta.example');
    expect(peer.issuer).toBe(peer.subject); // self-signed
    expect(peer.subjectAltName).toContain('DNS:mx1.beta.example');
    expect(peer.fingerprint256).toBe(new X509Certificate(mx.certificate).fingerprint256);
    expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);
    await eventually(() => handshakeOf(mx, conn) !== undefined, 'the simulated handshake');
    expect(handshakeOf(mx, conn)).toMatchObject({
      server: MX1,
      implicit: false,
      discarded: 0,
    });

    const c = new RawClient(secure);
    // RFC 3207 §4.2: the session starts over; EHLO no longer offers STARTTLS.
    const ehlo = await c.command('EHLO raw.outside.example');
    expect(ehlo).toMatch(/^250-mx1\.beta\.example\r\n/);
    expect(ehlo).not.toContain('STARTTLS');
    expect(await c.command('MAIL FROM:<tls@outside.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<bob@beta.example>')).toMatch(/^250 /);
    expect(await c.command('DATA')).toMatch(/^354 /);
    expect(await c.command(`Subject: ${tag}\r\n\r\nover TLS\r\n.`)).toMatch(/^250 2\.0\.0 /);
    expect(await c.command('QUIT')).toMatch(/^221 /);
    await c.waitForEnd();

    const mail = deliveredMail(mx, tag);
    expect(mail?.raw).toContain('over TLS');
    expect(mail?.raw).toMatch(
      /^Received: from raw\.outside\.example \(client\.outside\.example \[198\.51\.100\.77\]\)\r\n\tby mx1\.beta\.example \(SMTP Lab\) with ESMTPS id /m,
    );
    // The commands after the handshake were read by the simulated server, decrypted.
    const commands = eventsOf(mx, conn).flatMap((e) => (e.type === 'smtp.command' ? [e] : []));
    expect(commands.map((e) => e.verb)).toEqual([
      'EHLO',
      'STARTTLS',
      'EHLO',
      'MAIL',
      'RCPT',
      'DATA',
      'QUIT',
    ]);
  });

  it('drops plaintext pipelined after STARTTLS and never carries it on (CVE-2011-0411)', async () => {
    const { plain, conn } = await greeted(mx);
    // The injection: a command after STARTTLS in the same packet, meant to run as if it had
    // come over TLS. One write, so it reaches the bridge together with STARTTLS.
    const injected = 'MAIL FROM:<mallory@outside.example>\r\n';
    plain.write(`STARTTLS\r\n${injected}`);
    expect(await plain.reply()).toBe('220 2.0.0 Ready to start TLS\r\n');
    const c = new RawClient(await secureConnect(plain));
    await eventually(() => handshakeOf(mx, conn) !== undefined, 'the simulated handshake');
    expect(handshakeOf(mx, conn)).toMatchObject({ implicit: false, discarded: injected.length });

    expect(await c.command('EHLO raw.outside.example')).toMatch(/^250 /m);
    // Had the injected MAIL counted, RCPT would be accepted; there is no transaction.
    expect(await c.command('RCPT TO:<bob@beta.example>')).toMatch(/^503 5\.5\.1 /);
    expect(await c.command('QUIT')).toMatch(/^221 /);
    await c.waitForEnd();
    // The injected line crossed the simulated network once, in plaintext, before the
    // handshake (the bridge does not replay it), and the server never took it as a command.
    const events = eventsOf(mx, conn);
    const handshake = handshakeOf(mx, conn)!;
    const carrying = events.filter((e) => JSON.stringify(e).includes('mallory'));
    expect(carrying).toHaveLength(1);
    expect(carrying[0]).toMatchObject({ type: 'net.data', from: OUTSIDE });
    expect(carrying[0]!.id).toBeLessThan(handshake.id);
  });

  it('resets the simulated connection when the client speaks plaintext instead of TLS', async () => {
    const { plain, conn } = await greeted(mx);
    expect(await plain.command('STARTTLS')).toMatch(/^220 /);
    plain.write('EHLO plain.outside.example\r\n'); // not a TLS ClientHello
    await plain.waitForEnd();
    await eventually(
      () => eventsOf(mx, conn).some((e) => e.type === 'net.reset' && e.by === OUTSIDE),
      'the simulated reset',
    );
    expect(handshakeOf(mx, conn)).toBeUndefined();
    const commands = eventsOf(mx, conn).flatMap((e) => (e.type === 'smtp.command' ? [e.verb] : []));
    expect(commands).toEqual(['EHLO', 'STARTTLS']);
  });
});

describe('implicit TLS through the bridge (mail.alpha.example:465)', { timeout: 30_000 }, () => {
  it('is TLS from the first byte, and the session is secure from the greeting on', async () => {
    expect(submissions.implicitTls).toBe(true);
    const c = await RawClient.connectTls(submissions.port, {
      ca: submissions.certificate,
      servername: MSA,
    });
    const socket = c.socket as TLSSocket;
    expect(socket.getPeerX509Certificate()?.subject).toBe('CN=mail.alpha.example');
    expect(await c.reply()).toMatch(/^220 mail\.alpha\.example /);
    const conn = lastConn(submissions);
    expect(handshakeOf(submissions, conn)).toMatchObject({
      server: MSA,
      implicit: true,
      discarded: 0,
    });
    const ehlo = await c.command('EHLO raw.outside.example');
    expect(ehlo).toMatch(/^250[- ]AUTH PLAIN LOGIN\r\n/m);
    expect(ehlo).not.toContain('STARTTLS');
    const plainAuth = Buffer.from(`\0${ALICE.user}\0${ALICE.password}`).toString('base64');
    expect(await c.command(`AUTH PLAIN ${plainAuth}`)).toMatch(/^235 2\.7\.0 /);
    expect(await c.command('QUIT')).toMatch(/^221 /);
    await c.waitForEnd();
  });

  it('never lets a plaintext client into the world', async () => {
    const connects = () =>
      world.trace.events.filter(
        (e) => e.type === 'net.connect' && e.to.host === MSA && e.to.port === 465,
      ).length;
    const before = connects();
    const c = await RawClient.connect(submissions.port);
    c.write('EHLO plain.outside.example\r\n');
    await c.waitForEnd();
    expect(connects()).toBe(before);
    await eventually(() => submissions.connectionCount() === 0, 'the bridge to forget it');
  });
});
