/**
 * A host's stub resolver: asks the configured name server over simulated UDP, retries on
 * silence as glibc does (resolv.conf defaults: timeout 5 s, 2 attempts), and caches answers
 * for their TTL and negative answers for the SOA minimum (RFC 2308), in virtual time.
 */
import type { Scheduler } from '../clock';
import type { Random } from '../random';
import type { Trace } from '../trace';
import type { Network } from '../net/network';
import { DNS_PORT } from './server';
import {
  normalizeName,
  recordData,
  type DnsResponse,
  type RecordType,
  type ResourceRecord,
} from './records';

/** glibc's RES_TIMEOUT and RES_DFLRETRY. */
export const QUERY_TIMEOUT = 5_000;
export const QUERY_ATTEMPTS = 2;

export type LookupResult =
  | {
      ok: true;
      rcode: DnsResponse['rcode'];
      answers: ResourceRecord[];
      cached: boolean;
      /** The answering message's id (0 from the cache). */
      id: number;
      /** The AA bit: false for a cached answer, which no server vouched for just now. */
      authoritative: boolean;
      /** The SOA of a negative answer (RFC 2308 §3). */
      authority: ResourceRecord[];
      /** Virtual milliseconds from the answered query to its answer (0 from the cache). */
      queryTime: number;
    }
  | { ok: false; error: 'timeout' };

/** How one lookup deviates from the stub resolver's defaults. */
export interface LookupOptions {
  /**
   * Use the cache (the default). Tools such as dig talk to the server directly: with
   * `false` the cache is neither read nor filled.
   */
  cache?: boolean;
  /** Ask the server at this address instead of the configured one (dig @SERVER). */
  server?: string;
  /** Tries before giving up (default QUERY_ATTEMPTS; dig's +tries is 3). */
  attempts?: number;
  /** Milliseconds to wait for each try (default QUERY_TIMEOUT). */
  timeout?: number;
}

interface CacheEntry {
  rcode: DnsResponse['rcode'];
  answers: ResourceRecord[];
  authority: ResourceRecord[];
  expires: number;
}

interface Query {
  name: string;
  type: RecordType;
  server: { host: string; address: string } | undefined;
  attempts: number;
  timeout: number;
  cache: boolean;
  done: (result: LookupResult) => void;
}

export class Resolver {
  private cache = new Map<string, CacheEntry>();
  private pending = new Map<number, (response: DnsResponse) => void>();
  private port: number;

  constructor(
    private readonly host: string,
    private readonly server: { host: string; address: string } | undefined,
    private readonly net: Network,
    private readonly clock: Scheduler,
    private readonly trace: Trace,
    private readonly random: Random,
  ) {
    this.port = net.ephemeralPort(host);
    net.bindUdp(host, this.port, ({ payload }) => this.receive(payload as DnsResponse));
  }

  /** Look `name` up; `done` runs later (or at once from the cache). */
  lookup(
    rawName: string,
    type: RecordType,
    done: (result: LookupResult) => void,
    options: LookupOptions = {},
  ): void {
    const name = normalizeName(rawName);
    const key = `${name}|${type}`;
    const cache = options.cache ?? true;
    const hit = cache ? this.cache.get(key) : undefined;
    if (hit && hit.expires > this.clock.now) {
      const remaining = Math.ceil((hit.expires - this.clock.now) / 1000);
      const answers = hit.answers.map((r) => ({ ...r, ttl: Math.min(r.ttl, remaining) }));
      this.trace.emit({
        type: 'dns.answer',
        host: this.host,
        server: this.server?.host ?? '',
        qid: 0,
        name,
        qtype: type,
        rcode: hit.rcode,
        answers: answers.map(present),
        cached: true,
      });
      done({
        ok: true,
        rcode: hit.rcode,
        answers,
        cached: true,
        id: 0,
        authoritative: false,
        authority: hit.authority,
        queryTime: 0,
      });
      return;
    }
    const server =
      options.server === undefined
        ? this.server
        : {
            host: this.net.hostByAddress(options.server)?.name ?? options.server,
            address: options.server,
          };
    const query: Query = {
      name,
      type,
      server,
      attempts: options.attempts ?? QUERY_ATTEMPTS,
      timeout: options.timeout ?? QUERY_TIMEOUT,
      cache,
      done,
    };
    this.ask(query, 1);
  }

  private ask(query: Query, attempt: number): void {
    const { name, type, server, done } = query;
    const id = this.random.int(65536);
    const sentAt = this.clock.now;
    this.trace.emit({
      type: 'dns.query',
      host: this.host,
      server: server?.host ?? '',
      qid: id,
      name,
      qtype: type,
    });
    const timer = this.clock.after(query.timeout, () => {
      this.pending.delete(id);
      this.trace.emit({
        type: 'dns.timeout',
        host: this.host,
        server: server?.host ?? '',
        qid: id,
        name,
        qtype: type,
      });
      if (attempt < query.attempts) this.ask(query, attempt + 1);
      else done({ ok: false, error: 'timeout' });
    });
    this.pending.set(id, (response) => {
      timer.cancel();
      this.trace.emit({
        type: 'dns.answer',
        host: this.host,
        server: server?.host ?? '',
        qid: id,
        name,
        qtype: type,
        rcode: response.rcode,
        answers: response.answers.map(present),
        cached: false,
      });
      if (query.cache) this.store(name, type, response);
      done({
        ok: true,
        rcode: response.rcode,
        answers: response.answers,
        cached: false,
        id,
        authoritative: response.authoritative,
        authority: response.authority,
        queryTime: this.clock.now - sentAt,
      });
    });
    if (server) {
      this.net.sendUdp(
        { host: this.host, address: this.net.hostByName(this.host)!.address, port: this.port },
        server.address,
        DNS_PORT,
        { id, name, type },
      );
    }
  }

  private receive(response: DnsResponse): void {
    const handler = this.pending.get(response.id);
    if (!handler) return; // a late or forged answer: ignored, as a real stub resolver does
    this.pending.delete(response.id);
    handler(response);
  }

  private store(name: string, type: RecordType, response: DnsResponse): void {
    if (response.rcode === 'SERVFAIL' || response.rcode === 'REFUSED') return;
    const ttl =
      response.answers.length > 0
        ? Math.min(...response.answers.map((r) => r.ttl))
        : (response.authority[0]?.ttl ?? 0);
    if (ttl > 0) {
      this.cache.set(`${name}|${type}`, {
        rcode: response.rcode,
        answers: response.answers,
        authority: response.authority,
        expires: this.clock.now + ttl * 1000,
      });
    }
  }
}

function present(r: ResourceRecord): string {
  return `${r.name}. ${r.ttl} IN ${r.type} ${recordData(r)}`;
}
