/**
 * What dig, host and nslookup share: they talk to a name server directly (not through the
 * host's stub-resolver cache), retry on silence, and name the server as BIND's tools do.
 */
import { text } from '../../engine/bytes';
import {
  RECORD_TYPES,
  recordData,
  type RecordType,
  type ResourceRecord,
} from '../../engine/dns/records';
import type { LookupResult } from '../../engine/dns/resolver';
import type { CommandContext } from '../program';
import { getaddrinfo, IPV4 } from './resolve';

/** The BIND release the tools' banners name (Debian 12's). */
export const BIND_VERSION = '9.18.33-1~deb12u2-Debian';

export type Answer = Extract<LookupResult, { ok: true }>;

export interface Server {
  /** As the user named it (or the resolv.conf address). */
  name: string;
  address: string;
}

/** Types the tools recognise on the command line; the lab's server answers the first eight. */
const KNOWN_TYPES = [
  ...RECORD_TYPES,
  'ANY',
  'SRV',
  'CAA',
  'TLSA',
  'DS',
  'DNSKEY',
  'SPF',
  'HINFO',
  'NAPTR',
  'SSHFP',
  'HTTPS',
  'SVCB',
];

export function recordType(word: string): RecordType | undefined {
  const upper = word.toUpperCase();
  return KNOWN_TYPES.includes(upper) ? (upper as RecordType) : undefined;
}

/** The first `nameserver` line of /etc/resolv.conf. */
export function configuredServer(ctx: CommandContext): Server | undefined {
  const read = ctx.fs.read('/etc/resolv.conf', 'root');
  const line = read.ok ? /^nameserver\s+(\S+)/m.exec(text(read.value)) : null;
  return line ? { name: line[1]!, address: line[1]! } : undefined;
}

/** A server given as an address or a name (resolved as any program resolves names). */
export function namedServer(
  ctx: CommandContext,
  name: string,
  done: (server: Server | undefined) => void,
): void {
  if (IPV4.test(name)) return done({ name, address: name });
  getaddrinfo(ctx, name, (r) => done(r.ok ? { name, address: r.address } : undefined));
}

/**
 * Ask `server` directly, one try at a time so each silence can be reported as it happens
 * (`onTimeout`); `done` gets the answer, or undefined when every try timed out.
 */
export function ask(
  ctx: CommandContext,
  server: Server,
  name: string,
  type: RecordType,
  tries: number,
  timeoutMs: number,
  onTimeout: () => void,
  done: (answer: Answer | undefined) => void,
): void {
  const attempt = (left: number) => {
    ctx.world.resolver(ctx.host).lookup(
      name,
      type,
      (result) => {
        if (result.ok) return done(result);
        onTimeout();
        if (left > 1) attempt(left - 1);
        else done(undefined);
      },
      { cache: false, server: server.address, attempts: 1, timeout: timeoutMs },
    );
  };
  attempt(tries);
}

export function commsError(server: Server): string {
  return `;; communications error to ${server.address}#53: timed out\n`;
}

/** The PTR name dig -x, host and nslookup ask for an address. */
export function reverse(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}

export function absolute(name: string): string {
  return name.endsWith('.') ? name : `${name}.`;
}

/** BIND's column indent: tabs to the column, at least one space past it (masterdump.c). */
export function layout(fields: [string, number][]): string {
  let out = '';
  let column = 0;
  fields.forEach(([field, to], i) => {
    if (i > 0) {
      const target = Math.max(to, column + 1);
      const tabs = Math.floor(target / 8) - Math.floor(column / 8);
      if (tabs > 0) {
        out += '\t'.repeat(tabs);
        column = Math.floor(target / 8) * 8;
      }
      out += ' '.repeat(target - column);
      column = target;
    }
    out += field;
    column += field.length;
  });
  return out;
}

/** A record as dig prints it: owner, TTL, class, type, data in BIND's columns. */
export function recordLine(r: ResourceRecord): string {
  return layout([
    [absolute(r.name), 0],
    [String(r.ttl), 24],
    ['IN', 32],
    [r.type, 40],
    [recordData(r), 48],
  ]);
}

/** The size of the answer on the wire, with name compression and an EDNS OPT record. */
export function messageSize(name: string, records: ResourceRecord[]): number {
  const seen = new Set<string>();
  const nameSize = (n: string) => {
    const labels = n === '' || n === '.' ? [] : n.replace(/\.$/, '').split('.');
    let size = 0;
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      if (seen.has(suffix)) return size + 2;
      seen.add(suffix);
      size += 1 + new TextEncoder().encode(labels[i]).length;
    }
    return size + 1;
  };
  const rdata = (r: ResourceRecord) => {
    switch (r.type) {
      case 'A':
        return 4;
      case 'AAAA':
        return 16;
      case 'MX':
        return 2 + nameSize(r.value);
      case 'TXT': {
        const bytes = new TextEncoder().encode(r.value).length;
        return bytes + Math.max(1, Math.ceil(bytes / 255));
      }
      case 'SOA': {
        const [mname = '', rname = ''] = r.value.split(' ');
        return nameSize(mname) + nameSize(rname) + 20;
      }
      default:
        return nameSize(r.value);
    }
  };
  let size = 12 + nameSize(name) + 4;
  for (const r of records) size += nameSize(r.name) + 10 + rdata(r);
  return size + 11;
}
