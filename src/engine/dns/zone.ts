/**
 * The authoritative data the simulated name server answers from, built from a scenario:
 * an A and a PTR record for every host, each domain's MX records, and the scenario's own
 * records. One server is authoritative for everything, which keeps the lab's DNS to the
 * part that matters for mail (RFC 5321 §5).
 */
import {
  normalizeName,
  reverseName,
  type DnsResponse,
  type RecordType,
  type ResourceRecord,
} from './records';

/** A TTL short enough that a learner sees a cache expire within a lesson. */
export const DEFAULT_TTL = 300;
/** RFC 2308 §5: negative answers are cached for the SOA minimum. */
export const NEGATIVE_TTL = 60;
/** RFC 1034 §3.6.2 allows chains; real resolvers stop after a handful of hops. */
const MAX_CNAME_CHAIN = 8;

export class Zone {
  private byName = new Map<string, ResourceRecord[]>();
  readonly soa: ResourceRecord;

  constructor(records: ResourceRecord[], nameServer: string) {
    this.soa = {
      name: '',
      type: 'SOA',
      ttl: NEGATIVE_TTL,
      value: `${nameServer}. hostmaster.${nameServer}. 2026010501 3600 600 86400 ${NEGATIVE_TTL}`,
    };
    for (const r of records) this.add(r);
  }

  add(record: ResourceRecord): void {
    const r = { ...record, name: normalizeName(record.name) };
    const list = this.byName.get(r.name) ?? [];
    list.push(r);
    this.byName.set(r.name, list);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Answer a query as the hosts' recursive resolver does: from its data, without the AA bit
   * (RFC 1035 §4.1.1), so `nslookup` says "Non-authoritative answer:" as it would at home.
   */
  answer(id: number, rawName: string, type: RecordType): DnsResponse {
    const name = normalizeName(rawName);
    const answers: ResourceRecord[] = [];
    let owner = name;
    for (let hops = 0; hops <= MAX_CNAME_CHAIN; hops++) {
      const records = this.byName.get(owner);
      if (!records) break;
      const matching = records.filter((r) => r.type === type);
      if (matching.length > 0 || type === 'CNAME') {
        answers.push(...matching);
        break;
      }
      // RFC 1034 §3.6.2: a CNAME is followed, and the chain is part of the answer.
      const alias = records.find((r) => r.type === 'CNAME');
      if (!alias) break;
      answers.push(alias);
      owner = normalizeName(alias.value);
    }
    const exists = this.byName.has(name);
    return {
      id,
      question: { name, type },
      rcode: exists ? 'NOERROR' : 'NXDOMAIN',
      authoritative: false,
      answers,
      authority: answers.length === 0 ? [{ ...this.soa, name: zoneOf(name) }] : [],
    };
  }
}

/** The zone a negative answer's SOA speaks for: beta.example for x.beta.example, else the TLD. */
function zoneOf(name: string): string {
  const labels = name.split('.');
  return labels.slice(labels.length > 2 ? -2 : -1).join('.');
}

export { reverseName };
