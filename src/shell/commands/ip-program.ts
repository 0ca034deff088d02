/** ip addr and ip route (iproute2): the host's one interface, eth0, on a /24. */
import type { CommandContext } from '../program';

/** A stable, locally administered-looking MAC (QEMU's 52:54:00 prefix) from the address. */
function mac(address: string): string {
  const hex = address
    .split('.')
    .slice(1)
    .map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['52', '54', '00', ...hex].join(':');
}

/** The EUI-64 link-local address derived from the MAC (RFC 4291 appendix A). */
function linkLocal(macAddress: string): string {
  const b = macAddress.split(':').map((h) => parseInt(h, 16));
  const eui = [b[0]! ^ 2, b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  const groups = [0, 2, 4, 6].map((i) => ((eui[i]! << 8) | eui[i + 1]!).toString(16));
  return `fe80::${groups.join(':')}/64`;
}

/** Each interface's `ip addr` block (or `-br` line), lo first. */
function addr(
  ctx: CommandContext,
  brief: boolean,
  family: '4' | '6' | undefined,
): [string, string][] {
  const address = ctx.world.host(ctx.host)?.address ?? '127.0.1.1';
  const m = mac(address);
  const broadcast = address.replace(/\.\d+$/, '.255');
  if (brief) {
    return [
      ['lo', 'lo               UNKNOWN        127.0.0.1/8 ::1/128 \n'],
      ['eth0', `eth0             UP             ${address}/24 ${linkLocal(m)} \n`],
    ];
  }
  const forever = '       valid_lft forever preferred_lft forever';
  const v4 = family !== '6';
  const v6 = family !== '4';
  const block = (lines: (string | false)[]) => lines.filter(Boolean).join('\n') + '\n';
  return [
    [
      'lo',
      block([
        '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
        '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00',
        v4 && '    inet 127.0.0.1/8 scope host lo',
        v4 && forever,
        v6 && '    inet6 ::1/128 scope host noprefixroute ',
        v6 && forever,
      ]),
    ],
    [
      'eth0',
      block([
        '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000',
        `    link/ether ${m} brd ff:ff:ff:ff:ff:ff`,
        v4 && `    inet ${address}/24 brd ${broadcast} scope global eth0`,
        v4 && forever,
        v6 && `    inet6 ${linkLocal(m)} scope link `,
        v6 && forever,
      ]),
    ],
  ];
}

function route(ctx: CommandContext): string {
  const address = ctx.world.host(ctx.host)?.address ?? '127.0.1.1';
  const net = address.replace(/\.\d+$/, '.0');
  const gateway = address.replace(/\.\d+$/, '.1');
  return `default via ${gateway} dev eth0 onlink \n${net}/24 dev eth0 proto kernel scope link src ${address} \n`;
}

const OBJECTS: [string, string][] = [
  ['address', 'addr'],
  ['route', 'route'],
];

export function run(ctx: CommandContext): number {
  let brief = false;
  let family: '4' | '6' | undefined;
  const words: string[] = [];
  for (const arg of ctx.args) {
    if (arg === '-4' || arg === '-6') family = arg[1] as '4' | '6';
    else if (arg === '-br' || arg === '-brief') brief = true;
    else if (arg.startsWith('-')) {
      ctx.stderr.write(`Option "${arg}" is unknown, try "ip -help".\n`);
      return 255;
    } else words.push(arg);
  }
  const [object, command = 'show', ...rest] = words;
  if (object === undefined) {
    ctx.stderr.write(
      'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { address | route | ... }\n       OPTIONS := { -4 | -6 | -br[ief] }\n',
    );
    return 255;
  }
  const match = OBJECTS.find(([full]) => full.startsWith(object));
  if (!match) {
    ctx.stderr.write(`Object "${object}" is unknown, try "ip help".\n`);
    return 1;
  }
  if (command !== 'lst' && !['show', 'list'].some((c) => c.startsWith(command))) {
    ctx.stderr.write(`Command "${command}" is unknown, try "ip ${match[1]} help".\n`);
    return 255;
  }
  if (match[1] === 'route') {
    ctx.stdout.write(route(ctx));
    return 0;
  }
  // `ip addr show [dev] NAME`
  const device = rest[0] === 'dev' ? rest[1] : rest[0];
  const blocks = addr(ctx, brief, family).filter(
    ([name]) => device === undefined || name === device,
  );
  if (blocks.length === 0) {
    ctx.stderr.write(`Device "${device}" does not exist.\n`);
    return 1;
  }
  ctx.stdout.write(blocks.map(([, text]) => text).join(''));
  return 0;
}
