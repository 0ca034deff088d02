/**
 * nslookup [-type=TYPE] [NAME [SERVER]], BIND 9.18's: one lookup from the command line, or
 * with no NAME an interactive session (`> ` prompt, `set type=mx`, `server X`, `exit`).
 */
import { recordData, type RecordType, type ResourceRecord } from '../../engine/dns/records';
import { PENDING, type CommandContext } from '../program';
import {
  ask,
  commsError,
  configuredServer,
  namedServer,
  recordType,
  reverse,
  type Answer,
  type Server,
} from './dns';
import { IPV4 } from './resolve';

function describe(r: ResourceRecord): string {
  const data = recordData(r);
  switch (r.type) {
    case 'A':
    case 'AAAA':
      return `Name:\t${r.name}\nAddress: ${data}`;
    case 'MX':
      return `${r.name}\tmail exchanger = ${data}`;
    case 'CNAME':
      return `${r.name}\tcanonical name = ${data}`;
    case 'NS':
      return `${r.name}\tnameserver = ${data}`;
    case 'PTR':
      return `${r.name}\tname = ${data}`;
    case 'TXT':
      return `${r.name}\ttext = ${data}`;
    case 'SOA': {
      const [origin, mail, serial, refresh, retry, expire, minimum] = r.value.split(' ');
      const bare = (n = '') => n.replace(/\.$/, '');
      return (
        `${r.name}\n\torigin = ${bare(origin)}\n\tmail addr = ${bare(mail)}\n\tserial = ${serial}\n` +
        `\trefresh = ${refresh}\n\tretry = ${retry}\n\texpire = ${expire}\n\tminimum = ${minimum}`
      );
    }
    default:
      return `${r.name}\trdata_${r.type} = ${data}`;
  }
}

/** Look `name` up and print what nslookup prints; `done` gets the exit status. */
function lookup(
  ctx: CommandContext,
  server: Server,
  name: string,
  only: RecordType | undefined,
  done: (status: number) => void,
): void {
  const isAddress = IPV4.test(name);
  const qname = isAddress ? reverse(name) : name;
  const types: RecordType[] = only ? [only] : isAddress ? ['PTR'] : ['A', 'AAAA'];
  // The server is named once it answered; a silent one gets only the timeouts.
  let named = false;
  const header = () => {
    if (!named) ctx.stdout.write(`Server:\t\t${server.name}\nAddress:\t${server.address}#53\n\n`);
    named = true;
  };
  const found: Answer[] = [];
  const next = (i: number): void => {
    const type = types[i];
    if (!type) return finish();
    ask(
      ctx,
      server,
      qname,
      type,
      2,
      5000,
      () => ctx.stdout.write(commsError(server)),
      (answer) => {
        if (!answer) {
          ctx.stdout.write(';; no servers could be reached\n\n');
          return done(1);
        }
        header();
        if (answer.rcode !== 'NOERROR') {
          ctx.stdout.write(`** server can't find ${qname}: ${answer.rcode}\n\n`);
          return done(1);
        }
        found.push(answer);
        next(i + 1);
      },
    );
  };
  const finish = () => {
    const records = found.flatMap((a) => a.answers);
    if (records.length === 0) {
      ctx.stdout.write(`*** Can't find ${qname}: No answer\n\n`);
      return done(1);
    }
    const authoritative = found.every((a) => a.authoritative);
    // A CNAME shown once even when both the A and the AAAA answer carry it.
    const lines = [...new Set(records.map(describe))];
    ctx.stdout.write(
      (authoritative ? '' : 'Non-authoritative answer:\n') + lines.join('\n') + '\n\n',
    );
    done(0);
  };
  next(0);
}

function typeOption(arg: string): string | undefined {
  const m = /^-(?:type|ty|query|q|querytype)=(.*)$/i.exec(arg);
  return m?.[1];
}

export function run(ctx: CommandContext): number | typeof PENDING {
  let type: RecordType | undefined;
  const operands: string[] = [];
  for (const arg of ctx.args) {
    const t = typeOption(arg);
    if (t !== undefined) {
      type = recordType(t);
      if (!type) {
        ctx.stderr.write(`unknown query type: ${t}\n`);
        return 1;
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      ctx.stderr.write(`*** Invalid option: ${arg.slice(1)}\n`);
    } else operands.push(arg);
  }
  const [name, serverName] = operands;
  const withServer = (then: (server: Server) => void) => {
    if (serverName === undefined) {
      const server = configuredServer(ctx);
      if (server) return then(server);
      ctx.stderr.write(';; no servers could be reached\n');
      return ctx.exit(1);
    }
    namedServer(ctx, serverName, (server) => {
      if (server) return then(server);
      ctx.stderr.write(`nslookup: couldn't get address for '${serverName}': not found\n`);
      ctx.exit(1);
    });
  };
  if (name === undefined || name === '-') {
    withServer((server) => interactive(ctx, server, type));
    return PENDING;
  }
  withServer((server) => lookup(ctx, server, name, type, ctx.exit));
  return PENDING;
}

function interactive(
  ctx: CommandContext,
  initial: Server,
  initialType: RecordType | undefined,
): void {
  let server = initial;
  let type = initialType;
  let busy = false;
  ctx.foreground({
    prompt: () => (busy ? '' : '> '),
    line(text) {
      const words = text.trim().split(/\s+/).filter(Boolean);
      const [first, second] = words;
      if (first === undefined || busy) return;
      if (first === 'exit') return ctx.exit(0);
      if (first === 'set') {
        const m = /^(?:type|ty|querytype|query|q)=(.*)$/i.exec(second ?? '');
        const t = m ? recordType(m[1]!) : undefined;
        if (m && t) type = t;
        else if (m) ctx.stdout.write(`unknown query type: ${m[1]}\n`);
        else ctx.stdout.write(`*** Invalid option: ${second ?? ''}\n`);
        return;
      }
      if ((first === 'server' || first === 'lserver') && second) {
        busy = true;
        namedServer(ctx, second, (found) => {
          busy = false;
          if (found) {
            server = found;
            ctx.stdout.write(`Default server: ${found.name}\nAddress: ${found.address}#53\n`);
          } else ctx.stdout.write(`*** Can't find address for server ${second}: NXDOMAIN\n`);
          ctx.promptChanged();
        });
        return;
      }
      busy = true;
      lookup(ctx, server, first, type, () => {
        busy = false;
        ctx.promptChanged();
      });
    },
    interrupt: () => {},
    eof: () => ctx.exit(0),
  });
}
