/**
 * DNS data as the simulation carries it: resource records and messages (RFC 1035 §3–4),
 * kept as structured values rather than wire bytes, with the fields `dig` shows.
 */
export type RecordType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'NS' | 'PTR' | 'SOA';

export const RECORD_TYPES: readonly RecordType[] = [
  'A',
  'AAAA',
  'MX',
  'TXT',
  'CNAME',
  'NS',
  'PTR',
  'SOA',
];

export interface ResourceRecord {
  /** Owner name, lower case, without the trailing dot. */
  name: string;
  type: RecordType;
  ttl: number;
  /** A/AAAA: address; MX/CNAME/NS/PTR: a host name ('.' for null MX); TXT: the text. */
  value: string;
  /** MX only. */
  preference?: number;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface DnsQuery {
  id: number;
  name: string;
  type: RecordType;
}

export interface DnsResponse {
  id: number;
  question: { name: string; type: RecordType };
  rcode: Rcode;
  /** Authoritative answer (RFC 1035 §4.1.1 AA). */
  authoritative: boolean;
  answers: ResourceRecord[];
  /** The SOA that bounds negative caching (RFC 2308 §3), on NXDOMAIN and NODATA. */
  authority: ResourceRecord[];
}

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

/** `dig`'s presentation of a record's data. */
export function recordData(r: ResourceRecord): string {
  switch (r.type) {
    case 'MX':
      return `${r.preference ?? 0} ${r.value === '.' ? '.' : `${r.value}.`}`;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${r.value}.`;
    case 'TXT':
      return `"${r.value.replace(/["\\]/g, (c) => `\\${c}`)}"`;
    default:
      return r.value;
  }
}

/** The PTR owner name of an IPv4 address (RFC 1035 §3.5). */
export function reverseName(address: string): string {
  return `${address.split('.').reverse().join('.')}.in-addr.arpa`;
}
