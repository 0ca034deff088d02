/**
 * Simulated hosts, listening ports and TCP-like connections between them. Every
 * connection attempt, byte and close is recorded in the trace; time passes only through
 * the scheduler, so latency is virtual and the run is deterministic.
 */
import type { Millis, Scheduler } from '../clock';
import { text } from '../bytes';
import type { Endpoint, Trace } from '../trace';
import { Socket, type Link } from './socket';

export interface HostConfig {
  name: string;
  address: string;
  up?: boolean;
}

export type AcceptHandler = (socket: Socket) => void;

export type ConnectError = 'port-closed' | 'host-down' | 'no-route';

export interface ConnectOptions {
  /** How long the client waits for an answer from a host that never replies. */
  timeout?: Millis;
  onConnect(socket: Socket): void;
  onError(reason: ConnectError): void;
}

interface Host {
  name: string;
  address: string;
  up: boolean;
  listeners: Map<number, AcceptHandler>;
  nextPort: number;
}

/** One-way latency used where a scenario names none (a fast LAN-ish link). */
export const DEFAULT_LATENCY: Millis = 10;
/** Linux gives up on a SYN after about two minutes; labs want an answer sooner. */
export const DEFAULT_CONNECT_TIMEOUT: Millis = 30_000;
/** Ephemeral ports start where IANA's dynamic range does (RFC 6335 §6). */
const FIRST_EPHEMERAL_PORT = 49152;

export class Network implements Link {
  private hosts = new Map<string, Host>();
  private byAddress = new Map<string, Host>();
  private latencies = new Map<string, Millis>();
  /** Per direction of each connection: when its last chunk arrives, to keep order. */
  private lastArrival = new WeakMap<Socket, Millis>();
  private connCount = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly trace: Trace,
  ) {}

  addHost(config: HostConfig): void {
    if (this.hosts.has(config.name)) throw new Error(`duplicate host ${config.name}`);
    if (this.byAddress.has(config.address)) throw new Error(`duplicate address ${config.address}`);
    const host: Host = {
      name: config.name,
      address: config.address,
      up: config.up ?? true,
      listeners: new Map(),
      nextPort: FIRST_EPHEMERAL_PORT,
    };
    this.hosts.set(host.name, host);
    this.byAddress.set(host.address, host);
  }

  hostNames(): string[] {
    return [...this.hosts.keys()];
  }

  hostByName(name: string): { name: string; address: string; up: boolean } | undefined {
    return this.hosts.get(name);
  }

  hostByAddress(address: string): { name: string; address: string; up: boolean } | undefined {
    return this.byAddress.get(address);
  }

  setLatency(a: string, b: string, latency: Millis): void {
    this.latencies.set(linkKey(a, b), latency);
  }

  latency(a: string, b: string): Millis {
    return this.latencies.get(linkKey(a, b)) ?? DEFAULT_LATENCY;
  }

  listen(hostName: string, port: number, onAccept: AcceptHandler): void {
    const host = this.requireHost(hostName);
    if (host.listeners.has(port)) throw new Error(`${hostName}:${port} is already listening`);
    host.listeners.set(port, onAccept);
  }

  isListening(hostName: string, port: number): boolean {
    return this.hosts.get(hostName)?.listeners.has(port) ?? false;
  }

  /** Open a connection from `fromHost` to `toAddress:port`; the outcome arrives later. */
  connect(fromHost: string, toAddress: string, port: number, options: ConnectOptions): string {
    const client = this.requireHost(fromHost);
    const server = this.byAddress.get(toAddress);
    const conn = `c${++this.connCount}`;
    const from: Endpoint = { host: client.name, address: client.address, port: client.nextPort++ };
    const to: Endpoint = { host: server?.name ?? toAddress, address: toAddress, port };
    this.trace.emit({ type: 'net.connect', conn, from, to });

    if (!server || !server.up) {
      const reason: ConnectError = server ? 'host-down' : 'no-route';
      this.scheduler.after(options.timeout ?? DEFAULT_CONNECT_TIMEOUT, () => {
        this.trace.emit({ type: 'net.refused', conn, reason });
        options.onError(reason);
      });
      return conn;
    }

    const rtt = 2 * this.latency(client.name, server.name);
    this.scheduler.after(rtt, () => {
      const accept = server.listeners.get(port);
      if (!accept || !server.up) {
        this.trace.emit({ type: 'net.refused', conn, reason: 'port-closed' });
        options.onError('port-closed');
        return;
      }
      const clientSide = new Socket(conn, from, to, this);
      const serverSide = new Socket(conn, to, from, this);
      clientSide.peer = serverSide;
      serverSide.peer = clientSide;
      this.trace.emit({ type: 'net.established', conn });
      accept(serverSide);
      options.onConnect(clientSide);
    });
    return conn;
  }

  transmit(from: Socket, data: Uint8Array): void {
    this.trace.emit({
      type: 'net.data',
      conn: from.conn,
      from: from.local.host,
      to: from.remote.host,
      bytes: data.length,
      text: text(data),
    });
    this.arrive(from, () => from.peer.deliver(data));
  }

  finish(from: Socket): void {
    this.trace.emit({ type: 'net.close', conn: from.conn, by: from.local.host });
    this.arrive(from, () => from.peer.deliverClose());
  }

  abort(from: Socket): void {
    this.trace.emit({ type: 'net.reset', conn: from.conn, by: from.local.host });
    this.scheduler.after(this.latency(from.local.host, from.remote.host), () =>
      from.peer.deliverReset(),
    );
  }

  /** Schedule an arrival at the peer no earlier than the previous one in this direction. */
  private arrive(from: Socket, run: () => void): void {
    const latency = this.latency(from.local.host, from.remote.host);
    const at = Math.max(this.scheduler.now + latency, this.lastArrival.get(from) ?? 0);
    this.lastArrival.set(from, at);
    this.scheduler.after(at - this.scheduler.now, run);
  }

  private requireHost(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`unknown host ${name}`);
    return host;
  }
}

function linkKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
