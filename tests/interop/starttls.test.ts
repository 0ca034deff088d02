/**
 * The bridge's STARTTLS path (RFC 3207; issue 3, "The bridge and real clients"): when the
 * simulated server answers STARTTLS with 220, the real socket becomes TLS with the bridge's
 * self-signed certificate and the conversation goes on, decrypted, in the simulation.
 *
 * The server session has no STARTTLS yet, so these tests put a stand-in on
 * mx1.beta.example:10025 (starttls-front.ts) that speaks STARTTLS and then relays to the
 * real mx1 service; real clients (a raw TLS socket, swaks, smtplib, nodemailer) go through
 * the bridge to it and the message lands in bob's mailbox.
 */
import { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type Bridge } from '../../src/cli/bridge';
import { builtInScenario } from '../../src/engine/scenario';
import { World } from '../../src/engine/world';
import { listenStartTlsFront, type FrontSession } from './starttls-front';
import { eventually, findMail, marker, MX1, RawClient, runProcess } from './support';

const FRONT_PORT = 10025;
let bridge: Bridge;
let fronts: FrontSession[];

beforeAll(async () => {
  const world = new World(builtInScenario('default'));
  fronts = listenStartTlsFront(world, MX1, FRONT_PORT);
  bridge = await startBridge({
    world,
    listen: { host: '127.0.0.1', port: 0 },
    to: { host: MX1, port: FRONT_PORT },
    log: () => {},
  });
});
afterAll(() => bridge.close());

function secureConnect(socket: RawClient): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ socket: socket.detach(), rejectUnauthorized: false }, () =>
      resolve(secure),
    );
    secure.once('error', reject);
  });
}

describe('STARTTLS through the bridge', { timeout: 30_000 }, () => {
  it('upgrades the real socket with a self-signed certificate for the target', async () => {
    const tag = marker('raw-tls');
    const plain = await RawClient.connect(bridge.port);
    expect(await plain.reply()).toMatch(/^220 mx1\.beta\.example /);
    expect(await plain.command('EHLO raw.outside.example')).toMatch(/^250 STARTTLS\r\n/m);
    expect(await plain.command('STARTTLS')).toBe('220 2.0.0 Ready to start TLS\r\n');

    const secure = await secureConnect(plain);
    const front = fronts.at(-1)!;
    const peer = secure.getPeerX509Certificate()!;
    expect(peer.subject).toBe('CN=mx1.beta.example');
    expect(peer.issuer).toBe(peer.subject); // self-signed
    expect(peer.subjectAltName).toContain('DNS:mx1.beta.example');
    expect(peer.fingerprint256).toBe(new X509Certificate(bridge.certificate).fingerprint256);
    expect(secure.getProtocol()).toMatch(/^TLSv1\.[23]$/);

    const c = new RawClient(secure);
    // RFC 3207 §4.2: the session starts over; the real server's EHLO no longer offers STARTTLS.
    const ehlo = await c.command('EHLO raw.outside.example');
    expect(ehlo).toMatch(/^250-mx1\.beta\.example\r\n/);
    expect(ehlo).not.toContain('STARTTLS');
    expect(front.socket.peer.secure).toBe(true); // the bridge's simulated end is marked secure
    expect(await c.command('MAIL FROM:<tls@outside.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<bob@beta.example>')).toMatch(/^250 /);
    expect(await c.command('DATA')).toMatch(/^354 /);
    expect(await c.command(`Subject: ${tag}\r\n\r\nover TLS\r\n.`)).toMatch(/^250 2\.0\.0 /);
    expect(await c.command('QUIT')).toMatch(/^221 /);
    await c.waitForEnd();
    expect(findMail(bridge, tag)?.raw).toContain('over TLS');
    expect(front.relayed).toContain('EHLO raw.outside.example\r\n'); // decrypted in the world
  });

  it('carries pipelined plaintext after STARTTLS to the server, and nothing more as plaintext', async () => {
    const plain = await RawClient.connect(bridge.port);
    await plain.reply();
    await plain.command('EHLO raw.outside.example');
    // An injection attempt in the style of CVE-2011-0411: a command after STARTTLS in the
    // same packet. The simulated server discards it; the bridge does not replay it later.
    plain.write('STARTTLS\r\nMAIL FROM:<mallory@outside.example>\r\n');
    expect(await plain.reply()).toBe('220 2.0.0 Ready to start TLS\r\n');
    const front = fronts.at(-1)!;
    expect(front.discarded).toBe('MAIL FROM:<mallory@outside.example>\r\n');
    const c = new RawClient(await secureConnect(plain));
    await c.command('EHLO raw.outside.example');
    expect(await c.command('QUIT')).toMatch(/^221 /);
    await c.waitForEnd();
    expect(front.relayed).not.toContain('mallory');
  });

  it('resets the simulated connection when the client speaks plaintext instead of TLS', async () => {
    const plain = await RawClient.connect(bridge.port);
    await plain.reply();
    await plain.command('EHLO raw.outside.example');
    expect(await plain.command('STARTTLS')).toMatch(/^220 /);
    const front = fronts.at(-1)!;
    plain.write('EHLO plain.outside.example\r\n'); // not a TLS ClientHello
    await plain.waitForEnd();
    await eventually(
      () =>
        bridge.world.trace.events.some(
          (e) =>
            e.type === 'net.reset' && e.conn === front.conn && e.by === 'client.outside.example',
        ),
      'the simulated reset',
    );
    expect(front.relayed).toBe('');
  });

  it('swaks --tls', async () => {
    const tag = marker('swaks-tls');
    const result = await runProcess('swaks', [
      ...['--server', '127.0.0.1', '--port', String(bridge.port), '--tls'],
      ...['--helo', 'swaks.outside.example', '--from', 'swaks@outside.example'],
      ...['--to', 'bob@beta.example', '--header', `Subject: ${tag}`, '--timeout', '10'],
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/=== TLS started with cipher /);
    expect(result.stdout).toMatch(/~> MAIL FROM:<swaks@outside\.example>/); // "~>": sent over TLS
    expect(findMail(bridge, tag)).toBeDefined();
  });

  it("Python's smtplib starttls()", async () => {
    const tag = marker('smtplib-tls');
    const script = `
import smtplib, sys
port, tag = int(sys.argv[1]), sys.argv[2]
with smtplib.SMTP("127.0.0.1", port, local_hostname="python.outside.example", timeout=10) as s:
    s.ehlo()
    print("offered:", s.has_extn("starttls"))
    s.starttls()
    print("version:", s.sock.version())
    s.ehlo()
    print("after:", s.has_extn("starttls"))
    s.sendmail("python@outside.example", ["bob@beta.example"], f"Subject: {tag}\\r\\n\\r\\nover TLS\\r\\n")
`;
    const result = await runProcess('python3', ['-c', script, String(bridge.port), tag]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('offered: True');
    expect(result.stdout).toMatch(/version: TLSv1\.[23]/);
    expect(result.stdout).toContain('after: False');
    expect(findMail(bridge, tag)).toBeDefined();
  });

  it('nodemailer with requireTLS', async () => {
    const tag = marker('nodemailer-tls');
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: bridge.port,
      secure: false,
      requireTLS: true,
      name: 'nodemailer.outside.example',
      tls: { rejectUnauthorized: false },
      connectionTimeout: 10_000,
    });
    try {
      const info = await transport.sendMail({
        from: 'nodemailer@outside.example',
        to: 'bob@beta.example',
        subject: tag,
        text: 'over TLS',
      });
      expect(info.accepted).toEqual(['bob@beta.example']);
    } finally {
      transport.close();
    }
    expect(findMail(bridge, tag)).toBeDefined();
  });
});
