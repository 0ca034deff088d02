/** host [-t TYPE] NAME [SERVER], BIND 9.18's simple DNS lookup utility, in its phrasing. */
import { recordData, type RecordType, type ResourceRecord } from '../../engine/dns/records';
import { PENDING, type CommandContext } from '../program';
import {
  ask,
  commsError,
  configuredServer,
  namedServer,
  recordType,
  reverse,
  type Server,
} from './dns';
import { IPV4 } from './resolve';

/** One record in host(1)'s words. */
export function hostLine(r: ResourceRecord): string {
  const data = recordData(r);
  switch (r.type) {
    case 'A':
      return `${r.name} has address ${data}`;
    case 'AAAA':
      return `${r.name} has IPv6 address ${data}`;
    case 'MX':
      return `${r.name} mail is handled by ${data}`;
    case 'CNAME':
      return `${r.name} is an alias for ${data}`;
    case 'NS':
      return `${r.name} name server ${data}`;
    case 'PTR':
      return `${r.name} domain name pointer ${data}`;
    case 'TXT':
      return `${r.name} descriptive text ${data}`;
    case 'SOA':
      return `${r.name} has SOA record ${data}`;
    default:
      return `${r.name} has ${r.type} record ${data}`;
  }
}

const USAGE = `Usage: host [-aCdilrTvVw] [-c class] [-N ndots] [-t type] [-W time]
            [-R number] [-m flag] [-p port] hostname [server]
       -a is equivalent to -v -t ANY
       -c specifies query class for non-IN data
       -t specifies the query type
       -W specifies how long to wait for a reply
`;

export function run(ctx: CommandContext): number | typeof PENDING {
  let type: RecordType | undefined;
  let timeout = 5000;
  const operands: string[] = [];
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    if (arg === '-t' || arg === '-W') {
      const value = ctx.args[++i];
      if (value === undefined) {
        ctx.stderr.write(`host: option requires an argument -- '${arg[1]}'\n${USAGE}`);
        return 1;
      }
      if (arg === '-W') timeout = Math.max(1, Number(value) || 1) * 1000;
      else if (!(type = recordType(value))) {
        ctx.stderr.write(`host: invalid type: ${value}\n`);
        return 1;
      }
    } else if (/^-[46aCdilrTvVw]+$/.test(arg)) continue;
    else if (arg.startsWith('-')) {
      ctx.stderr.write(`host: invalid option -- '${arg[1]}'\n${USAGE}`);
      return 1;
    } else operands.push(arg);
  }
  const [name, serverName] = operands;
  if (name === undefined || operands.length > 2) {
    ctx.stderr.write(USAGE);
    return 1;
  }
  const start = (server: Server) => {
    if (serverName !== undefined) {
      ctx.stdout.write(
        `Using domain server:\nName: ${server.name}\nAddress: ${server.address}#53\nAliases: \n\n`,
      );
    }
    lookup(ctx, server, name, type, timeout);
  };
  if (serverName === undefined) {
    const server = configuredServer(ctx);
    if (!server) {
      ctx.stderr.write(';; no servers could be reached\n');
      return 1;
    }
    start(server);
  } else {
    namedServer(ctx, serverName, (server) => {
      if (server) return start(server);
      ctx.stderr.write(`host: couldn't get address for '${serverName}': not found\n`);
      ctx.exit(1);
    });
  }
  return PENDING;
}

function lookup(
  ctx: CommandContext,
  server: Server,
  name: string,
  only: RecordType | undefined,
  timeout: number,
): void {
  const isAddress = IPV4.test(name);
  const qname = isAddress ? reverse(name) : name;
  const types: RecordType[] = only ? [only] : isAddress ? ['PTR'] : ['A', 'AAAA', 'MX'];
  const shown = new Set<string>();
  const next = (i: number): void => {
    const type = types[i];
    if (!type) return ctx.exit(0);
    ask(
      ctx,
      server,
      qname,
      type,
      2,
      timeout,
      () => ctx.stdout.write(commsError(server)),
      (answer) => {
        if (!answer) {
          ctx.stdout.write(';; no servers could be reached\n');
          return ctx.exit(1);
        }
        if (answer.rcode !== 'NOERROR') {
          const code = { NXDOMAIN: 3, SERVFAIL: 2, REFUSED: 5 }[answer.rcode];
          ctx.stdout.write(
            `Host ${isAddress ? `${qname}.` : name} not found: ${code}(${answer.rcode})\n`,
          );
          return ctx.exit(1);
        }
        const lines = answer.answers.map(hostLine).filter((line) => !shown.has(line));
        lines.forEach((line) => shown.add(line));
        if (lines.length === 0 && only) lines.push(`${name} has no ${type} record`);
        ctx.stdout.write(lines.map((l) => l + '\n').join(''));
        next(i + 1);
      },
    );
  };
  next(0);
}
