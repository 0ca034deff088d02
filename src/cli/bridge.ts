/**
 * `lab bridge`: one virtual service on a real TCP port (DESIGN.md, command-line contract),
 * so real SMTP clients talk to the simulated server. Each real connection accepted on the
 * listen address becomes one simulated connection from a virtual outside host (by default
 * client.outside.example, 198.51.100.77, a documentation address, RFC 5737) to the target.
 *
 * Time stays virtual: the bridge drives the world. Whenever something happens on a real
 * socket (bytes, end, error) it is passed into the simulation and the world runs until it
 * has settled; whatever the simulated server sent meanwhile is written to the real socket.
 * A simulated close ends the real socket; a simulated reset resets it. Timers in the world
 * (a tarpit, an idle timeout) therefore only run as far as the settling reaches.
 *
 * STARTTLS: when the simulated server agrees to STARTTLS (RFC 3207 §4, "220 2.0.0 Ready to
 * start TLS"), the bridge turns the real socket into a TLS server socket with a self-signed
 * certificate made at start-up, and then carries the decrypted bytes as before; the
 * simulated stream is marked secure once the real handshake completes. See `startTls`.
 */
import net from 'node:net';
import tls from 'node:tls';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { builtInScenario, type Scenario } from '../engine/scenario';
import { World } from '../engine/world';
import type { Socket as SimSocket } from '../engine/net/socket';
import type { TraceEvent } from '../engine/trace';
import { BRIDGE_USAGE, loadScenario, UsageError, writeTrace } from './common';

export interface HostPort {
  host: string;
  port: number;
}

/** The stand-in for every real client: reserved names and addresses (RFC 2606, RFC 5737). */
export const OUTSIDE_HOST = { name: 'client.outside.example', address: '198.51.100.77' };
export const DEFAULT_LISTEN: HostPort = { host: '127.0.0.1', port: 2525 };
export const DEFAULT_TARGET: HostPort = { host: 'mx1.beta.example', port: 25 };
/** Longest stretch of virtual time the bridge runs to let bytes in flight arrive. */
const DRAIN_LIMIT = 15 * 60_000;
/**
 * Real milliseconds a client may keep its half of the connection open after the simulated
 * server closed (Linux drops such an orphan after tcp_fin_timeout, 60 s).
 */
const LINGER_MS = 60_000;

export interface BridgeOptions {
  /** A running world to bridge into; otherwise one is built from `scenario`. */
  world?: World;
  /** Used when no `world` is given; the built-in `default` scenario when neither is. */
  scenario?: Scenario;
  /** Where to listen; port 0 picks a free port. Default 127.0.0.1:2525. */
  listen?: HostPort;
  /** The virtual service (host name or address, and port). Default mx1.beta.example:25. */
  to?: HostPort;
  /** The virtual host real clients appear as. */
  outside?: { name: string; address: string };
  /** PEM key and certificate for STARTTLS; a self-signed pair is made when absent. */
  tls?: { key: string; cert: string };
  /** Where the bridge reports trouble with one connection (default: stderr). */
  log?: (line: string) => void;
}

export interface Bridge {
  readonly world: World;
  /** The address and port actually listened on (the port is real when 0 was asked). */
  readonly address: string;
  readonly port: number;
  readonly target: { host: string; address: string; port: number };
  readonly outside: { name: string; address: string };
  /** The STARTTLS certificate (PEM), for clients that want to pin it. */
  readonly certificate: string;
  /** Real connections currently open. */
  connectionCount(): number;
  /** Stop listening, reset open connections, let the world settle. */
  close(): Promise<void>;
}

/** A bad option or a target the world does not have: exit code 2 from the CLI. */
export class BridgeError extends Error {}

export async function startBridge(options: BridgeOptions = {}): Promise<Bridge> {
  const world = options.world ?? new World(options.scenario ?? builtInScenario('default'));
  const listen = options.listen ?? DEFAULT_LISTEN;
  const wanted = options.to ?? DEFAULT_TARGET;
  const outside = options.outside ?? OUTSIDE_HOST;
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));

  const target = findTarget(world, wanted);
  try {
    world.addOutsideHost(outside.name, outside.address);
  } catch (error) {
    throw new BridgeError(`cannot add the outside host: ${message(error)}`);
  }
  const pems = options.tls ?? (await makeCertificate(target.host, listen.host));
  const secureContext = tls.createSecureContext({ key: pems.key, cert: pems.cert });

  const pump = new Pump(world);
  const unsubscribe = world.trace.subscribe((event) => pump.observe(event));
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    new BridgedConnection(socket, { world, pump, target, outside, secureContext, log }).open();
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(listen.port, listen.host, () => {
      server.off('error', fail);
      done();
    });
  });
  server.on('error', (error) => log(`lab bridge: ${message(error)}`));
  const bound = server.address() as net.AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    world,
    address: bound.address,
    port: bound.port,
    target,
    outside,
    certificate: pems.cert,
    connectionCount: () => pump.connections.size,
    close() {
      closing ??= new Promise<void>((done) => {
        server.close(() => done());
        for (const connection of [...pump.connections]) connection.abort();
        pump.run();
        unsubscribe();
      });
      return closing;
    },
  };
}

function findTarget(
  world: World,
  wanted: HostPort,
): { host: string; address: string; port: number } {
  const name = wanted.host.toLowerCase().replace(/\.$/, '');
  const host = world.net.hostByName(name) ?? world.net.hostByAddress(name);
  if (!host) {
    throw new BridgeError(
      `--to: no host ${wanted.host} in scenario "${world.scenario.name}" (hosts: ${world.net.hostNames().join(', ')})`,
    );
  }
  return { host: host.name, address: host.address, port: wanted.port };
}

/** A self-signed certificate for the target's name (and the listen address), RFC 5280. */
async function makeCertificate(hostName: string, listenHost: string) {
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 2, value: hostName },
    { type: 2, value: 'localhost' },
  ];
  if (net.isIP(listenHost) && !isWildcard(listenHost)) altNames.push({ type: 7, ip: listenHost });
  const pems = await generate([{ name: 'commonName', value: hostName }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

/**
 * Runs the world on behalf of all bridged connections and routes trace events about their
 * simulated connections to them.
 */
class Pump {
  readonly connections = new Set<BridgedConnection>();
  private byConn = new Map<string, BridgedConnection>();

  constructor(private readonly world: World) {}

  add(connection: BridgedConnection, conn: string): void {
    this.connections.add(connection);
    this.byConn.set(conn, connection);
  }

  remove(connection: BridgedConnection): void {
    this.connections.delete(connection);
    if (connection.conn) this.byConn.delete(connection.conn);
  }

  observe(event: TraceEvent): void {
    if ('conn' in event) this.byConn.get(event.conn)?.observe(event);
  }

  /**
   * Run the world until it has settled, then on while bytes the simulated server wrote to a
   * bridged connection are still on their way (a slow link), then let each connection act
   * on what arrived (a pending STARTTLS upgrade).
   */
  run(): void {
    const clock = this.world.clock;
    this.world.settle();
    const limit = clock.now + DRAIN_LIMIT;
    while ([...this.connections].some((c) => c.waiting()) && clock.now <= limit) {
      if (!clock.step()) break;
      this.world.settle();
    }
    for (const connection of [...this.connections]) connection.settled();
  }
}

interface ConnectionContext {
  world: World;
  pump: Pump;
  target: { host: string; address: string; port: number };
  outside: { name: string; address: string };
  secureContext: tls.SecureContext;
  log(line: string): void;
}

/** One real TCP connection and the simulated connection it is carried on. */
class BridgedConnection {
  conn: string | undefined;
  private sim: SimSocket | undefined;
  /** What is read from and written to: the accepted socket, or TLS over it after STARTTLS. */
  private transport: net.Socket;
  private phase: 'plain' | 'tls-agreed' | 'handshake' | 'tls' = 'plain';
  /** Bytes the simulated server wrote, and how many of them reached our simulated socket. */
  private serverSent = 0;
  private serverDelivered = 0;
  /** The simulated server's FIN or RST: sent (seen in the trace), then arrived here. */
  private serverEnd: 'open' | 'fin-sent' | 'rst-sent' | 'arrived' = 'open';
  private lastVerb = '';
  /** Server bytes that arrived while the real TLS handshake was still running. */
  private heldForTls: Uint8Array[] = [];
  private linger: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly raw: net.Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.transport = raw;
  }

  /** Open the simulated connection and wire the real socket to it. */
  open(): void {
    const { world, pump, target, outside } = this.ctx;
    let outcome: 'pending' | 'connected' | 'refused' = 'pending';
    this.attachTransport(this.raw);
    this.conn = world.net.connect(outside.name, target.address, target.port, {
      onConnect: (socket) => {
        outcome = 'connected';
        this.sim = socket.on({
          onData: (data) => this.fromServer(data),
          onClose: () => this.serverClosed(),
          onReset: () => this.serverReset(),
        });
      },
      onError: (reason) => {
        outcome = 'refused';
        this.ctx.log(
          `lab bridge: ${this.conn}: ${target.host}:${target.port} refused the connection (${reason})`,
        );
        this.finish();
        this.raw.resetAndDestroy();
      },
    });
    pump.add(this, this.conn);
    // A connection to a host that is down is refused only after the client's timeout: run
    // virtual time on until the attempt has an outcome.
    world.settle();
    while (outcome === 'pending' && world.clock.step()) {
      /* run until connected or refused */
    }
    pump.run();
  }

  /** Reset both sides (the bridge is stopping). */
  abort(): void {
    this.sim?.reset();
    this.finish();
    this.transport.destroy();
    if (this.transport !== this.raw) this.raw.destroy();
  }

  /** True while bytes, a FIN or a RST from the simulated server are on their way to us. */
  waiting(): boolean {
    // Once our simulated side has closed it reads nothing more, so there is nothing to wait for.
    if (this.done || !this.sim?.isOpen) return false;
    switch (this.serverEnd) {
      case 'open':
        return this.serverDelivered < this.serverSent;
      case 'fin-sent':
      case 'rst-sent':
        return true;
      case 'arrived':
        return false;
    }
  }

  /** Trace events about this simulated connection, in order. */
  observe(event: TraceEvent): void {
    switch (event.type) {
      case 'net.data':
        if (event.from !== this.ctx.outside.name) this.serverSent += event.bytes;
        break;
      case 'net.close':
        if (event.by !== this.ctx.outside.name && this.serverEnd === 'open') {
          this.serverEnd = 'fin-sent';
        }
        break;
      case 'net.reset':
        if (event.by !== this.ctx.outside.name && this.serverEnd !== 'arrived') {
          this.serverEnd = 'rst-sent';
        }
        break;
      case 'smtp.command':
        this.lastVerb = event.verb;
        break;
      case 'smtp.reply':
        // The STARTTLS hook. It expects the events smtpd emits for every command on this
        // connection: `smtp.command` with verb STARTTLS, then that command's `smtp.reply`.
        // A 220 there is the server's agreement ("220 2.0.0 Ready to start TLS", RFC 3207
        // §4); any other reply (454, 501, 503…) leaves the connection in plaintext. When the
        // server session gets an event of its own for the upgrade, call startTls() from that
        // instead; the rest stays as it is.
        if (this.lastVerb === 'STARTTLS' && event.code === 220) this.startTls();
        this.lastVerb = '';
        break;
    }
  }

  /**
   * The simulated server agreed to STARTTLS. Everything it wrote up to and including that
   * reply still goes to the real client in plaintext; once it has all arrived (see
   * `settled`), the real socket becomes a TLS server socket. Plaintext the client sent
   * after STARTTLS was already handed to the simulated server, whose job it is to discard
   * it (CVE-2011-0411); after the switch, only bytes that came through TLS are carried.
   */
  startTls(): void {
    if (this.phase === 'plain') this.phase = 'tls-agreed';
  }

  /** The world has settled: act on what arrived. */
  settled(): void {
    if (this.phase === 'tls-agreed' && !this.waiting() && !this.done) this.upgrade();
  }

  private upgrade(): void {
    this.phase = 'handshake';
    this.raw.removeAllListeners('data');
    this.raw.removeAllListeners('end');
    const secure = new tls.TLSSocket(this.raw, {
      isServer: true,
      secureContext: this.ctx.secureContext,
    });
    secure.once('secure', () => {
      this.phase = 'tls';
      if (this.sim) this.sim.secure = true;
      for (const chunk of this.heldForTls.splice(0)) secure.write(chunk);
    });
    this.transport = secure;
    this.attachTransport(secure);
  }

  private attachTransport(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => this.fromClient(chunk));
    socket.on('end', () => this.clientEnded());
    socket.on('error', (error) => this.clientFailed(error));
    socket.on('close', () => this.clientClosed());
  }

  // --- real → simulated -------------------------------------------------------------

  private fromClient(chunk: Buffer): void {
    if (this.done || !this.sim) return;
    if (!this.sim.isOpen || this.serverEnd === 'arrived') {
      // The simulated server has closed for good; a real stack answers more data with RST.
      this.sim.reset();
      this.finish();
      this.raw.resetAndDestroy();
      this.ctx.pump.run();
      return;
    }
    this.sim.write(new Uint8Array(chunk));
    this.ctx.pump.run();
  }

  /**
   * The real client sent its FIN. Everything it sent before has been carried and answered
   * (the world settles after each chunk), so the simulated side closes too, and since a
   * closed simulated socket reads nothing more, the real socket ends as well.
   */
  private clientEnded(): void {
    if (this.done) return;
    this.sim?.close();
    this.ctx.pump.run();
    if (!this.transport.writableEnded) this.transport.end();
  }

  private clientFailed(error: Error): void {
    if (this.done) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE') {
      this.ctx.log(`lab bridge: ${this.conn}: ${message(error)}`);
    }
    this.sim?.reset();
    this.finish();
    this.ctx.pump.run();
  }

  private clientClosed(): void {
    if (this.done) return;
    // Closed without an end we saw (a failed TLS handshake, say): the simulated side resets.
    this.sim?.reset();
    this.finish();
    this.ctx.pump.run();
  }

  // --- simulated → real -------------------------------------------------------------

  private fromServer(data: Uint8Array): void {
    this.serverDelivered += data.length;
    if (this.done) return;
    if (this.phase === 'handshake') this.heldForTls.push(data);
    else this.transport.write(data);
  }

  private serverClosed(): void {
    this.serverEnd = 'arrived';
    if (this.done) return;
    this.transport.end();
    this.linger = setTimeout(() => {
      this.abort();
      this.ctx.pump.run();
    }, LINGER_MS);
    this.linger.unref();
  }

  private serverReset(): void {
    this.serverEnd = 'arrived';
    if (this.done) return;
    this.finish();
    this.raw.resetAndDestroy();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    clearTimeout(this.linger);
    this.ctx.pump.remove(this);
  }
}

// --- the command line -------------------------------------------------------------

export interface BridgeArgs {
  scenario: string;
  listen: HostPort;
  to: HostPort;
  trace?: string;
  help: boolean;
}

export function parseBridgeArgs(args: string[]): BridgeArgs {
  const options: BridgeArgs = {
    scenario: 'default',
    listen: DEFAULT_LISTEN,
    to: DEFAULT_TARGET,
    help: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = () => {
      const v = args[++i];
      if (v === undefined || v === '') throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--scenario') options.scenario = value();
    else if (arg === '--listen') options.listen = parseListen(value());
    else if (arg === '--to') options.to = parseTarget(value());
    else if (arg === '--trace') options.trace = value();
    else if (arg === '-h' || arg === '--help') options.help = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  return options;
}

/**
 * `PORT`, `ADDRESS:PORT` or `[IPV6]:PORT`. Only an address literal or `localhost` is taken,
 * never a name that could resolve somewhere else; a bare port means loopback.
 */
export function parseListen(value: string): HostPort {
  const match =
    /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+)):(\d+)$/i.exec(value) ?? /^()()(\d+)$/.exec(value);
  if (!match) {
    throw new UsageError(`--listen wants ADDRESS:PORT (e.g. 127.0.0.1:2525), not "${value}"`);
  }
  const host = match[1] || match[2] || DEFAULT_LISTEN.host;
  if (host !== 'localhost' && !net.isIP(host)) {
    throw new UsageError(`--listen wants an IP address or localhost, not "${host}"`);
  }
  return { host, port: port(match[3]!, '--listen', 0) };
}

/** `HOST[:PORT]`: a virtual host name or address; the port defaults to 25. */
export function parseTarget(value: string): HostPort {
  const match = /^([a-z0-9.-]+)(?::(\d+))?$/i.exec(value);
  if (!match)
    throw new UsageError(`--to wants HOST:PORT (e.g. mx1.beta.example:25), not "${value}"`);
  return { host: match[1]!, port: match[2] === undefined ? 25 : port(match[2], '--to', 1) };
}

function port(text: string, option: string, min: number): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < min || n > 65535) {
    throw new UsageError(`${option}: port must be ${min}–65535, not "${text}"`);
  }
  return n;
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\./.test(h);
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `lab bridge …`: runs until SIGINT or SIGTERM, then exits 0. */
export async function bridgeCommand(args: string[]): Promise<number> {
  let options: BridgeArgs;
  let scenario: Scenario;
  try {
    options = parseBridgeArgs(args);
    if (options.help) {
      process.stdout.write(`${BRIDGE_USAGE}\n`);
      return 0;
    }
    scenario = loadScenario(options.scenario);
    if (options.trace) {
      const dir = dirname(resolve(options.trace));
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        throw new UsageError(`--trace: no directory ${dir}`);
      }
    }
  } catch (error) {
    process.stderr.write(`lab bridge: ${message(error)}\n${BRIDGE_USAGE}\n`);
    return 2;
  }

  let bridge: Bridge;
  try {
    bridge = await startBridge({ scenario, listen: options.listen, to: options.to });
  } catch (error) {
    process.stderr.write(`lab bridge: ${message(error)}\n`);
    return error instanceof BridgeError ? 2 : 1;
  }
  const { target, outside } = bridge;
  if (!bridge.world.net.isListening(target.host, target.port)) {
    process.stderr.write(
      `lab bridge: warning: nothing listens on ${target.host}:${target.port}; connections will be refused\n`,
    );
  }
  if (!isLoopback(bridge.address)) {
    process.stderr.write(
      `lab bridge: warning: ${bridge.address} is not loopback: other machines can reach the simulated server\n`,
    );
  }
  process.stdout.write(
    `lab bridge: listening on ${formatHostPort(bridge.address, bridge.port)}, forwarding to ` +
      `${target.host}:${target.port} (${target.address}) as ${outside.name} (${outside.address}) ` +
      `in scenario "${scenario.name}"; STARTTLS with a self-signed certificate; Ctrl-C stops\n`,
  );

  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await bridge.close();
  if (options.trace) writeTrace(options.trace, bridge.world.trace.events);
  process.stdout.write(`lab bridge: stopped (${signal})\n`);
  return 0;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
