/**
 * Simulated hosts, listening ports and TCP-like connections between them. Every
 * connection attempt, byte and close is recorded in the trace; time passes only through
 * the scheduler, so latency is virtual and the run is deterministic.
 */
import type { Millis, Scheduler } from '../clock';
import type { Random } from '../random';
import { text } from '../bytes';
import type { Endpoint, Trace } from '../trace';
import { Socket, type Link } from './socket';

export interface HostConfig {
  name: string;
  address: string;
  up?: boolean;
}

export type AcceptHandler = (socket: Socket) => void;

/** A UDP datagram; its payload is a structured value (a DNS message), not bytes. */
export interface Datagram<T = unknown> {
  from: Endpoint;
  to: Endpoint;
  payload: T;
}

export type DatagramHandler = (datagram: Datagram) => void;

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
  udp: Map<number, DatagramHandler>;
  nextPort: number;
}

/** One-way latency used where a scenario names none (a fast LAN-ish link). */
export const DEFAULT_LATENCY: Millis = 10;
/** Linux gives up on a SYN after about two minutes; labs want an answer sooner. */
export const DEFAULT_CONNECT_TIMEOUT: Millis = 30_000;
/** Linux's TCP_RTO_MIN: the shortest wait before a lost segment is sent again. */
const MIN_RTO: Millis = 200;
/** Ephemeral ports start where IANA's dynamic range does (RFC 6335 §6). */
const FIRST_EPHEMERAL_PORT = 49152;

export class Network implements Link {
  private hosts = new Map<string, Host>();
  private byAddress = new Map<string, Host>();
  private latencies = new Map<string, Millis>();
  private losses = new Map<string, number>();
  private connCount = 0;
  /** Moves whenever a link's latency or loss changes, so sockets refresh their copies. */
  private links = 0;

  constructor(
    private readonly scheduler: Scheduler,
    private readonly trace: Trace,
    /** Draws segment losses; without it no link loses anything. */
    private readonly random?: Random,
  ) {}

  addHost(config: HostConfig): void {
    if (this.hosts.has(config.name)) throw new Error(`duplicate host ${config.name}`);
    if (this.byAddress.has(config.address)) throw new Error(`duplicate address ${config.address}`);
    const host: Host = {
      name: config.name,
      address: config.address,
      up: config.up ?? true,
      listeners: new Map(),
      udp: new Map(),
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
    this.links++;
  }

  /** Lose `fraction` of the segments on a link; each loss costs a retransmission. */
  setLoss(a: string, b: string, fraction: number): void {
    this.losses.set(linkKey(a, b), fraction);
    this.links++;
  }

  latency(a: string, b: string): Millis {
    return this.latencies.get(linkKey(a, b)) ?? DEFAULT_LATENCY;
  }

  listen(hostName: string, port: number, onAccept: AcceptHandler): void {
    const host = this.requireHost(hostName);
    if (host.listeners.has(port)) throw new Error(`${hostName}:${port} is already listening`);
    host.listeners.set(port, onAccept);
  }

  /** Bind a UDP port; a datagram to a port nobody bound is dropped, as UDP does. */
  bindUdp(hostName: string, port: number, handler: DatagramHandler): void {
    const host = this.requireHost(hostName);
    if (host.udp.has(port)) throw new Error(`${hostName}:${port}/udp is already bound`);
    host.udp.set(port, handler);
  }

  /** A fresh ephemeral port on `hostName`, for a client socket. */
  ephemeralPort(hostName: string): number {
    return this.requireHost(hostName).nextPort++;
  }

  /** Send a datagram; it arrives after the link latency if the host is up and bound. */
  sendUdp(from: Endpoint, toAddress: string, port: number, payload: unknown): void {
    const target = this.byAddress.get(toAddress);
    if (!target) return;
    const datagram: Datagram = {
      from,
      to: { host: target.name, address: toAddress, port },
      payload,
    };
    this.scheduler.after(this.latency(from.host, target.name), () => {
      if (target.up) target.udp.get(port)?.(datagram);
    });
  }

  setUp(hostName: string, up: boolean): void {
    this.requireHost(hostName).up = up;
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
    this.arrive(from, () => {
      if (!from.aborted) from.peer.deliver(data);
    });
  }

  finish(from: Socket): void {
    this.trace.emit({ type: 'net.close', conn: from.conn, by: from.local.host });
    this.arrive(from, () => from.peer.deliverClose());
  }

  abort(from: Socket): void {
    from.aborted = true;
    this.trace.emit({ type: 'net.reset', conn: from.conn, by: from.local.host });
    this.scheduler.after(this.link(from).latency, () => from.peer.deliverReset());
  }

  /** Schedule an arrival at the peer no earlier than the previous one in this direction. */
  private arrive(from: Socket, run: () => void): void {
    const link = this.link(from);
    const latency = link.latency + this.retransmissions(link.loss);
    const at = Math.max(this.scheduler.now + latency, from.lastArrival);
    from.lastArrival = at;
    this.scheduler.after(at - this.scheduler.now, run);
  }

  /**
   * TCP hides loss as delay: a lost segment is sent again after the retransmission timeout,
   * which doubles on each further loss (RFC 6298 §5.5; Linux's minimum RTO is 200 ms).
   */
  private retransmissions(loss: number): Millis {
    let delay = 0;
    for (let rto = MIN_RTO; loss > 0 && this.random && this.random.next() < loss; rto *= 2) {
      delay += rto;
    }
    return delay;
  }

  /** The socket's route, looked up again only after a link changed. */
  private link(from: Socket): Socket['route'] {
    const link = from.route;
    if (link.version !== this.links) {
      const key = linkKey(from.local.host, from.remote.host);
      link.latency = this.latencies.get(key) ?? DEFAULT_LATENCY;
      link.loss = this.losses.get(key) ?? 0;
      link.version = this.links;
    }
    return link;
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
