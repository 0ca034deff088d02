/**
 * What the views look up in the trace, kept up to date incrementally: connections and their
 * events, SMTP sessions, the mail log, how queue ids link hops of one message, and the MX
 * tracker. A view calls `sync()` before reading; only events added since the last call
 * are looked at, so a view's cost follows what changed, not the length of the trace.
 *
 * One index per world (a rebuilt world gets a fresh one), so stepping back is free of
 * stale state.
 */
import type { Endpoint, TraceEvent } from '../../engine/trace';
import type { World } from '../../engine/world';
import { MxTracker } from '../diagram/mx';
import type { TokenContext } from '../diagram/topology';

export interface ConnInfo {
  conn: string;
  from: Endpoint;
  to: Endpoint;
  start: number;
  /** Indices (into the trace) of every event about this connection. */
  events: number[];
  /** Index of the first SMTP event, if the connection carried SMTP. */
  smtpAt?: number;
  end?: number;
}

/** A hop's link to the message it came from. */
export interface PrevHop {
  host: string;
  queueId: string;
  /** This queue id is the bounce (DSN) of the previous one. */
  bounce: boolean;
}

const key = (host: string, queueId: string) => `${host} ${queueId}`;

export class TraceIndex implements TokenContext {
  private cursor = 0;
  readonly conns = new Map<string, ConnInfo>();
  /** Connections that carried SMTP, in the order their first SMTP event came. */
  readonly sessions: string[] = [];
  /** Indices of `log` events. */
  readonly logs: number[] = [];
  readonly logsByHost = new Map<string, number[]>();
  /** queue id → index of its mail.accepted (where and from which session it came in). */
  readonly accepted = new Map<string, number>();
  /** Queue ids in the order they were accepted or created. */
  readonly queueIds: string[] = [];
  /** "host queueId" → indices of queue.result events. */
  readonly results = new Map<string, number[]>();
  /** "host queueId" → index of mail.bounce. */
  readonly bounces = new Map<string, number>();
  /** queue id → indices of mail.delivered. */
  readonly delivered = new Map<string, number[]>();
  /** queue id → the hop (or bounced message) it continues. */
  readonly prevHop = new Map<string, PrevHop>();
  /** queue id → host where it was added to a queue. */
  readonly queuedOn = new Map<string, string>();
  /** Per host: indices of DNS events it asked or got answered, and its outgoing connections. */
  readonly dnsByHost = new Map<string, number[]>();
  readonly connsFrom = new Map<string, string[]>();
  /** Host pairs seen connecting (unordered, "a b" sorted). */
  readonly pairs = new Set<string>();
  /** Closed ports found by a refused connection: host → ports. */
  readonly closedPorts = new Map<string, Set<number>>();
  readonly mx: MxTracker;

  constructor(private readonly world: World) {
    this.mx = new MxTracker((host) => {
      const role = world.host(host)?.role;
      return role === 'msa' || role === 'mx';
    });
  }

  get events(): readonly TraceEvent[] {
    return this.world.trace.events;
  }

  /** Take in the events added since the last call. */
  sync(): this {
    const events = this.world.trace.events;
    for (; this.cursor < events.length; this.cursor++) this.add(events[this.cursor]!, this.cursor);
    return this;
  }

  roleOf(host: string): string | undefined {
    return this.world.host(host)?.role;
  }

  connection(conn: string): ConnInfo | undefined {
    return this.conns.get(conn);
  }

  isDsn(queueId: string): boolean {
    return this.prevHop.get(queueId)?.bounce === true;
  }

  /** The first queue id of the message `queueId` belongs to (walking hops and bounces back). */
  origin(queueId: string): string {
    let id = queueId;
    for (let i = 0; i < 100; i++) {
      const prev = this.prevHop.get(id);
      if (!prev) return id;
      id = prev.queueId;
    }
    return id;
  }

  /** Messages that started in this world (not a later hop or a bounce), oldest first. */
  origins(): string[] {
    return this.queueIds.filter((id) => !this.prevHop.has(id));
  }

  private add(e: TraceEvent, i: number): void {
    if ('conn' in e) {
      const c = this.conns.get(e.conn);
      if (c) {
        c.events.push(i);
        if (c.smtpAt === undefined && (e.type === 'smtp.reply' || e.type === 'smtp.command')) {
          c.smtpAt = i;
          this.sessions.push(c.conn);
        }
      }
    }
    switch (e.type) {
      case 'net.connect': {
        this.conns.set(e.conn, { conn: e.conn, from: e.from, to: e.to, start: e.t, events: [i] });
        push(this.connsFrom, e.from.host, e.conn);
        this.pairs.add([e.from.host, e.to.host].sort().join(' '));
        break;
      }
      case 'net.refused': {
        const c = this.conns.get(e.conn);
        if (c) {
          c.end = e.t;
          if (e.reason === 'port-closed') {
            const ports = this.closedPorts.get(c.to.host) ?? new Set<number>();
            ports.add(c.to.port);
            this.closedPorts.set(c.to.host, ports);
          }
        }
        break;
      }
      case 'net.close':
      case 'net.reset': {
        const c = this.conns.get(e.conn);
        if (c) c.end = e.t;
        break;
      }
      case 'log':
        this.logs.push(i);
        push(this.logsByHost, e.host, i);
        break;
      case 'mail.accepted':
        this.accepted.set(e.queueId, i);
        break;
      case 'queue.added':
        this.queuedOn.set(e.queueId, e.host);
        this.queueIds.push(e.queueId);
        break;
      case 'queue.result': {
        push(this.results, key(e.host, e.queueId), i);
        const next = /queued as ([0-9A-Za-z]+)/.exec(e.reason)?.[1];
        if (e.status === 'sent' && next && next !== e.queueId) {
          this.prevHop.set(next, { host: e.host, queueId: e.queueId, bounce: false });
        }
        break;
      }
      case 'mail.bounce':
        this.bounces.set(key(e.host, e.queueId), i);
        this.prevHop.set(e.dsnId, { host: e.host, queueId: e.queueId, bounce: true });
        break;
      case 'mail.delivered':
        push(this.delivered, e.queueId, i);
        break;
      case 'dns.query':
      case 'dns.answer':
      case 'dns.timeout':
        push(this.dnsByHost, e.host, i);
        break;
      default:
        break;
    }
    this.mx.add(e);
  }
}

function push<K, V>(map: Map<K, V[]>, k: K, v: V): void {
  const list = map.get(k);
  if (list) list.push(v);
  else map.set(k, [v]);
}

const indexes = new WeakMap<World, TraceIndex>();

/** The index of `world`, synced to its trace. */
export function traceIndex(world: World): TraceIndex {
  let index = indexes.get(world);
  if (!index) {
    index = new TraceIndex(world);
    indexes.set(world, index);
  }
  return index.sync();
}
