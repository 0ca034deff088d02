/** Who and where am I, and when: hostname, whoami, date, sleep. */
import type { CommandContext } from '../program';
import { strftime } from '../strftime';
import { getopt, tryHelp } from './args';

export function hostname(ctx: CommandContext): number {
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
}

export function whoami(ctx: CommandContext): number {
  if (ctx.args.length > 0) {
    ctx.stderr.write(`whoami: extra operand ‘${ctx.args[0]}’\n${tryHelp('whoami')}`);
    return 1;
  }
  ctx.stdout.write(ctx.user + '\n');
  return 0;
}

const ISO = {
  date: '%Y-%m-%d',
  hours: '%Y-%m-%dT%H%:z',
  minutes: '%Y-%m-%dT%H:%M%:z',
  seconds: '%Y-%m-%dT%H:%M:%S%:z',
  ns: '%Y-%m-%dT%H:%M:%S,%N%:z',
} as const;

export function date(ctx: CommandContext): number {
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
}

export function sleep(ctx: CommandContext): number {
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
}
