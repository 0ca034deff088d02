/**
 * How a host sends the mail its users write: /usr/sbin/sendmail. On a mail host that is
 * Postfix's (the message goes into the host's own queue, see engine/agents/pickup); on a
 * workstation it is msmtp (msmtp-mta), which submits to the provider's server on port 587
 * with STARTTLS and SMTP AUTH as /etc/msmtprc (and ~/.msmtprc) say, and reports failures
 * the way msmtp does.
 */
import { text } from '../../engine/bytes';
import {
  submit,
  submitRaw,
  type RawSubmitResult,
  type SubmitResult,
} from '../../engine/agents/mua';
import { pickup } from '../../engine/agents/pickup';
import type { DeliveryResult, RecipientOutcome } from '../../engine/smtp/client';
import type { World } from '../../engine/world';
import type { CommandContext } from '../program';

/** Hosts that run Postfix: a queue, mailq, postqueue, postsuper, /var/log/mail.log. */
export function isMailHost(world: World, host: string): boolean {
  return (world.host(host)?.smtp.length ?? 0) > 0;
}

/** Hosts with a sendmail(8): Postfix's on mail hosts, msmtp's on workstations. */
export function hasSendmail(world: World, host: string): boolean {
  return isMailHost(world, host) || world.host(host)?.role === 'workstation';
}

/** sysexits(3) codes msmtp and Postfix's sendmail exit with. */
export const EX = {
  DATAERR: 65,
  NOUSER: 67,
  UNAVAILABLE: 69,
  SOFTWARE: 70,
  TEMPFAIL: 75,
  PROTOCOL: 76,
  NOPERM: 77,
  CONFIG: 78,
} as const;

/** An msmtp account, from the configuration files. */
export interface MsmtpAccount {
  name: string;
  file: string;
  host?: string;
  port: number;
  from?: string;
  user?: string;
  password?: string;
  auth: boolean;
  tls: boolean;
  starttls: boolean;
}

/**
 * Read /etc/msmtprc, then ~/.msmtprc (as msmtp does, the user's file wins), and return the
 * default account — or msmtp's complaint.
 */
export function msmtpAccount(ctx: CommandContext): MsmtpAccount | string {
  const accounts = new Map<string, Partial<MsmtpAccount>>();
  const files = ['/etc/msmtprc', `${ctx.fs.home(ctx.user)}/.msmtprc`];
  let found = false;
  for (const file of files) {
    // msmtp is setgid msmtp: it reads the system file that its users may not.
    const read = ctx.fs.read(file, file === '/etc/msmtprc' ? 'root' : ctx.user);
    if (!read.ok) continue;
    found = true;
    let defaults: Partial<MsmtpAccount> = {};
    let current: Partial<MsmtpAccount> | undefined;
    for (const raw of text(read.value).split('\n')) {
      const line = raw.replace(/^\s+|\s+$/g, '');
      if (line === '' || line.startsWith('#')) continue;
      const [key = '', ...rest] = line.split(/\s+/);
      const value = rest.join(' ');
      if (key === 'defaults') {
        current = defaults = {};
        continue;
      }
      if (key === 'account') {
        const alias = /^(\S+)\s*:\s*(\S+)$/.exec(value);
        if (alias) {
          const target = accounts.get(alias[2]!);
          if (target) accounts.set(alias[1]!, { ...target, name: alias[1]! });
          current = undefined;
          continue;
        }
        current = { ...defaults, name: value, file };
        accounts.set(value, current);
        continue;
      }
      if (!current) continue;
      const on = value === '' || value === 'on';
      if (key === 'host') current.host = value;
      else if (key === 'port') current.port = Number(value);
      else if (key === 'from') current.from = value;
      else if (key === 'user') current.user = value;
      else if (key === 'password') current.password = value;
      else if (key === 'auth') current.auth = on;
      else if (key === 'tls') current.tls = on;
      else if (key === 'tls_starttls') current.starttls = on;
    }
  }
  if (!found) return 'account default not found: no configuration file available';
  const account = accounts.get('default');
  if (!account) return `account default not found in ${files.join(' or ')}`;
  if (!account.host) return `account default from ${account.file}: host not set`;
  return {
    port: 25,
    auth: false,
    tls: false,
    starttls: true,
    name: 'default',
    file: '/etc/msmtprc',
    ...account,
  };
}

/** The envelope sender a user's mail gets on this host when none is given. */
export function defaultSender(ctx: CommandContext): string {
  if (!isMailHost(ctx.world, ctx.host)) {
    const account = msmtpAccount(ctx);
    if (typeof account !== 'string' && account.from) return account.from;
  }
  return `${ctx.user}@${ctx.host}`;
}

/**
 * An address as Postfix's cleanup qualifies it (append_at_myorigin): a bare user name gets
 * the domain it has a mailbox in here, else this host's name.
 */
export function qualify(world: World, host: string, address: string): string {
  if (address.includes('@')) return address;
  const spec = world.host(host);
  for (const domain of spec?.localDomains ?? []) {
    if (world.localUser(host, { local: address, domain })) return `${address}@${domain}`;
  }
  return `${address}@${host}`;
}

export interface Outgoing {
  from: string;
  /** The sender as the user gave it (-f), if they did. */
  given?: string;
  recipients: string[];
  /** The whole message, headers and body. */
  content: string;
}

/** A message composed by mail(1): submitted as an MUA does, or queued on a mail host. */
export interface Composed {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body: string;
}

/**
 * Hand `message` to this host's sendmail. `done` gets sendmail's exit status after its
 * complaints (if any) went to standard error as `name` would word them.
 */
export function sendmail(
  ctx: CommandContext,
  name: string,
  message: Outgoing,
  done: (status: number) => void,
): void {
  if (isMailHost(ctx.world, ctx.host)) {
    pickup(ctx.world, {
      host: ctx.host,
      user: ctx.user,
      from: mailboxOf(message.from),
      ...(message.given !== undefined ? { given: message.given } : {}),
      recipients: message.recipients.map((r) => mailboxOf(r)!),
      content: message.content,
    });
    return done(0);
  }
  const account = msmtpAccount(ctx);
  if (typeof account === 'string') {
    ctx.stderr.write(`${name}: ${account}\n`);
    return done(EX.CONFIG);
  }
  submitRaw(
    ctx.world,
    {
      host: ctx.host,
      server: { host: account.host!, port: account.port },
      ...credentials(account),
      starttls: account.tls && account.starttls ? 'required' : 'never',
      from: message.from,
      recipients: message.recipients,
      content: message.content,
    },
    (r) => done(report(ctx, name, account, message.from, r)),
  );
}

/** mail(1) on a workstation: the MUA composes and submits (engine/agents/mua). */
export function submitComposed(
  ctx: CommandContext,
  name: string,
  message: Composed,
  done: (status: number) => void,
): void {
  const from = defaultSender(ctx);
  const account = msmtpAccount(ctx);
  if (typeof account === 'string') {
    ctx.stderr.write(`${name}: ${account}\n`);
    return done(EX.CONFIG);
  }
  submit(
    ctx.world,
    {
      host: ctx.host,
      server: { host: account.host!, port: account.port },
      ...credentials(account),
      starttls: account.tls && account.starttls ? 'required' : 'never',
      from,
      to: message.to,
      ...(message.cc.length ? { cc: message.cc } : {}),
      ...(message.bcc.length ? { bcc: message.bcc } : {}),
      subject: message.subject,
      body: message.body,
    },
    (r) => done(report(ctx, name, account, from, r)),
  );
}

function credentials(account: MsmtpAccount): {
  account?: { username: string; password: string };
} {
  return account.auth && account.user
    ? { account: { username: account.user, password: account.password ?? '' } }
    : {};
}

function mailboxOf(address: string) {
  if (address === '') return null;
  const at = address.lastIndexOf('@');
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** msmtp's messages for a failed submission; returns the exit status. */
function report(
  ctx: CommandContext,
  name: string,
  account: MsmtpAccount,
  from: string,
  r: RawSubmitResult | SubmitResult,
): number {
  if (r.ok) return 0;
  const say = (line: string) => ctx.stderr.write(`${name}: ${line}\n`);
  const giveUp = () => say(`could not send mail (account ${account.name} from ${account.file})`);
  if ('connect' in r && r.connect) {
    const why = r.connect === 'port-closed' ? 'Connection refused' : 'Connection timed out';
    say(`cannot connect to ${account.host}, port ${account.port}: ${why}`);
    giveUp();
    return EX.UNAVAILABLE;
  }
  if (!r.result) {
    say(r.error);
    giveUp();
    return r.error.includes('Name or service') ? EX.UNAVAILABLE : EX.DATAERR;
  }
  const status = explain(r.result, from, say);
  giveUp();
  return status;
}

function explain(result: DeliveryResult, from: string, say: (line: string) => void): number {
  const failed = result.recipients.filter((o) => o.kind !== 'delivered');
  const first = failed[0]!;
  const server = (o: RecipientOutcome) =>
    say(`server message: ${o.code} ${o.enhanced ? `${o.enhanced} ` : ''}${o.text}`);
  const status = (o: RecipientOutcome) => (o.kind === 'transient' ? EX.TEMPFAIL : EX.UNAVAILABLE);
  if (first.local) {
    if (first.enhanced === '4.7.4') say('the server does not support TLS via the STARTTLS command');
    else if (first.enhanced === '4.7.0') say('the server does not support authentication');
    else say(first.text);
    return first.enhanced.startsWith('4.7') ? EX.NOPERM : status(first);
  }
  switch (first.inReplyTo) {
    case 'initial greeting':
      say('cannot get initial OK message from server');
      break;
    case 'EHLO':
    case 'HELO':
      say(`the server refused the ${first.inReplyTo} command`);
      break;
    case 'STARTTLS':
      say('the server does not support TLS via the STARTTLS command');
      break;
    case 'AUTH':
      say('authentication failed (method PLAIN)');
      server(first);
      return EX.NOPERM;
    case 'MAIL FROM':
      say(`envelope from address ${from} not accepted by the server`);
      break;
    case 'RCPT TO':
      for (const o of failed) {
        say(`recipient address ${o.rcpt.local}@${o.rcpt.domain} not accepted by the server`);
        server(o);
      }
      return status(first);
    default:
      say('the server did not accept the mail');
  }
  server(first);
  return status(first);
}
