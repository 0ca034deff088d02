/** `dig`: its manual page; the program is in dig-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const digCommand: CommandSpec = {
  name: 'dig',
  summary: 'DNS lookup utility',
  completes: 'hosts',
  man: {
    synopsis: ['dig [@server] [-t type] [-x addr] [name] [type] [+[no]queryopt...]'],
    description: [
      'dig asks a DNS name server directly and shows its reply: the header (status such as NOERROR, NXDOMAIN or SERVFAIL, and the flags: aa for an authoritative answer, rd and ra for recursion), then the QUESTION, ANSWER and AUTHORITY sections, one record per line as NAME TTL CLASS TYPE DATA, and how long the query took.',
      'Unless @server is given, dig asks the name server in /etc/resolv.conf. Unlike most programs, dig does not use the host’s resolver cache: every dig sends a query, which shows in the trace. With no type, dig asks for A records.',
    ],
    options: [
      ['@server', 'the name server to ask, by address or name'],
      ['-t type', 'the query type: A, AAAA, MX, TXT, CNAME, NS, PTR, SOA…'],
      ['-x addr', 'reverse lookup: ask for the PTR record of an IPv4 address'],
      ['+short', 'print only the data of the answer records'],
      [
        '+[no]all, +[no]answer, +[no]question, +[no]authority, +[no]comments, +[no]stats, +[no]cmd',
        'show or hide parts of the output',
      ],
      ['+tries=N, +time=S', 'how many tries (3) and seconds per try (5)'],
    ],
    examples: [
      ['dig MX beta.example', 'Which hosts take mail for beta.example, and with which preference.'],
      ['dig +short MX beta.example', 'Just the MX data.'],
      ['dig -x 203.0.113.25', 'Which name belongs to that address (PTR).'],
      ['dig @198.51.100.53 mx1.beta.example', 'Ask a given server for an A record.'],
    ],
    seeAlso: ['host(1)', 'nslookup(1)'],
  },
  run: lazyRun(() => import('./dig-program').then((m) => m.dig)),
};
