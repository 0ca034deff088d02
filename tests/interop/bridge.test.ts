/**
 * `lab bridge` itself (DESIGN.md, command-line contract; issue 3, "The bridge and real
 * clients"): argument handling, one simulated connection per real one, closes and resets
 * carried both ways, and the command as a child process with --trace and SIGTERM.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BridgeError,
  isLoopback,
  parseBridgeArgs,
  parseListen,
  parseTarget,
  startBridge,
  type Bridge,
} from '../../src/cli/bridge';
import { UsageError } from '../../src/cli/common';
import type { TraceEvent } from '../../src/engine/trace';
import {
  eventually,
  findMail,
  marker,
  MX1,
  OUTSIDE_ADDRESS,
  RawClient,
  runProcess,
} from './support';

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const LAB = join(ROOT, 'src/cli/lab.ts');

describe('lab bridge arguments', () => {
  it('defaults to loopback port 2525 and mx1.beta.example:25', () => {
    expect(parseBridgeArgs([])).toEqual({
      scenario: 'default',
      listen: { host: '127.0.0.1', port: 2525 },
      to: { host: 'mx1.beta.example', port: 25 },
      help: false,
    });
  });

  it('reads every option', () => {
    expect(
      parseBridgeArgs([
        '--scenario',
        'world.json',
        '--listen',
        '127.0.0.2:2600',
        '--to',
        'mx2.beta.example:25',
        '--trace',
        'out.jsonl',
      ]),
    ).toEqual({
      scenario: 'world.json',
      listen: { host: '127.0.0.2', port: 2600 },
      to: { host: 'mx2.beta.example', port: 25 },
      trace: 'out.jsonl',
      help: false,
    });
  });

  it('takes a bare port as loopback, and IPv6 in brackets', () => {
    expect(parseListen('2526')).toEqual({ host: '127.0.0.1', port: 2526 });
    expect(parseListen('[::1]:2525')).toEqual({ host: '::1', port: 2525 });
    expect(parseListen('localhost:0')).toEqual({ host: 'localhost', port: 0 });
    expect(parseTarget('203.0.113.25')).toEqual({ host: '203.0.113.25', port: 25 });
  });

  it.each([
    [['--listen', 'mail.example.com:25'], /IP address or localhost/],
    [['--listen', '127.0.0.1:70000'], /port must be/],
    [['--listen', '127.0.0.1'], /ADDRESS:PORT/],
    [['--to', 'mx1.beta.example:0'], /port must be/],
    [['--to', 'mx1 beta'], /HOST:PORT/],
    [['--listen'], /needs a value/],
    [['--frobnicate'], /unknown option/],
    [['extra'], /unexpected argument/],
  ])('refuses %j', (args, message) => {
    expect(() => parseBridgeArgs(args)).toThrow(UsageError);
    expect(() => parseBridgeArgs(args)).toThrow(message);
  });

  it('knows loopback from the rest', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.0.2.1'].some(isLoopback)).toBe(false);
  });

  it('refuses a target the world does not have', async () => {
    await expect(
      startBridge({
        listen: { host: '127.0.0.1', port: 0 },
        to: { host: 'nowhere.example', port: 25 },
      }),
    ).rejects.toThrow(BridgeError);
  });
});

describe('lab bridge in process', () => {
  let bridge: Bridge;
  const events = (): TraceEvent[] => bridge.world.trace.events;

  beforeAll(async () => {
    bridge = await startBridge({ listen: { host: '127.0.0.1', port: 0 }, log: () => {} });
  });
  afterAll(() => bridge.close());

  it('listens on loopback on the port it was given (0: any free one)', () => {
    expect(bridge.address).toBe('127.0.0.1');
    expect(bridge.port).toBeGreaterThan(0);
    expect(bridge.target).toEqual({ host: MX1, address: '203.0.113.25', port: 25 });
    expect(bridge.world.net.hostByName('client.outside.example')?.address).toBe(OUTSIDE_ADDRESS);
  });

  it('makes each real connection a simulated one from the outside host', async () => {
    const before = events().length;
    const a = await RawClient.connect(bridge.port);
    const b = await RawClient.connect(bridge.port);
    expect(await a.reply()).toBe('220 mx1.beta.example ESMTP SMTP Lab\r\n');
    expect(await b.reply()).toBe('220 mx1.beta.example ESMTP SMTP Lab\r\n');
    const connects = events()
      .slice(before)
      .filter((e) => e.type === 'net.connect');
    expect(connects).toHaveLength(2);
    for (const c of connects) {
      expect(c).toMatchObject({
        from: { host: 'client.outside.example', address: OUTSIDE_ADDRESS },
        to: { host: MX1, address: '203.0.113.25', port: 25 },
      });
    }
    expect(await a.command('QUIT')).toMatch(/^221 /);
    expect(await b.command('QUIT')).toMatch(/^221 /);
    await a.waitForEnd();
    await b.waitForEnd();
  });

  it('carries a whole transaction, and the simulated close ends the real socket', async () => {
    const tag = marker('raw');
    const c = await RawClient.connect(bridge.port);
    expect(await c.reply()).toMatch(/^220 /);
    expect(await c.command('EHLO raw.outside.example')).toMatch(/^250-mx1\.beta\.example\r\n/);
    expect(await c.command('MAIL FROM:<raw@outside.example>')).toMatch(/^250 /);
    expect(await c.command('RCPT TO:<bob@beta.example>')).toMatch(/^250 /);
    expect(await c.command('DATA')).toMatch(/^354 /);
    c.write(`Subject: ${tag}\r\n\r\n..a line that starts with a dot\r\n.\r\n`);
    expect(await c.reply()).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]+\r\n$/);
    expect(await c.command('QUIT')).toBe('221 2.0.0 Bye\r\n');
    await c.waitForEnd();
    expect(c.ended).toBe(true); // a FIN, not a reset
    expect(c.error).toBeUndefined();

    const mail = findMail(bridge, tag);
    expect(mail?.from).toBe('raw@outside.example');
    expect(mail?.raw).toContain(`[${OUTSIDE_ADDRESS}]`); // Received: from … [198.51.100.77]
    expect(mail?.raw).toContain('\r\n.a line that starts with a dot\r\n');
  });

  it('carries bytes however they are split on the way', async () => {
    const tag = marker('split');
    const c = await RawClient.connect(bridge.port);
    await c.reply();
    const session =
      'EHLO split.outside.example\r\nMAIL FROM:<split@outside.example>\r\n' +
      'RCPT TO:<bob@beta.example>\r\nDATA\r\n';
    for (let i = 0; i < session.length; i += 5) {
      c.write(session.slice(i, i + 5));
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await c.reply()).toMatch(/^250-/);
    expect(await c.reply()).toMatch(/^250 /);
    expect(await c.reply()).toMatch(/^250 /);
    expect(await c.reply()).toMatch(/^354 /);
    const body = `Subject: ${tag}\r\n\r\nhello\r\n.\r\n`;
    for (const ch of body) c.write(ch);
    expect(await c.reply()).toMatch(/^250 2\.0\.0 /);
    c.socket.end();
    await c.waitForEnd();
    expect(findMail(bridge, tag)).toBeDefined();
  });

  it('closes the simulated connection when the real client hangs up', async () => {
    const c = await RawClient.connect(bridge.port);
    await c.reply();
    const conn = lastConn(events());
    c.socket.end();
    await eventually(
      () =>
        events().some(
          (e) => e.type === 'net.close' && e.conn === conn && e.by === 'client.outside.example',
        ),
      'the simulated close',
    );
    await c.waitForEnd(); // the server closes its side in turn, and so the real socket ends
    expect(bridge.connectionCount()).toBeGreaterThanOrEqual(0);
  });

  it('resets the simulated connection when the real client resets', async () => {
    const c = await RawClient.connect(bridge.port);
    await c.reply();
    const conn = lastConn(events());
    c.socket.resetAndDestroy();
    await eventually(
      () =>
        events().some(
          (e) => e.type === 'net.reset' && e.conn === conn && e.by === 'client.outside.example',
        ),
      'the simulated reset',
    );
  });

  it('forgets connections once they are closed', async () => {
    await eventually(() => bridge.connectionCount() === 0, 'all bridged connections to close');
  });
});

describe('lab bridge to a port nobody listens on', () => {
  it('resets the real connection, as a refused SYN would', async () => {
    const lines: string[] = [];
    const bridge = await startBridge({
      listen: { host: '127.0.0.1', port: 0 },
      to: { host: MX1, port: 26 },
      log: (line) => lines.push(line),
    });
    try {
      // The reset may come before or after the client's connect completes.
      const socket = net.connect({ host: '127.0.0.1', port: bridge.port });
      const received: Buffer[] = [];
      socket.on('data', (d: Buffer) => received.push(d));
      await new Promise<void>((r) => socket.on('close', () => r()).on('error', () => {}));
      expect(Buffer.concat(received).length).toBe(0);
      expect(
        bridge.world.trace.events.some(
          (e) => e.type === 'net.refused' && e.reason === 'port-closed',
        ),
      ).toBe(true);
      expect(lines.join('\n')).toMatch(/refused the connection \(port-closed\)/);
    } finally {
      await bridge.close();
    }
  });
});

describe('lab bridge as a command', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lab-bridge-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints where it listens, bridges, and on SIGTERM writes --trace and exits 0', async () => {
    const trace = join(dir, 'trace.jsonl');
    const child = spawn(TSX, [LAB, 'bridge', '--listen', '127.0.0.1:0', '--trace', trace], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await eventually(
        () => /listening on/.test(stdout),
        `the start line (stderr: ${stderr})`,
        20_000,
      );
      const start = stdout.split('\n')[0]!;
      expect(start).toMatch(
        /^lab bridge: listening on 127\.0\.0\.1:\d+, forwarding to mx1\.beta\.example:25 \(203\.0\.113\.25\) as client\.outside\.example \(198\.51\.100\.77\)/,
      );
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(start)![1]);
      const c = await RawClient.connect(port);
      expect(await c.reply()).toMatch(/^220 mx1\.beta\.example /);
      await c.command('HELO cli.outside.example');
      await c.command('MAIL FROM:<cli@outside.example>');
      await c.command('RCPT TO:<bob@beta.example>');
      await c.command('DATA');
      expect(await c.command('Subject: via the CLI\r\n\r\nhi\r\n.')).toMatch(/^250 /);
      await c.command('QUIT');
      await c.waitForEnd();
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stdout).toMatch(/lab bridge: stopped \(SIGTERM\)/);
    const events = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TraceEvent);
    expect(events.some((e) => e.type === 'mail.delivered' && e.user === 'bob')).toBe(true);
    expect(events.some((e) => e.type === 'net.connect' && e.from.address === OUTSIDE_ADDRESS)).toBe(
      true,
    );
  }, 30_000);

  it.each([
    [['--to', 'nowhere.example:25'], /no host nowhere\.example/],
    [['--listen', 'everywhere:25'], /IP address or localhost/],
    [['--scenario', 'no-such-scenario'], /unknown scenario/],
    [['--trace', '/no/such/dir/trace.jsonl'], /--trace: no directory/],
  ])(
    'exits 2 with a message for %j',
    async (args, message) => {
      const result = await runProcess(
        TSX,
        [LAB, 'bridge', '--listen', '127.0.0.1:0', ...args],
        20_000,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    },
    30_000,
  );
});

function lastConn(events: readonly TraceEvent[]): string {
  const connects = events.flatMap((e) => (e.type === 'net.connect' ? [e.conn] : []));
  const conn = connects[connects.length - 1];
  if (!conn) throw new Error('no connection yet');
  return conn;
}
