/** Who and where am I, and when: hostname, whoami, date, sleep. */
import type { CommandSpec } from '../program';
import { strftime } from '../strftime';
import { getopt, tryHelp } from './args';

export const hostnameCommand: CommandSpec = {
  name: 'hostname',
  summary: 'show the system host name',
  man: {
    synopsis: ['hostname [-f|-s|-d|-i|-I]'],
    description: ['Print the name of this host: the short name by default.'],
    options: [
      ['-f, --fqdn, --long', 'the fully qualified domain name'],
      ['-s, --short', 'the short host name (up to the first dot)'],
      ['-d, --domain', 'the DNS domain name'],
      ['-i, --ip-address', 'the address(es) the host name resolves to'],
      ['-I, --all-ip-addresses', 'all addresses of the host’s network interfaces'],
    ],
    examples: [['hostname -f', 'laptop.alpha.example on alice’s laptop.']],
    seeAlso: ['ip(8)'],
  },
  run(ctx) {
    const parsed = getopt(ctx.args, [
      { key: 'f', short: 'f', long: 'fqdn' },
      { key: 'f', long: 'long' },
      { key: 's', short: 's', long: 'short' },
      { key: 'd', short: 'd', long: 'domain' },
      { key: 'i', short: 'i', long: 'ip-address' },
      { key: 'I', short: 'I', long: 'all-ip-addresses' },
    ]);
    if (!parsed.ok) {
      ctx.stderr.write(`hostname: ${parsed.message}\n${tryHelp('hostname')}`);
      return 1;
    }
    if (parsed.operands.length > 0) {
      // What net-tools says when sethostname(2) fails with EPERM, as in any container.
      ctx.stderr.write('hostname: you must be root to change the host name\n');
      return 1;
    }
    const address = ctx.world.host(ctx.host)?.address ?? '127.0.1.1';
    const o = parsed.options;
    const dot = ctx.host.indexOf('.');
    const out = o.has('f')
      ? ctx.host
      : o.has('d')
        ? dot < 0
          ? ''
          : ctx.host.slice(dot + 1)
        : o.has('i')
          ? address
          : o.has('I')
            ? `${address} `
            : ctx.host.split('.')[0]!;
    ctx.stdout.write(out + '\n');
    return 0;
  },
};

export const whoamiCommand: CommandSpec = {
  name: 'whoami',
  summary: 'print effective user name',
  man: {
    synopsis: ['whoami'],
    description: ['Print the user name associated with the current effective user ID.'],
    examples: [['whoami', 'alice on the laptop, root on the servers.']],
  },
  run(ctx) {
    if (ctx.args.length > 0) {
      ctx.stderr.write(`whoami: extra operand ‘${ctx.args[0]}’\n${tryHelp('whoami')}`);
      return 1;
    }
    ctx.stdout.write(ctx.user + '\n');
    return 0;
  },
};

const ISO = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%:z',
  minutes: '%Y-%m-%dT%H:%M%:z',
  seconds: '%Y-%m-%dT%H:%M:%S%:z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
} as const;

export const dateCommand: CommandSpec = {
  name: 'date',
  summary: 'print the system date and time',
  man: {
    synopsis: ['date [-u] [-R|-I[FMT]] [+FORMAT]'],
    description: [
      'Display the current time of the lab’s virtual clock, in UTC. Virtual time starts at the scenario’s epoch and moves only as the world runs: with each command, with sleep, and with "#! wait" in a script.',
      'FORMAT takes the strftime conversions, among them %Y year, %m month, %d day, %H hour, %M minute, %S second, %a and %b weekday and month names, %s seconds since the epoch, %F (%Y-%m-%d) and %T (%H:%M:%S).',
    ],
    options: [
      ['-u, --utc', 'print Coordinated Universal Time (the lab’s only zone)'],
      ['-R, --rfc-email', 'output date and time in RFC 5322 format, as in a Date: header'],
      [
        '-I[FMT], --iso-8601[=FMT]',
        "output date/time in ISO 8601 format; FMT is 'date' (the default), 'hours', 'minutes', 'seconds' or 'ns'",
      ],
    ],
    examples: [
      ['date -R', 'Mon, 05 Jan 2026 09:00:00 +0000 — the form of a Date: header.'],
      ["date +'%F %T'", '2026-01-05 09:00:00'],
    ],
    seeAlso: ['sleep(1)'],
  },
  run(ctx) {
    const now = ctx.world.epoch + ctx.world.clock.now;
    let format = '%a %b %e %H:%M:%S %Z %Y';
    for (const arg of ctx.args) {
      const iso = /^(?:-I|--iso-8601=?)(.*)$/.exec(arg);
      if (arg === '-u' || arg === '--utc' || arg === '--universal') continue;
      if (arg === '-R' || arg === '--rfc-email' || arg === '--rfc-2822')
        format = '%a, %d %b %Y %H:%M:%S %z';
      else if (iso) {
        const kind = (iso[1] || 'date') as keyof typeof ISO;
        if (!(kind in ISO)) {
          ctx.stderr.write(`date: invalid argument ‘${iso[1]}’ for ‘--iso-8601’\n`);
          return 1;
        }
        format = ISO[kind];
      } else if (arg.startsWith('+')) format = arg.slice(1);
      else if (arg.startsWith('-')) {
        ctx.stderr.write(`date: invalid option -- '${arg[1]}'\n${tryHelp('date')}`);
        return 1;
      } else {
        ctx.stderr.write(`date: invalid date ‘${arg}’\n`);
        return 1;
      }
    }
    ctx.stdout.write(strftime(format, now) + '\n');
    return 0;
  },
};

export const sleepCommand: CommandSpec = {
  name: 'sleep',
  summary: 'delay for a specified amount of time',
  man: {
    synopsis: ['sleep NUMBER[SUFFIX]...'],
    description: [
      "Pause for NUMBER seconds of virtual time. SUFFIX may be 's' for seconds (the default), 'm' for minutes, 'h' for hours or 'd' for days. NUMBER may be a fraction; given several arguments, sleep pauses for their sum.",
      'While it sleeps, the world goes on: queued mail is retried, greylisting windows pass, DNS cache entries expire.',
    ],
    examples: [
      ['sleep 5m', 'Let five virtual minutes pass (a queue retry, say).'],
      ['sleep 90; date', 'Show that time moved.'],
    ],
    seeAlso: ['date(1)'],
  },
  run(ctx) {
    if (ctx.args.length === 0) {
      ctx.stderr.write(`sleep: missing operand\n${tryHelp('sleep')}`);
      return 1;
    }
    let total = 0;
    for (const arg of ctx.args) {
      const m = /^(\d+\.?\d*|\.\d+)([smhd]?)$/.exec(arg);
      if (!m) {
        ctx.stderr.write(`sleep: invalid time interval ‘${arg}’\n${tryHelp('sleep')}`);
        return 1;
      }
      total += Number(m[1]) * { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2]!]!;
    }
    ctx.world.advance(Math.round(total));
    return 0;
  },
};
