/**
 * dig [@SERVER] [TYPE] NAME [+short]…, BIND 9.18's DNS lookup utility: it sends the query
 * straight to the name server (no stub cache) and prints the reply as dig does, section by
 * section, with the query time measured in virtual time.
 */
import type { RecordType } from '../../engine/dns/records';
import { PENDING, type CommandContext } from '../program';
import { strftime } from '../strftime';
import {
  absolute,
  ask,
  BIND_VERSION,
  commsError,
  configuredServer,
  layout,
  messageSize,
  namedServer,
  recordLine,
  recordType,
  reverse,
  type Answer,
  type Server,
} from './dns';
import { recordData } from '../../engine/dns/records';

const DISPLAY = [
  'cmd',
  'comments',
  'question',
  'answer',
  'authority',
  'additional',
  'stats',
] as const;
type Display = (typeof DISPLAY)[number];

interface Settings {
  server: string | undefined;
  queries: { name: string; type: RecordType }[];
  show: Set<Display>;
  short: boolean;
  tries: number;
  timeout: number;
  recurse: boolean;
}

const USAGE = `Usage:  dig [@global-server] [domain] [q-type] [q-class] {q-opt}
            {global-d-opt} host [@local-server] {local-d-opt}
            [ host [@local-server] {local-d-opt} [...]]

Use "dig -h" (or "dig -h | more") for complete list of options
`;

function parseArgs(args: readonly string[]): Settings | string {
  const s: Settings = {
    server: undefined,
    queries: [],
    show: new Set(DISPLAY),
    short: false,
    tries: 3,
    timeout: 5000,
    recurse: true,
  };
  let type: RecordType | undefined;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('@')) s.server = arg.slice(1);
    else if (arg.startsWith('+')) {
      const problem = plusOption(s, arg.slice(1));
      if (problem) return problem;
    } else if (arg === '-t' || arg === '-x' || arg === '-q' || arg === '-c' || arg === '-p') {
      const value = args[++i];
      if (value === undefined) return `dig: option requires an argument -- '${arg[1]}'\n${USAGE}`;
      if (arg === '-t') {
        const t = recordType(value);
        if (!t) return `dig: invalid type ${value}\n`;
        type = t;
      } else if (arg === '-x') {
        names.push(reverse(value));
        type ??= 'PTR';
      } else if (arg === '-q') names.push(value);
    } else if (arg === '-4' || arg === '-6') continue;
    else if (arg.startsWith('-')) return `Invalid option: ${arg}\n${USAGE}`;
    else if (arg.toUpperCase() === 'IN') continue;
    else if (recordType(arg) && names.length === 0 && type === undefined) type = recordType(arg);
    else if (recordType(arg) && names.length > 0) {
      s.queries.push(...names.splice(0).map((name) => ({ name, type: recordType(arg)! })));
    } else names.push(arg);
  }
  s.queries.push(...names.map((name) => ({ name, type: type ?? 'A' })));
  if (s.queries.length === 0) s.queries.push({ name: '.', type: type ?? 'NS' });
  return s;
}

/** `+[no]OPTION[=VALUE]`; returns dig's complaint for one it does not know. */
function plusOption(s: Settings, option: string): string | undefined {
  const [raw = '', value] = option.split('=');
  const no = raw.startsWith('no');
  const name = no ? raw.slice(2) : raw;
  const display = DISPLAY.find((d) => d.startsWith(name) && name.length >= 2);
  const toggle = (d: Display) => (no ? s.show.delete(d) : s.show.add(d));
  if (name === 'short') s.short = !no;
  else if (name === 'all') DISPLAY.forEach(toggle);
  else if (display) toggle(display);
  else if (name === 'recurse' || name === 'rec') s.recurse = !no;
  else if ((name === 'tries' || name === 'retry') && value && /^\d+$/.test(value)) {
    s.tries = Math.max(1, Number(value) + (name === 'retry' ? 1 : 0));
  } else if (name === 'time' && value && /^\d+$/.test(value))
    s.timeout = Math.max(1, Number(value)) * 1000;
  else if (['cookie', 'edns', 'multiline', 'identify', 'ttlid', 'class', 'search'].includes(name))
    return undefined;
  else return `Invalid option: +${option}\n${USAGE}`;
  return undefined;
}

function report(
  ctx: CommandContext,
  s: Settings,
  server: Server,
  query: Settings['queries'][number],
  answer: Answer,
): string {
  if (s.short) return answer.answers.map((r) => recordData(r) + '\n').join('');
  const { show } = s;
  const lines: string[] = [];
  if (show.has('comments')) {
    const flags = [
      'qr',
      ...(answer.authoritative ? ['aa'] : []),
      ...(s.recurse ? ['rd'] : []),
      'ra',
    ];
    lines.push(
      ';; Got answer:',
      `;; ->>HEADER<<- opcode: QUERY, status: ${answer.rcode}, id: ${answer.id}`,
      `;; flags: ${flags.join(' ')}; QUERY: 1, ANSWER: ${answer.answers.length}, AUTHORITY: ${answer.authority.length}, ADDITIONAL: 1`,
      '',
      ';; OPT PSEUDOSECTION:',
      '; EDNS: version: 0, flags:; udp: 1232',
    );
  }
  const section = (title: string, body: string[], shown: boolean) => {
    if (!shown || body.length === 0) return;
    if (show.has('comments')) lines.push(`;; ${title} SECTION:`, ...body, '');
    else lines.push(...body);
  };
  const question = layout([
    [`;${absolute(query.name === '.' ? '' : query.name)}`, 0],
    ['IN', 32],
    [query.type, 40],
  ]);
  section('QUESTION', [question], show.has('question'));
  section('ANSWER', answer.answers.map(recordLine), show.has('answer'));
  section('AUTHORITY', answer.authority.map(recordLine), show.has('authority'));
  if (show.has('stats')) {
    const when = strftime('%a %b %d %H:%M:%S %Z %Y', ctx.world.epoch + ctx.world.clock.now);
    const size = messageSize(query.name, [...answer.answers, ...answer.authority]);
    lines.push(
      `;; Query time: ${answer.queryTime} msec`,
      `;; SERVER: ${server.address}#53(${server.name}) (UDP)`,
      `;; WHEN: ${when}`,
      `;; MSG SIZE  rcvd: ${size}`,
      ...(show.has('comments') ? [''] : []),
    );
  }
  return lines.map((l) => l + '\n').join('');
}

export function dig(ctx: CommandContext): number | typeof PENDING {
  const parsed = parseArgs(ctx.args);
  if (typeof parsed === 'string') {
    ctx.stderr.write(parsed);
    return 1;
  }
  const settings = parsed;
  const banner = (server: Server | undefined) =>
    settings.short || !settings.show.has('cmd')
      ? ''
      : `\n; <<>> DiG ${BIND_VERSION} <<>> ${ctx.args.join(' ')}\n` +
        (settings.server !== undefined && server ? '; (1 server found)\n' : '') +
        ';; global options: +cmd\n';
  const run = (server: Server) => {
    let status = 0;
    const next = (i: number): void => {
      const query = settings.queries[i];
      if (!query) return ctx.exit(status);
      ask(
        ctx,
        server,
        query.name,
        query.type,
        settings.tries,
        settings.timeout,
        () => ctx.stdout.write(commsError(server)),
        (answer) => {
          if (!answer) {
            ctx.stdout.write(banner(server) + ';; no servers could be reached\n');
            status = 9;
          } else {
            ctx.stdout.write(banner(server) + report(ctx, settings, server, query, answer));
          }
          next(i + 1);
        },
      );
    };
    next(0);
  };
  if (settings.server === undefined) {
    const server = configuredServer(ctx);
    if (!server) {
      ctx.stderr.write('dig: no name servers in /etc/resolv.conf\n');
      return 10;
    }
    run(server);
  } else {
    const name = settings.server;
    namedServer(ctx, name, (server) => {
      if (server) return run(server);
      ctx.stderr.write(`dig: couldn't get address for '${name}': not found\n`);
      ctx.exit(10);
    });
  }
  return PENDING;
}
