/** `host`: its manual page; the program is in host-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const hostCommand: CommandSpec = {
  name: 'host',
  summary: 'DNS lookup utility',
  completes: 'hosts',
  man: {
    synopsis: ['host [-t type] [-W wait] name [server]'],
    description: [
      'host performs DNS lookups and says what it found in plain sentences. Given a name, it looks up its addresses (A, AAAA) and where its mail goes (MX); given an IPv4 address, it looks up the name (PTR). With -t, it asks for that type only.',
      'host asks the name server in /etc/resolv.conf, or SERVER, directly, without the host’s resolver cache.',
    ],
    options: [
      ['-t type', 'the query type: A, AAAA, MX, TXT, CNAME, NS, PTR, SOA'],
      ['-W wait', 'seconds to wait for a reply'],
    ],
    examples: [
      [
        'host beta.example',
        '"beta.example mail is handled by 10 mx1.beta.example." and the backup MX.',
      ],
      ['host -t MX alpha.example', 'Only the MX records.'],
      ['host 203.0.113.25', 'The name of an address.'],
    ],
    seeAlso: ['dig(1)', 'nslookup(1)'],
  },
  run: lazyRun(() => import('./host-program').then((m) => m.run)),
};
