/**
 * Postfix's queue tools on a mail host: mailq (= postqueue -p), postqueue -p/-j/-f and
 * postsuper -d, over the host's queue (engine/agents/mta). Output as Postfix 3 prints it.
 */
import { text } from '../../engine/bytes';
import type { QueueEntry } from '../../engine/agents/mta';
import { formatMailbox } from '../../engine/smtp/address';
import { asctime } from '../mbox';
import type { CommandContext } from '../program';

const EX_USAGE = 64;

/** Recipients still waiting, grouped under the reason of their last failed attempt. */
function waiting(entry: QueueEntry): { reason: string; rcpts: string[] }[] {
  const groups: { reason: string; rcpts: string[] }[] = [];
  for (const r of entry.recipients) {
    if (r.state !== 'queued') continue;
    const reason = r.lastError;
    let group = groups.find((g) => g.reason === reason);
    if (!group) groups.push((group = { reason, rcpts: [] }));
    group.rcpts.push(formatMailbox(r.spec.mailbox));
  }
  // Recipients not tried yet come first, as showq lists them.
  return groups.sort((a, b) => Number(a.reason !== '') - Number(b.reason !== ''));
}

/** In the active queue (being delivered now, or just arrived) rather than deferred. */
function active(entry: QueueEntry): boolean {
  return entry.nextAttempt === null || entry.attempts === 0;
}

/** `postqueue -p`: Postfix's showq listing. */
export function postqueueList(ctx: CommandContext): number {
  const entries = ctx.world.mta(ctx.host)?.entries() ?? [];
  if (entries.length === 0) {
    ctx.stdout.write('Mail queue is empty\n');
    return 0;
  }
  const lines = ['-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------'];
  let bytes = 0;
  for (const e of entries) {
    bytes += e.content.length;
    const id = `${e.id}${active(e) ? '*' : ' '}`.padEnd(11);
    const when = asctime(ctx.world.epoch, e.arrival).slice(0, 20);
    const sender = e.from ? formatMailbox(e.from) : 'MAILER-DAEMON';
    lines.push(`${id} ${String(e.content.length).padStart(7)} ${when} ${sender}`);
    for (const group of waiting(e)) {
      if (group.reason) lines.push(`(${group.reason.replace(/\r?\n/g, ' ')})`);
      for (const rcpt of group.rcpts) lines.push(`${' '.repeat(41)}${rcpt}`);
    }
    lines.push('');
  }
  const n = entries.length;
  lines.push(`-- ${Math.floor(bytes / 1024)} Kbytes in ${n} Request${n === 1 ? '' : 's'}.`);
  ctx.stdout.write(lines.join('\n') + '\n');
  return 0;
}

/** `postqueue -j`: one JSON object per message (Postfix 3.1). */
function postqueueJson(ctx: CommandContext): number {
  const entries = ctx.world.mta(ctx.host)?.entries() ?? [];
  const out = entries.map((e) =>
    JSON.stringify({
      queue_name: active(e) ? 'active' : 'deferred',
      queue_id: e.id,
      arrival_time: Math.floor((ctx.world.epoch + e.arrival) / 1000),
      message_size: e.content.length,
      forced_expire: false,
      sender: e.from ? formatMailbox(e.from) : '',
      recipients: waiting(e).flatMap((g) =>
        g.rcpts.map((address) => ({
          address,
          ...(g.reason ? { delay_reason: g.reason } : {}),
        })),
      ),
    }),
  );
  ctx.stdout.write(out.map((l) => l + '\n').join(''));
  return 0;
}

const POSTQUEUE_USAGE =
  'postqueue: fatal: usage: postqueue -f | postqueue -i queueid | postqueue -j | postqueue -p | postqueue -s site\n';

export function mailq(ctx: CommandContext): number {
  if (ctx.args.length > 0 && ctx.args[0]!.startsWith('-')) {
    ctx.stderr.write(`sendmail: invalid option -- '${ctx.args[0]!.slice(1, 2)}'\n`);
    return EX_USAGE;
  }
  return postqueueList(ctx);
}

export function postqueue(ctx: CommandContext): number {
  const [flag, ...rest] = ctx.args;
  if (rest.length > 0 || flag === undefined) {
    ctx.stderr.write(POSTQUEUE_USAGE);
    return EX_USAGE;
  }
  if (flag === '-p') return postqueueList(ctx);
  if (flag === '-j') return postqueueJson(ctx);
  if (flag === '-f') {
    ctx.world.mta(ctx.host)?.flush();
    return 0;
  }
  if (/^-[is]$/.test(flag)) {
    ctx.stderr.write(`postqueue: fatal: option ${flag} requires an argument\n`);
    return EX_USAGE;
  }
  ctx.stderr.write(
    /^-./.test(flag)
      ? `postqueue: invalid option -- '${flag.slice(1, 2)}'\n${POSTQUEUE_USAGE}`
      : POSTQUEUE_USAGE,
  );
  return EX_USAGE;
}

export function postsuper(ctx: CommandContext): number {
  if (ctx.user !== 'root') {
    ctx.stderr.write('postsuper: fatal: use of this command is reserved for the superuser\n');
    return 1;
  }
  const ids: string[] = [];
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg.startsWith('-d')) {
      const value = arg.length > 2 ? arg.slice(2) : args[++i];
      if (value === undefined) {
        ctx.stderr.write(
          "postsuper: option requires an argument -- 'd'\npostsuper: fatal: usage: postsuper [-c config_dir] [-d queue_id (delete)] [-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] [-r queue_id (requeue)] [-s (structure fix)] [-S (redundant structure fix)] [-v (verbose)] [queue...]\n",
        );
        return 1;
      }
      if (value === '-') {
        const input = ctx.stdin.terminal ? '' : text(ctx.stdin.data);
        ids.push(...input.split(/\s+/).filter(Boolean));
      } else ids.push(value);
    } else if (/^(incoming|active|deferred|hold|maildrop)$/.test(arg)) {
      continue;
    } else {
      ctx.stderr.write(
        `postsuper: fatal: usage: postsuper [-c config_dir] [-d queue_id (delete)] [-h queue_id (hold)] [-H queue_id (un-hold)] [-p (purge temporary files)] [-r queue_id (requeue)] [-s (structure fix)] [-S (redundant structure fix)] [-v (verbose)] [queue...]\n`,
      );
      return 1;
    }
  }
  const mta = ctx.world.mta(ctx.host)!;
  let deleted = 0;
  for (const id of ids) {
    if (id === 'ALL') {
      for (const e of [...mta.entries()]) if (mta.remove(e.id)) deleted++;
      continue;
    }
    if (!/^[0-9A-Za-z]+$/.test(id)) {
      ctx.stderr.write(`postsuper: warning: invalid mail queue id: ${id}\n`);
      continue;
    }
    if (mta.remove(id)) {
      deleted++;
      ctx.stderr.write(`postsuper: ${id}: removed\n`);
    }
  }
  if (deleted > 0) {
    ctx.stderr.write(`postsuper: Deleted: ${deleted} message${deleted === 1 ? '' : 's'}\n`);
  }
  return 0;
}
