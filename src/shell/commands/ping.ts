/** `ping`: its manual page; the program is in ping-program.ts. */
import type { CommandSpec } from '../program';
import { lazyRun } from './lazy';

export const pingCommand: CommandSpec = {
  name: 'ping',
  summary: 'send ICMP ECHO_REQUEST to network hosts',
  completes: 'hosts',
  man: {
    section: 8,
    synopsis: ['ping [-nq] [-c COUNT] [-i INTERVAL] [-W TIMEOUT] [-s PACKETSIZE] DESTINATION'],
    description: [
      'Send ICMP ECHO_REQUEST packets to DESTINATION (a host name, resolved through /etc/hosts and DNS, or an address) and show each ECHO_REPLY with its round-trip time, which here comes from the simulated link latency. A host that is down or unknown does not answer.',
      'Without -c, ping runs until you press Ctrl-C; in a lab run script it stops after 4 packets. It ends with a summary of packets sent, received and lost, and the minimum, average, maximum and mean deviation of the round-trip times.',
    ],
    options: [
      ['-c COUNT', 'stop after sending COUNT packets'],
      ['-i INTERVAL', 'wait INTERVAL seconds between packets (default 1)'],
      [
        '-W TIMEOUT',
        'after the last packet, wait at most TIMEOUT seconds for replies (default 10)',
      ],
      ['-s PACKETSIZE', 'data bytes per packet (default 56, which makes 64 ICMP bytes)'],
      ['-n', 'numeric output only: do not look up names for addresses'],
      ['-q', 'quiet: only the summary lines'],
    ],
    examples: [
      ['ping -c 3 mx1.beta.example', 'Is bob’s mail server up, and how far away?'],
      ['ping -c 1 192.0.2.25', 'Ping an address.'],
    ],
    seeAlso: ['ip(8)', 'dig(1)'],
  },
  run: lazyRun(() => import('./ping-program').then((m) => m.run)),
};
