/** The name server host: answers DNS queries on UDP port 53 from its zone. */
import type { Network } from '../net/network';
import type { DnsQuery, DnsResponse } from './records';
import type { Zone } from './zone';

export const DNS_PORT = 53;

export interface DnsServerFaults {
  /** Names answered with SERVFAIL (a broken upstream), lower case. */
  servfail: Set<string>;
}

export function startDnsServer(
  net: Network,
  host: string,
  zone: Zone,
  faults: DnsServerFaults,
): void {
  const address = net.hostByName(host)!.address;
  net.bindUdp(host, DNS_PORT, ({ from, payload }) => {
    const query = payload as DnsQuery;
    const name = query.name.toLowerCase().replace(/\.$/, '');
    const response: DnsResponse = faults.servfail.has(name)
      ? {
          id: query.id,
          question: { name, type: query.type },
          rcode: 'SERVFAIL',
          authoritative: false,
          answers: [],
          authority: [],
        }
      : zone.answer(query.id, name, query.type);
    net.sendUdp({ host, address, port: DNS_PORT }, from.address, from.port, response);
  });
}
