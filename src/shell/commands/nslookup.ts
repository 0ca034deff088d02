/** `nslookup`: its manual page; the program is in nslookup-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const nslookupCommand: CommandSpec = {
  name: 'nslookup',
  summary: 'query Internet name servers interactively',
  completes: 'hosts',
  man: {
    synopsis: ['nslookup [-type=TYPE] [NAME [SERVER]]', 'nslookup'],
    description: [
      'nslookup asks a name server about NAME and prints the server it asked, then the answer: addresses as Name:/Address: pairs, other records as "NAME  TYPE-WORDS = DATA". An answer from a server that is not authoritative for the name is headed "Non-authoritative answer:".',
      'With no NAME, nslookup is interactive: type a name to look it up, "set type=mx" to change the query type, "server ADDRESS" to ask another server, and "exit" (or Ctrl-D) to leave.',
    ],
    options: [
      ['-type=TYPE', 'the query type (also -query=, -q=): A, AAAA, MX, TXT, CNAME, NS, PTR, SOA'],
    ],
    examples: [
      ['nslookup mx1.beta.example', 'The address of bob’s mail server.'],
      ['nslookup -type=mx beta.example', 'The MX records of beta.example.'],
    ],
    seeAlso: ['dig(1)', 'host(1)'],
  },
  run: lazyRun(() => import('./nslookup-program').then((m) => m.run)),
};
