/**
 * Helpers for the interop tests: real clients (external programs or raw sockets) talk to
 * an in-process `lab bridge`, and the tests then look into the simulated world.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { OUTSIDE_HOST, type Bridge } from '../../src/cli/bridge';
import type { StoredMessage } from '../../src/engine/agents/mailstore';
import type { TraceEvent } from '../../src/engine/trace';

export const MX1 = 'mx1.beta.example';
export const MSA = 'mail.alpha.example';
export const OUTSIDE_ADDRESS = '198.51.100.77';
/** alice's account in the default scenario (DESIGN.md): login "alice" or her address. */
export const ALICE = { user: 'alice', address: 'alice@alpha.example', password: 'wonderland' };

export interface ProcessResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Run a program to completion without blocking the event loop (the bridge runs in this
 * process). Standard input is closed, so a client that would prompt gives up instead.
 */
export function runProcess(
  command: string,
  args: string[],
  timeoutMs = 15_000,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d.slice(0, 200_000)));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d.slice(0, 200_000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Bob's messages on mx1.beta.example in the bridged world. */
export function bobsMail(bridge: Bridge): readonly StoredMessage[] {
  return bridge.world.mailstore(MX1)?.messages('bob') ?? [];
}

/** The one message in bob's mailbox whose text contains `marker`. */
export function findMail(bridge: Bridge, marker: string): StoredMessage | undefined {
  const found = bobsMail(bridge).filter((m) => m.raw.includes(marker));
  if (found.length > 1) throw new Error(`${found.length} messages contain ${marker}`);
  return found[0];
}

/**
 * Settle the world (mail submitted on 587 or 465 goes through mail.alpha.example's queue,
 * an MX lookup and a relay to mx1 first), then find the message as `findMail` does.
 */
export function deliveredMail(bridge: Bridge, marker: string): StoredMessage | undefined {
  bridge.settle();
  return findMail(bridge, marker);
}

/** The simulated connection most recently opened through `bridge` by a real client. */
export function lastConn(bridge: Bridge): string {
  const events = bridge.world.trace.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (
      e.type === 'net.connect' &&
      e.from.host === OUTSIDE_HOST.name &&
      e.to.host === bridge.target.host &&
      e.to.port === bridge.target.port
    ) {
      return e.conn;
    }
  }
  throw new Error('no bridged connection yet');
}

/** The trace events of one simulated connection. */
export function eventsOf(bridge: Bridge, conn: string): TraceEvent[] {
  return bridge.world.trace.events.filter((e) => 'conn' in e && e.conn === conn);
}

/** The `tls.handshake` event of a simulated connection, if its handshake is done. */
export function handshakeOf(bridge: Bridge, conn: string) {
  return eventsOf(bridge, conn).find((e) => e.type === 'tls.handshake');
}

/** Start TLS as the client on a raw connection after STARTTLS's 220. */
export function secureConnect(
  raw: RawClient,
  options: tls.ConnectionOptions = { rejectUnauthorized: false },
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const secure = tls.connect({ ...options, socket: raw.detach() }, () => resolve(secure));
    secure.once('error', reject);
  });
}

let counter = 0;
/** A marker unique within the test run, for telling messages apart. */
export function marker(label: string): string {
  return `${label}-${process.pid}-${++counter}`;
}

/** Poll `check` until it returns true (the bridge works on socket events). */
export async function eventually(check: () => boolean, what: string, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * A raw SMTP client on a real socket: write lines, read whole replies. Enough to check the
 * bridge byte for byte without a client library in between.
 */
export class RawClient {
  private buffer = '';
  private waiters: (() => void)[] = [];
  ended = false;
  closed = false;
  error: Error | undefined;

  /** Read replies from `socket` (a plain socket, or TLS over one). */
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  /** Stop reading `socket` and hand it over (to tls.connect, after STARTTLS). */
  detach(): net.Socket {
    if (this.buffer)
      throw new Error(`unread bytes before detaching: ${JSON.stringify(this.buffer)}`);
    this.socket.off('data', this.onData);
    this.socket.off('end', this.onEnd);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
    return this.socket;
  }

  private onData = (d: string) => {
    this.buffer += d;
    this.wake();
  };
  private onEnd = () => {
    this.ended = true;
    this.wake();
  };
  private onError = (error: Error) => {
    this.error = error;
    this.wake();
  };
  private onClose = () => {
    this.closed = true;
    this.wake();
  };

  static connect(port: number, host = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Connect with TLS from the first byte (implicit TLS, RFC 8314). */
  static connectTls(port: number, options: tls.ConnectionOptions): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ ...options, port, host: '127.0.0.1' }, () =>
        resolve(new RawClient(socket)),
      );
      socket.once('error', reject);
    });
  }

  write(text: string): void {
    this.socket.write(text, 'latin1');
  }

  /** The next complete reply (all its lines, CRLF-terminated), e.g. "250-a\r\n250 b\r\n". */
  async reply(ms = 5_000): Promise<string> {
    const until = Date.now() + ms;
    for (;;) {
      const match = /^(?:\d{3}-[^\r\n]*\r\n)*\d{3}(?: [^\r\n]*)?\r\n/.exec(this.buffer);
      if (match) {
        this.buffer = this.buffer.slice(match[0].length);
        return match[0];
      }
      if (this.closed || this.ended) {
        throw new Error(`connection ended before a reply; unread: ${JSON.stringify(this.buffer)}`);
      }
      if (Date.now() > until) throw new Error(`no reply; unread: ${JSON.stringify(this.buffer)}`);
      await this.waitForEvent(until - Date.now());
    }
  }

  /** Send a command line and return its reply. */
  async command(line: string): Promise<string> {
    this.write(`${line}\r\n`);
    return this.reply();
  }

  /** Wait until the server has ended the connection (our side sees EOF or close). */
  async waitForEnd(ms = 5_000): Promise<void> {
    await eventually(() => this.ended || this.closed, 'the connection to end', ms);
  }

  private waitForEvent(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.max(ms, 1));
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
