/**
 * The `smtp-server` npm package over loopback, as a yardstick for the in-memory engine.
 * The server runs in a child process (smtp-server-child.ts); this process drives it with
 * a lean raw-socket client of its own: CONNECTIONS reused connections, each greeted and
 * EHLO'd once, then looping MAIL, RCPT, DATA, message and dot, RSET, one command at a
 * time, each waiting for its reply.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Benchmark, type Figure, format, now, seconds } from './harness';
import type { ChildMessage, ParentMessage, ServerStats } from './smtp-server-child';
import { EHLO, QUIT, reusedTransaction } from './transaction';

const CONNECTIONS = 20;
const MESSAGE_SIZE = 1024;
const WARMUP = { transactions: 2_000, maxMs: 3_000 };
const MEASURED = { transactions: 20_000, maxMs: 10_000 };

interface WireStep {
  send: Buffer;
  expect: number;
}

const STEPS: WireStep[] = reusedTransaction(MESSAGE_SIZE).map((s) => {
  if (s.expect === undefined) throw new Error('every reused-connection step has a reply');
  return { send: Buffer.from(s.send, 'utf8'), expect: s.expect };
});

/**
 * One client connection: reads reply lines, and hands each complete reply (the line with
 * a space after the code) to whoever waits for it. Any surprise rejects through `fail`.
 */
class RawClient {
  private pending = '';
  private onReply: (code: number, line: string) => void = (_code, line) =>
    this.fail(new Error(`unsolicited reply: ${line}`));
  private fail: (error: Error) => void = (error) => {
    throw error;
  };
  private step = 0;
  private finished: () => void = () => {};
  private quitting = false;

  private constructor(private readonly socket: net.Socket) {
    socket.setNoDelay(true);
    socket.on('data', (data: Buffer) => this.read(data));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => {
      if (!this.quitting) this.fail(new Error('the server closed the connection'));
    });
  }

  /** Connect, read the 220 greeting and say EHLO; resolves when the 250 has come. */
  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const client = new RawClient(net.connect({ port, host: '127.0.0.1' }));
      client.fail = reject;
      client.expect(220, () => {
        client.socket.write(EHLO);
        client.expect(250, () => resolve(client));
      });
    });
  }

  /** Run one MAIL…RSET transaction; `done` is called after the RSET's 250. */
  transaction(done: () => void, fail: (error: Error) => void): void {
    this.fail = fail;
    this.finished = done;
    this.step = 0;
    this.onReply = this.stepReply;
    this.socket.write(STEPS[0]!.send);
  }

  quit(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.fail = reject;
      this.quitting = true;
      this.socket.once('close', () => resolve());
      this.expect(221, () => this.socket.end());
      this.socket.write(QUIT);
    });
  }

  private readonly stepReply = (code: number, line: string): void => {
    const step = STEPS[this.step]!;
    if (code !== step.expect) {
      this.fail(new Error(`expected ${step.expect} after ${step.send.subarray(0, 20)}: ${line}`));
      return;
    }
    this.step++;
    if (this.step < STEPS.length) this.socket.write(STEPS[this.step]!.send);
    else this.finished();
  };

  private expect(code: number, then: () => void): void {
    this.onReply = (got, line) => {
      if (got !== code) this.fail(new Error(`expected ${code}, got: ${line}`));
      else then();
    };
  }

  private read(data: Buffer): void {
    this.pending += data.toString('latin1');
    let end: number;
    while ((end = this.pending.indexOf('\r\n')) >= 0) {
      const line = this.pending.slice(0, end);
      this.pending = this.pending.slice(end + 2);
      if (line[3] === '-') continue; // a non-final line of a multi-line reply
      this.onReply(Number(line.slice(0, 3)), line);
    }
  }
}

interface Phase {
  completed: number;
  elapsedNs: bigint;
}

/** Run up to `transactions` on all clients at once, starting no new one after `maxMs`. */
function runPhase(clients: RawClient[], transactions: number, maxMs: number): Promise<Phase> {
  return new Promise((resolve, reject) => {
    const start = now();
    const deadline = start + BigInt(maxMs * 1e6);
    let issued = 0;
    let completed = 0;
    let busy = clients.length;
    let failed = false;
    const fail = (error: Error) => {
      if (!failed) reject(error);
      failed = true;
    };
    const next = (client: RawClient) => {
      if (failed) return;
      if (issued < transactions && now() < deadline) {
        issued++;
        client.transaction(() => {
          completed++;
          next(client);
        }, fail);
      } else if (--busy === 0) {
        resolve({ completed, elapsedNs: now() - start });
      }
    };
    for (const client of clients) next(client);
  });
}

function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(fileURLToPath(new URL('./smtp-server-child.ts', import.meta.url)), [], {
    execArgv: process.execArgv, // tsx's loader, so the child can be TypeScript too
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('smtp-server child did not start listening within 15 s'));
    }, 15_000);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`smtp-server child exited with ${code}`)));
    child.once('message', (message: ChildMessage) => {
      clearTimeout(timer);
      if (message.type === 'listening') resolve({ child, port: message.port });
      else reject(new Error(`unexpected message from child: ${JSON.stringify(message)}`));
    });
  });
}

function stats(child: ChildProcess): Promise<ServerStats> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return reject(new Error('smtp-server child has exited'));
    child.once('message', (message: ChildMessage) => {
      if (message.type === 'stats') resolve(message);
      else reject(new Error(`unexpected message from child: ${JSON.stringify(message)}`));
    });
    child.send({ type: 'stats' } satisfies ParentMessage);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill(), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.send({ type: 'close' } satisfies ParentMessage);
  });
}

const cpuSeconds = (cpu: { user: number; system: number }) => (cpu.user + cpu.system) / 1e6;

export const smtpServer: Benchmark = {
  name: 'smtp.smtp-server',
  description: `smtp-server over loopback, ${CONNECTIONS} reused connections from a raw client`,
  async run() {
    const { child, port } = await startServer();
    child.removeAllListeners('exit');
    try {
      const clients = await Promise.all(
        Array.from({ length: CONNECTIONS }, () => RawClient.open(port)),
      );
      await runPhase(clients, WARMUP.transactions, WARMUP.maxMs);

      const before = await stats(child);
      const clientCpu = process.cpuUsage();
      const phase = await runPhase(clients, MEASURED.transactions, MEASURED.maxMs);
      const clientUsed = cpuSeconds(process.cpuUsage(clientCpu));
      const after = await stats(child);
      await Promise.all(clients.map((c) => c.quit()));

      const received = after.messages - before.messages;
      const octets = after.octets - before.octets;
      if (received !== phase.completed || octets !== received * MESSAGE_SIZE) {
        throw new Error(
          `client completed ${phase.completed} transactions; server took ${received} messages ` +
            `of ${octets} octets in all (expected ${MESSAGE_SIZE} each)`,
        );
      }
      const elapsed = seconds(phase.elapsedNs);
      const serverUsed = cpuSeconds(after.cpu) - cpuSeconds(before.cpu);
      const figures: Figure[] = [
        {
          name: 'smtp.smtp-server.tps',
          value: phase.completed / elapsed,
          unit: 'transactions/s',
          note:
            `${phase.completed} transactions in ${format(elapsed)} s on ${CONNECTIONS} ` +
            `connections; CPU: server ${format((100 * serverUsed) / elapsed)}%, ` +
            `client ${format((100 * clientUsed) / elapsed)}% of a core`,
        },
      ];
      return figures;
    } finally {
      await stop(child);
    }
  },
};
