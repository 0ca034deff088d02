/** `ip`: its manual page; the program is in ip-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const ipCommand: CommandSpec = {
  name: 'ip',
  summary: 'show routing, network devices and interfaces',
  man: {
    section: 8,
    synopsis: ['ip [-4|-6] [-br] addr [show [dev] DEVICE]', 'ip route [show]'],
    description: [
      'Show the network configuration of this host: its interfaces and addresses (ip addr) and its routing table (ip route). Each lab host has the loopback interface and one Ethernet interface, eth0, on a /24 network.',
      'OBJECT names may be abbreviated: ip a, ip addr, ip address; ip r, ip ro, ip route.',
    ],
    options: [
      ['-4, -6', 'only IPv4 or only IPv6 addresses'],
      ['-br, -brief', 'one line per interface'],
    ],
    examples: [
      ['ip addr', "This host's addresses; the inet line of eth0 is the one others connect to."],
      ['ip -br a', 'The same, briefly.'],
      ['ip route', 'Where packets go: the local network and the default gateway.'],
    ],
    seeAlso: ['ping(8)', 'hostname(1)'],
  },
  run: lazyRun(() => import('./ip-program').then((m) => m.run)),
};
