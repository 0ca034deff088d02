/**
 * sendmail [-f SENDER] [-t] [-i] RCPT…: the message (headers and body) comes on standard
 * input. On a mail host this is Postfix's sendmail, which puts it into the host's own
 * queue; on a workstation it is msmtp's, which submits it to the provider's server.
 */
import { text } from '../../engine/bytes';
import { headerFields } from '../../engine/message/compose';
import { rfc5322Date } from '../../engine/clock';
import { uidOf } from '../../engine/agents/pickup';
import { PENDING, type CommandContext } from '../program';
import { defaultSender, isMailHost, msmtpAccount, qualify, sendmail } from './transport';
import { postqueueList } from './postfix-program';
import { addressesIn } from './sendmail';

const EX_USAGE = 64;

export function run(ctx: CommandContext): number | typeof PENDING {
  const postfix = isMailHost(ctx.world, ctx.host);
  const me = postfix ? 'sendmail' : ctx.name;
  let from: string | undefined;
  let extract = false;
  let dots = true;
  let fullName: string | undefined;
  const recipients: string[] = [];
  const args = ctx.args;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      recipients.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      recipients.push(arg);
      continue;
    }
    const flag = arg.slice(1);
    const value = (short: string): string | undefined =>
      flag.length > short.length ? flag.slice(short.length) : args[++i];
    if (flag === 't') extract = true;
    else if (flag === 'i' || flag === 'oi') dots = false;
    else if (flag.startsWith('f') || flag.startsWith('r')) {
      from = value(flag[0]!);
      if (from === undefined) return usage(ctx, me, `option requires an argument -- '${flag[0]}'`);
    } else if (flag.startsWith('F')) {
      fullName = value('F');
    } else if (flag === 'bp') {
      if (!postfix) return usage(ctx, me, 'unsupported operation mode -bp');
      return postqueueList(ctx);
    } else if (flag === 'bm' || flag.startsWith('o') || flag === 'v') continue;
    else return usage(ctx, me, `invalid option -- '${flag[0]}'`);
  }
  if (!extract && recipients.length === 0) {
    ctx.stderr.write(
      postfix
        ? `sendmail: fatal: ${ctx.user}(${uidOf(ctx.world, ctx.user)}): Recipient addresses must be specified on the command line or via the -t option\n`
        : `${me}: no recipients found\n`,
    );
    return EX_USAGE;
  }
  if (!postfix) {
    const account = msmtpAccount(ctx);
    if (typeof account === 'string') {
      ctx.stderr.write(`${me}: ${account}\n`);
      return 78;
    }
  }

  const send = (raw: string): number | typeof PENDING => {
    let message = raw.replace(/\r\n/g, '\n');
    const split = message.indexOf('\n\n');
    let head = split < 0 ? message : message.slice(0, split + 1);
    let body = split < 0 ? '' : message.slice(split + 2);
    if (split < 0 && !/^[\x21-\x39\x3b-\x7e]+:/.test(message)) {
      head = '';
      body = message;
    }
    const fields = headerFields(head + '\n');
    const rcpts = [...recipients];
    if (extract) {
      for (const f of fields) {
        if (/^(to|cc|bcc)$/i.test(f.name)) rcpts.push(...addressesIn(f.value));
      }
      // The Bcc: header is for the envelope only (RFC 5322 §3.6.3).
      head = head.replace(/^bcc:.*\n(?:[ \t].*\n)*/gim, '');
      if (rcpts.length === 0) {
        ctx.stderr.write(
          postfix
            ? `sendmail: fatal: ${ctx.user}(${uidOf(ctx.world, ctx.user)}): No recipient addresses found in message header\n`
            : `${me}: no recipients found\n`,
        );
        return EX_USAGE;
      }
    }
    const sender = from ?? defaultSender(ctx);
    if (!postfix) {
      // msmtp adds a Date: and a From: when the message has none.
      const names = new Set(fields.map((f) => f.name.toLowerCase()));
      if (!names.has('date'))
        head += `Date: ${rfc5322Date(ctx.world.epoch, ctx.world.clock.now)}\n`;
      if (!names.has('from')) head += `From: ${fullName ? `${fullName} <${sender}>` : sender}\n`;
    }
    message = head === '' ? body : `${head}\n${body}`;
    sendmail(
      ctx,
      me,
      {
        from: sender === '<>' ? '' : qualify(ctx.world, ctx.host, sender),
        ...(from !== undefined ? { given: from === '<>' ? '' : from } : {}),
        recipients: rcpts.map((r) => qualify(ctx.world, ctx.host, r)),
        content: message,
      },
      (status) => ctx.exit(status),
    );
    return PENDING;
  };

  if (!ctx.stdin.terminal) {
    let input = text(ctx.stdin.data);
    // Postfix's sendmail: a line with a single dot ends the message, unless -i.
    if (postfix && dots) {
      const end = /(^|\n)\.\r?(\n|$)/.exec(input);
      if (end) input = input.slice(0, end.index + end[1]!.length);
    }
    return send(input);
  }
  const lines: string[] = [];
  ctx.foreground({
    prompt: () => '',
    line: (line) => {
      if (postfix && dots && line === '.') send(lines.map((l) => l + '\n').join(''));
      else lines.push(line);
    },
    interrupt: () => ctx.exit(130),
    eof: () => send(lines.map((l) => l + '\n').join('')),
  });
  return PENDING;
}

function usage(ctx: CommandContext, me: string, problem: string): number {
  ctx.stderr.write(`${me}: ${problem}\n`);
  return EX_USAGE;
}
