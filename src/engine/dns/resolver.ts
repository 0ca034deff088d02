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
  | { ok: true; rcode: DnsResponse['rcode']; answers: ResourceRecord[]; cached: boolean }
  | { ok: false; error: 'timeout' };

interface CacheEntry {
  rcode: DnsResponse['rcode'];
  answers: ResourceRecord[];
  expires: number;
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
  lookup(rawName: string, type: RecordType, done: (result: LookupResult) => void): void {
    const name = normalizeName(rawName);
    const key = `${name}|${type}`;
    const hit = this.cache.get(key);
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
      done({ ok: true, rcode: hit.rcode, answers, cached: true });
      return;
    }
    this.ask(name, type, 1, done);
  }

  private ask(
    name: string,
    type: RecordType,
    attempt: number,
    done: (r: LookupResult) => void,
  ): void {
    const id = this.random.int(65536);
    const server = this.server;
    this.trace.emit({
      type: 'dns.query',
      host: this.host,
      server: server?.host ?? '',
      qid: id,
      name,
      qtype: type,
    });
    const timer = this.clock.after(QUERY_TIMEOUT, () => {
      this.pending.delete(id);
      this.trace.emit({
        type: 'dns.timeout',
        host: this.host,
        server: server?.host ?? '',
        qid: id,
        name,
        qtype: type,
      });
      if (attempt < QUERY_ATTEMPTS) this.ask(name, type, attempt + 1, done);
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
      this.store(name, type, response);
      done({ ok: true, rcode: response.rcode, answers: response.answers, cached: false });
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
        expires: this.clock.now + ttl * 1000,
      });
    }
  }
}

function present(r: ResourceRecord): string {
  return `${r.name}. ${r.ttl} IN ${r.type} ${recordData(r)}`;
}
