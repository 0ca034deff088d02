/**
 * postconf(1) and postfix(1) over the part of main.cf the lab models: who may relay, the
 * message size limit, and (read-only) the rest of the smtpd policy and the queue's timings.
 * main.cf starts as the scenario describes the host's SMTP service; `postconf -e` edits it
 * (kept per world and host, so a replay rebuilds it from the typed commands), and
 * `postfix reload` hands it to the host's running smtpd services (RFC 5321 §3.6.2 and
 * RFC 2505: relay only for trusted clients), logging it as Postfix's master does.
 */
import { mailLog } from '../../engine/agents/maillog';
import type { RelayRules, Smtpd } from '../../engine/agents/smtpd';
import type { RetryPolicy } from '../../engine/agents/mta';
import type { World } from '../../engine/world';
import type { CommandContext } from '../program';

const EDITABLE = ['message_size_limit', 'mynetworks', 'smtpd_relay_restrictions'] as const;
/** The Postfix version the lab's mail hosts report. */
const VERSION = '3.7.11';
const LOOPBACK = ['127.0.0.0/8', '[::ffff:127.0.0.0]/104', '[::1]/128'];
const RESTRICTIONS = [
  'permit_mynetworks',
  'permit_sasl_authenticated',
  'reject_unauth_destination',
];

/** Edited main.cf values, per world and host. */
const edits = new WeakMap<World, Map<string, Map<string, string>>>();

function editsOf(world: World, host: string): Map<string, string> {
  let byHost = edits.get(world);
  if (!byHost) edits.set(world, (byHost = new Map()));
  let map = byHost.get(host);
  if (!map) byHost.set(host, (map = new Map()));
  return map;
}

/** main.cf as the scenario sets the host up (its port 25 service, or its first). */
function scenarioSettings(world: World, host: string): Map<string, string> {
  const spec = world.host(host)!;
  const service = spec.smtp.find((s) => s.port === 25) ?? spec.smtp[0];
  const relay = service?.relay ?? { open: false, authenticated: true, networks: [] };
  const smtpd = service && world.smtpd(host, service.port);
  const retry = world.mta(host)?.retry;
  return new Map([
    ...(smtpd ? smtpdSettings(smtpd) : []),
    ...(retry ? queueSettings(retry) : []),
    ['mail_version', VERSION],
    ['myhostname', host],
    ['mydestination', ['$myhostname', ...spec.localDomains].join(', ')],
    ['relay_domains', spec.relayDomains.join(', ')],
    // A server that relays for anyone is, in Postfix terms, one that trusts every network.
    [
      'mynetworks',
      [...LOOPBACK, ...relay.networks, ...(relay.open ? ['0.0.0.0/0'] : [])].join(' '),
    ],
    [
      'smtpd_relay_restrictions',
      RESTRICTIONS.filter((r) => relay.authenticated || r !== 'permit_sasl_authenticated').join(
        ', ',
      ),
    ],
  ]);
}

/** The session policy in Postfix's names (postconf(5)); the submission ports share it. */
function smtpdSettings(smtpd: Smtpd): [string, string][] {
  const { policy, greylisting } = smtpd.config;
  const tls = { none: '', may: 'may', required: 'encrypt', implicit: 'encrypt' }[
    policy.tls ?? 'none'
  ];
  return [
    ['smtpd_banner', `$myhostname ${policy.banner}`],
    ['message_size_limit', String(policy.maxMessageSize)],
    ['smtpd_recipient_limit', String(policy.maxRecipients)],
    ['hopcount_limit', String(policy.maxHops ?? 50)],
    ['smtpd_tls_security_level', tls],
    ['smtpd_sasl_auth_enable', policy.auth ? 'yes' : 'no'],
    ['smtpd_tls_auth_only', policy.auth?.tlsOnly ? 'yes' : 'no'],
    ['disable_vrfy_command', policy.vrfy === 'disabled' ? 'yes' : 'no'],
    // Greylisting is a policy service in Postfix; postgrey listens on port 10023.
    [
      'smtpd_recipient_restrictions',
      greylisting ? 'check_policy_service inet:127.0.0.1:10023' : '',
    ],
  ];
}

/** The queue manager's timings, in the largest unit that states them exactly. */
function queueSettings(retry: RetryPolicy): [string, string][] {
  return [
    ['minimal_backoff_time', duration(retry.first)],
    ['maximal_backoff_time', duration(retry.max)],
    ['delay_warning_time', duration(retry.warnAfter)],
    ['maximal_queue_lifetime', duration(retry.lifetime)],
  ];
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s === 0) return '0h';
  if (s % 86_400 === 0) return `${s / 86_400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  return `${s}s`;
}

function mainCf(world: World, host: string): Map<string, string> {
  const settings = scenarioSettings(world, host);
  for (const [name, value] of editsOf(world, host)) settings.set(name, value);
  return settings;
}

const items = (value: string) => value.split(/[\s,]+/).filter(Boolean);

/** Why `value` cannot be set for `name` in this lab, or undefined when it can. */
function invalid(name: string, value: string): string | undefined {
  if (name === 'message_size_limit') {
    // RFC 1870 §4: SIZE 0 would mean "no fixed limit"; the lab always has one.
    return /^[1-9]\d{0,9}$/.test(value) && Number(value) <= 2 ** 31 - 1
      ? undefined
      : `SMTP Lab: message_size_limit is a whole number of octets from 1, not "${value}"`;
  }
  if (name === 'mynetworks') {
    const bad = items(value).find(
      (n) =>
        !/^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/.test(n) && !/^\[[0-9a-f:.]+\](\/\d+)?$/i.test(n),
    );
    return bad && `mynetworks: bad net/mask pattern: "${bad}"`;
  }
  const list = items(value);
  const permits = list.slice(0, -1);
  const ok =
    list.at(-1) === 'reject_unauth_destination' &&
    permits.every((p) => RESTRICTIONS.slice(0, 2).includes(p));
  return ok
    ? undefined
    : 'SMTP Lab: smtpd_relay_restrictions may list permit_mynetworks and permit_sasl_authenticated, then ends with reject_unauth_destination';
}

/** The relay rules main.cf describes. */
function relayRules(settings: Map<string, string>): RelayRules {
  const restrictions = items(settings.get('smtpd_relay_restrictions')!);
  return {
    open: false,
    authenticated: restrictions.includes('permit_sasl_authenticated'),
    networks: restrictions.includes('permit_mynetworks')
      ? items(settings.get('mynetworks')!).filter((n) => !n.startsWith('['))
      : [],
  };
}

const USAGE = 'postconf: fatal: usage: postconf [-e] [-h] [-n] [name...]\n';

export function postconf(ctx: CommandContext): number {
  const flags = new Set<string>();
  let i = 0;
  for (; i < ctx.args.length && /^-./.test(ctx.args[i]!); i++) {
    const arg = ctx.args[i]!;
    if (arg === '--') {
      i++;
      break;
    }
    for (const flag of arg.slice(1)) {
      if (!'ehn'.includes(flag)) {
        ctx.stderr.write(`postconf: invalid option -- '${flag}'\n${USAGE}`);
        return 1;
      }
      flags.add(flag);
    }
  }
  const names = ctx.args.slice(i);
  if (flags.has('e')) return edit(ctx, names);
  const settings = mainCf(ctx.world, ctx.host);
  const show = (name: string, value: string) =>
    ctx.stdout.write(flags.has('h') ? `${value}\n` : `${name} = ${value}`.trimEnd() + '\n');
  if (names.length === 0) {
    for (const name of [...settings.keys()].sort()) show(name, settings.get(name)!);
    return 0;
  }
  for (const name of names) {
    const value = settings.get(name);
    if (value === undefined) ctx.stderr.write(`postconf: warning: ${name}: unknown parameter\n`);
    else show(name, value);
  }
  return 0;
}

function edit(ctx: CommandContext, args: string[]): number {
  if (ctx.user !== 'root') {
    ctx.stderr.write('postconf: fatal: open /etc/postfix/main.cf.tmp: Permission denied\n');
    return 1;
  }
  const changes: [string, string][] = [];
  for (const arg of args) {
    const m = /^\s*([A-Za-z0-9_]+)\s*=\s*(.*?)\s*$/.exec(arg);
    if (!m) {
      ctx.stderr.write(`postconf: fatal: -e requires NAME=VALUE, not "${arg}"\n`);
      return 1;
    }
    const [, name, value] = m as unknown as [string, string, string];
    if (!(EDITABLE as readonly string[]).includes(name)) {
      ctx.stderr.write(
        `postconf: SMTP Lab: only ${EDITABLE.slice(0, -1).join(', ')} and ${EDITABLE.at(-1)} can be changed here\n`,
      );
      return 1;
    }
    const why = invalid(name, value);
    if (why) {
      ctx.stderr.write(`postconf: fatal: ${why}\n`);
      return 1;
    }
    changes.push([name, value]);
  }
  for (const [name, value] of changes) editsOf(ctx.world, ctx.host).set(name, value);
  return 0;
}

export function postfix(ctx: CommandContext): number {
  if (ctx.user !== 'root') {
    ctx.stderr.write('postfix: fatal: the postfix command is reserved for the superuser\n');
    return 1;
  }
  const [command, ...rest] = ctx.args;
  if (command === undefined || rest.length > 0) {
    ctx.stderr.write('postfix: fatal: usage: postfix [-c config_dir] [-Dv] command\n');
    return 1;
  }
  switch (command) {
    case 'reload': {
      const world = ctx.world;
      const settings = mainCf(world, ctx.host);
      const relay = relayRules(settings);
      const maxMessageSize = Number(settings.get('message_size_limit'));
      for (const service of world.host(ctx.host)!.smtp) {
        const smtpd = world.smtpd(ctx.host, service.port);
        smtpd?.reconfigure({ relay, policy: { ...smtpd.config.policy, maxMessageSize } });
      }
      ctx.stderr.write('postfix/postfix-script: refreshing the Postfix mail system\n');
      mailLog(
        world,
        ctx.host,
        'master',
        `reload -- version ${VERSION}, configuration /etc/postfix`,
      );
      return 0;
    }
    case 'check':
      return 0; // postconf -e refuses what the lab could not run
    case 'flush':
      ctx.world.mta(ctx.host)?.flush();
      return 0;
    default:
      ctx.stderr.write(
        `postfix/postfix-script: fatal: unknown command: '${command}'. SMTP Lab runs: postfix reload, check or flush\n`,
      );
      return 1;
  }
}
