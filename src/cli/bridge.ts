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
 * TLS is real on the real side, with a self-signed certificate made at start-up:
 *
 * - STARTTLS (RFC 3207): the simulated server tells the world's `onStartTls` hook when it
 *   has sent "220 2.0.0 Ready to start TLS". The bridge takes over that handshake: once
 *   the 220 has reached the real client, the real socket becomes a TLS server socket, and
 *   when the real handshake is done (the TLS socket's 'secure' event) the bridge completes
 *   the simulated one, which marks the session secure and traces `tls.handshake`. Until
 *   then the simulated server drops whatever plaintext the client sent (CVE-2011-0411).
 * - Implicit TLS (RFC 8314, port 465): when the target service's policy is implicit TLS,
 *   the accepted socket is a TLS server socket from the first byte, and the simulated
 *   connection (whose server marks itself secure at connect) is opened once the real
 *   handshake is done, so a client that never completes one never reaches the world.
 */
import net from 'node:net';
import tls from 'node:tls';
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { builtInScenario, type Scenario } from '../engine/scenario';
import { World } from '../engine/world';
import type { StartTlsHook, StartTlsRequest } from '../engine/agents/smtpd';
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
  /**
   * A running world to bridge into; otherwise one is built from `scenario`. Several
   * bridges may share one world (one per service, say). The bridges take over the world's
   * `onStartTls` hook while they run, passing on requests for other connections to the
   * hook that was set before.
   */
  world?: World;
  /** Used when no `world` is given; the built-in `default` scenario when neither is. */
  scenario?: Scenario;
  /** Where to listen; port 0 picks a free port. Default 127.0.0.1:2525. */
  listen?: HostPort;
  /** The virtual service (host name or address, and port). Default mx1.beta.example:25. */
  to?: HostPort;
  /** The virtual host real clients appear as. */
  outside?: { name: string; address: string };
  /** PEM key and certificate for TLS; a self-signed pair is made when absent. */
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
  /** The target is an implicit-TLS service (RFC 8314): real clients must start with TLS. */
  readonly implicitTls: boolean;
  /** The TLS certificate (PEM), for clients that want to pin it. */
  readonly certificate: string;
  /** Real connections currently open (including implicit-TLS handshakes under way). */
  connectionCount(): number;
  /**
   * Run the world until it has settled, as the bridge does after every socket event (for
   * a test that wants mail relayed on before it looks into a mailbox).
   */
  settle(): void;
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
  // Ask the engine what the service is: RFC 8314 implicit TLS, or plaintext first.
  const implicitTls = world.smtpd(target.host, target.port)?.config.policy.tls === 'implicit';
  const pems = options.tls ?? (await makeCertificate(target.host, listen.host));
  const secureContext = tls.createSecureContext({ key: pems.key, cert: pems.cert });

  const pump = Pump.acquire(world);
  const connections = new Set<BridgedConnection>();
  const context: ConnectionContext = {
    world,
    pump,
    connections,
    target,
    outside,
    implicitTls,
    secureContext,
    log,
  };
  const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (socket) => {
    new BridgedConnection(socket, context).start();
  });
  try {
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(listen.port, listen.host, () => {
        server.off('error', fail);
        done();
      });
    });
  } catch (error) {
    pump.release();
    throw error;
  }
  server.on('error', (error) => log(`lab bridge: ${message(error)}`));
  const bound = server.address() as net.AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    world,
    address: bound.address,
    port: bound.port,
    target,
    outside,
    implicitTls,
    certificate: pems.cert,
    connectionCount: () => connections.size,
    settle: () => pump.run(),
    close() {
      closing ??= new Promise<void>((done) => {
        server.close(() => done());
        for (const connection of [...connections]) connection.abort();
        pump.run();
        pump.release();
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

/** One pump per world, shared by all the bridges into it. */
const pumps = new WeakMap<World, Pump>();

/**
 * Runs the world on behalf of all bridged connections into it, routes trace events about
 * their simulated connections to them, and answers the world's STARTTLS hook for them.
 * One world needs one pump: settling the world moves every bridge's bytes, so whoever
 * settles must let every bridged connection act on what arrived.
 */
class Pump {
  readonly connections = new Set<BridgedConnection>();
  private byConn = new Map<string, BridgedConnection>();
  private users = 0;
  private readonly unsubscribe: () => void;
  private readonly previousHook: StartTlsHook | undefined;
  private readonly hook: StartTlsHook = (request) => {
    const connection = this.byConn.get(request.conn);
    return connection ? connection.startTls(request) : this.previousHook?.(request);
  };

  static acquire(world: World): Pump {
    let pump = pumps.get(world);
    if (!pump) {
      pump = new Pump(world);
      pumps.set(world, pump);
    }
    pump.users++;
    return pump;
  }

  private constructor(private readonly world: World) {
    this.unsubscribe = world.trace.subscribe((event) => this.observe(event));
    this.previousHook = world.onStartTls;
    world.onStartTls = this.hook;
  }

  /** A bridge is done with the pump; the last one gives the world its hook back. */
  release(): void {
    if (--this.users > 0) return;
    this.unsubscribe();
    if (this.world.onStartTls === this.hook) this.world.onStartTls = this.previousHook;
    pumps.delete(this.world);
  }

  /** `connection` carries simulated connection `conn`. */
  bind(connection: BridgedConnection, conn: string): void {
    this.byConn.set(conn, connection);
  }

  remove(connection: BridgedConnection): void {
    this.connections.delete(connection);
    if (connection.conn) this.byConn.delete(connection.conn);
  }

  private observe(event: TraceEvent): void {
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
  /** The connections of this bridge (the pump has those of every bridge into the world). */
  connections: Set<BridgedConnection>;
  target: { host: string; address: string; port: number };
  outside: { name: string; address: string };
  implicitTls: boolean;
  secureContext: tls.SecureContext;
  log(line: string): void;
}

/** One real TCP connection and the simulated connection it is carried on. */
class BridgedConnection {
  conn: string | undefined;
  private sim: SimSocket | undefined;
  /** What is read from and written to: the accepted socket, or TLS over it. */
  private transport: net.Socket;
  /**
   * plain → (the simulated server accepted STARTTLS) tls-agreed → (its reply has reached
   * the real client) handshake → (the real handshake is done) tls. Implicit TLS starts in
   * handshake.
   */
  private phase: 'plain' | 'tls-agreed' | 'handshake' | 'tls' = 'plain';
  /** The simulated handshake the bridge took over, completed once the real one is done. */
  private tlsRequest: StartTlsRequest | undefined;
  /** Bytes the simulated server wrote, and how many of them reached our simulated socket. */
  private serverSent = 0;
  private serverDelivered = 0;
  /** The simulated server's FIN or RST: sent (seen in the trace), then arrived here. */
  private serverEnd: 'open' | 'fin-sent' | 'rst-sent' | 'arrived' = 'open';
  /** Bytes either way that arrived while the real TLS handshake was still running. */
  private heldForClient: Uint8Array[] = [];
  private heldForServer: Buffer[] = [];
  private linger: ReturnType<typeof setTimeout> | undefined;
  private done = false;

  constructor(
    private readonly raw: net.Socket,
    private readonly ctx: ConnectionContext,
  ) {
    this.transport = raw;
  }

  /** The real connection was accepted: wire it, and open the simulated one (after TLS). */
  start(): void {
    this.ctx.connections.add(this);
    this.ctx.pump.connections.add(this);
    this.attachTransport(this.raw);
    if (this.ctx.implicitTls) this.upgrade(() => this.open());
    else this.open();
  }

  /** Open the simulated connection. */
  private open(): void {
    const { world, pump, target, outside } = this.ctx;
    let outcome: 'pending' | 'connected' | 'refused' = 'pending';
    this.conn = world.net.connect(outside.name, target.address, target.port, {
      onConnect: (socket) => {
        outcome = 'connected';
        this.sim = socket.on({
          onData: (data) => this.fromServer(data),
          onClose: () => this.serverClosed(),
          onReset: () => this.serverReset(),
        });
        // Implicit TLS: the real handshake is done already.
        if (this.phase === 'tls') this.sim.secure = true;
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
    pump.bind(this, this.conn);
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
    }
  }

  /**
   * The world's STARTTLS hook, for this connection: the simulated server has sent "220
   * 2.0.0 Ready to start TLS" (RFC 3207 §4) and waits for the handshake. The bridge takes
   * it over (returns true): everything the server wrote up to and including that reply
   * still goes to the real client in plaintext; once it has all arrived (see `settled`),
   * the real socket becomes a TLS server socket, and the simulated handshake is completed
   * when the real one is. Plaintext the client sent after STARTTLS was handed to the
   * simulated server, which drops it (CVE-2011-0411); it is never carried again.
   *
   * A second request (STARTTLS inside TLS, which the server should not accept) is taken
   * over too and never completed: the real client's TLS-in-TLS attempt fails, as it would.
   */
  startTls(request: StartTlsRequest): true {
    if (this.phase === 'plain' && !this.done) {
      this.phase = 'tls-agreed';
      this.tlsRequest = request;
    }
    return true;
  }

  /** The world has settled: act on what arrived. */
  settled(): void {
    if (this.phase !== 'tls-agreed' || this.done || this.waiting()) return;
    // The server hung up after its 220: nothing to secure.
    if (this.serverEnd !== 'open') return;
    this.upgrade(() => this.startTlsDone());
  }

  /** The real STARTTLS handshake is done: so is the simulated one, and the session goes on. */
  private startTlsDone(): void {
    if (this.sim) this.sim.secure = true;
    const request = this.tlsRequest;
    this.tlsRequest = undefined;
    request?.complete();
    this.ctx.pump.run();
  }

  /**
   * Make the real socket a TLS server socket; `secured` runs once the handshake is done.
   * Bytes the client sends during the handshake are TLS records, read by the TLS socket.
   */
  private upgrade(secured: () => void): void {
    this.phase = 'handshake';
    this.raw.off('data', this.onData);
    this.raw.off('end', this.onEnd);
    const secure = new tls.TLSSocket(this.raw, {
      isServer: true,
      secureContext: this.ctx.secureContext,
    });
    secure.once('secure', () => {
      if (this.done) return;
      this.phase = 'tls';
      for (const chunk of this.heldForClient.splice(0)) secure.write(chunk);
      secured();
      for (const chunk of this.heldForServer.splice(0)) this.fromClient(chunk);
    });
    this.transport = secure;
    this.attachTransport(secure);
  }

  private onData = (chunk: Buffer) => this.fromClient(chunk);
  private onEnd = () => this.clientEnded();
  private onError = (error: Error) => this.clientFailed(error);
  private onClose = () => this.clientClosed();

  private attachTransport(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
  }

  // --- real → simulated -------------------------------------------------------------

  private fromClient(chunk: Buffer): void {
    if (this.done) return;
    if (this.phase === 'handshake') {
      // Decrypted bytes before the 'secure' event: keep them for after it.
      this.heldForServer.push(chunk);
      return;
    }
    if (!this.sim) return;
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
    if (!this.sim) {
      // An implicit-TLS client that left before its handshake was done: never in the world.
      this.finish();
      this.transport.destroy();
      return;
    }
    this.sim.close();
    this.ctx.pump.run();
    if (!this.transport.writableEnded) this.transport.end();
  }

  private clientFailed(error: Error): void {
    if (this.done) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ECONNRESET' && code !== 'EPIPE') {
      const where = this.conn ?? 'TLS handshake before connecting';
      this.ctx.log(`lab bridge: ${where}: ${message(error)}`);
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
    if (this.phase === 'handshake') this.heldForClient.push(data);
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
    this.ctx.connections.delete(this);
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
      `in scenario "${scenario.name}"; ${bridge.implicitTls ? 'implicit TLS' : 'STARTTLS'} with a ` +
      `self-signed certificate; Ctrl-C stops\n`,
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
