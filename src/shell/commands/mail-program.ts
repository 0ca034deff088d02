/**
 * mail(1) as bsd-mailx 8.1.2 (Debian's /usr/bin/mail) behaves with Debian's /etc/mail.rc
 * ("set ask askcc append dot save crt", plus the lab's "set hold").
 *
 * Sending: `mail -s SUBJECT [-c CC] [-b BCC] RCPT…` takes the body from standard input, or
 * from the terminal until a line with a single "." or Ctrl-D, then asks "Cc: ". On a
 * workstation the mail client submits it (engine/agents/mua: port 587, STARTTLS, AUTH, as
 * /etc/msmtprc says); on a mail host Postfix's sendmail queues it locally.
 *
 * Reading: `mail` opens /var/mail/USER on this host — the mail store of the host that
 * delivers USER's mail. alice's mailbox is on mail.alpha.example, not on her laptop, so on
 * the laptop `mail` says "No mail for alice", as it would on a real workstation whose mail
 * is delivered elsewhere (`ssh alice@mail.alpha.example` and `mail` there reads it; root can
 * read anyone's with `mail -u USER`). Deleting (d) and quitting (q) really removes the
 * messages from the store; `x` leaves without changing anything.
 */
import type { StoredMessage } from '../../engine/agents/mailstore';
import { submitRaw } from '../../engine/agents/mua';
import { rfc5322Date } from '../../engine/clock';
import { text, utf8 } from '../../engine/bytes';
import { composeMessage, headerFields } from '../../engine/message/compose';
import { ERROR_TEXT } from '../fs';
import { mboxOf } from '../mbox';
import { PENDING, type CommandContext, type Program } from '../program';
import {
  defaultSender,
  isMailHost,
  msmtpAccount,
  qualify,
  sendmail,
  submitComposed,
} from './transport';
import { addressesIn } from './sendmail';

const USAGE = `Usage: mail [-EIinv] [-a header] [-b bcc-addr] [-c cc-addr] [-s subject] to-addr ...
       [- sendmail-options ...]
       mail [-EIiNnv] -f [name]
       mail [-EIiNnv] [-u user]
`;

/** Header fields /etc/mail.rc says not to show ("ignore …"). */
const IGNORED = new Set(
  'received message-id resent-message-id status mail-from return-path via delivered-to'.split(' '),
);

/** What a reader remembers of a message between sessions (the Status: header, in effect). */
const seen = new WeakMap<StoredMessage, 'read' | 'old'>();

interface Options {
  subject: string | undefined;
  cc: string[];
  bcc: string[];
  headers: string[];
  from: string | undefined;
  user: string | undefined;
  file: string | undefined;
  noHeaders: boolean;
  noEmpty: boolean;
  recipients: string[];
}

function parse(args: readonly string[]): Options | string {
  const o: Options = {
    subject: undefined,
    cc: [],
    bcc: [],
    headers: [],
    from: undefined,
    user: undefined,
    file: undefined,
    noHeaders: false,
    noEmpty: false,
    recipients: [],
  };
  let readFile = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-') {
      break; // sendmail options follow
    }
    if (!arg.startsWith('-')) {
      if (readFile && o.file === undefined) o.file = arg;
      else o.recipients.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const flag = arg[j]!;
      if ('EIinvdN'.includes(flag)) {
        if (flag === 'N') o.noHeaders = true;
        if (flag === 'E') o.noEmpty = true;
        continue;
      }
      if (flag === 'f') {
        readFile = true;
        continue;
      }
      if ('sbcaru'.includes(flag)) {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
        if (value === undefined) return `mail: option requires an argument -- '${flag}'\n${USAGE}`;
        if (flag === 's') o.subject = value;
        else if (flag === 'c') o.cc.push(...splitList(value));
        else if (flag === 'b') o.bcc.push(...splitList(value));
        else if (flag === 'a') o.headers.push(value);
        else if (flag === 'r') o.from = value;
        else o.user = value;
        break;
      }
      return `mail: invalid option -- '${flag}'\n${USAGE}`;
    }
  }
  if (readFile) o.file ??= '~/mbox';
  return o;
}

function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean);
}

export function run(ctx: CommandContext): number | typeof PENDING {
  const o = parse(ctx.args);
  if (typeof o === 'string') {
    ctx.stderr.write(o);
    return 1;
  }
  if (o.recipients.length > 0 && o.file === undefined && o.user === undefined) {
    return compose(ctx, o);
  }
  return read(ctx, o);
}

// --- sending ------------------------------------------------------------------------------

interface Letter {
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  headers: string[];
  from: string | undefined;
  body: string;
}

/** Hand a finished letter to this host's mail system; `done` gets the exit status. */
function dispatch(ctx: CommandContext, letter: Letter, done: (status: number) => void): void {
  if (letter.body === '') ctx.stderr.write("Null message body; hope that's ok\n");
  const all = [...letter.to, ...letter.cc, ...letter.bcc];
  if (isMailHost(ctx.world, ctx.host)) {
    // bsd-mailx writes To:, Subject:, Cc: and hands the rest to sendmail, which adds more.
    const head = [
      `To: ${letter.to.join(', ')}`,
      ...(letter.subject !== '' ? [`Subject: ${letter.subject}`] : []),
      ...(letter.cc.length ? [`Cc: ${letter.cc.join(', ')}`] : []),
      ...letter.headers,
    ];
    const from = letter.from ?? defaultSender(ctx);
    return sendmail(
      ctx,
      'sendmail',
      {
        from: qualify(ctx.world, ctx.host, from),
        recipients: all.map((r) => qualify(ctx.world, ctx.host, r)),
        content: `${head.join('\n')}\n\n${letter.body}`,
      },
      done,
    );
  }
  if (letter.headers.length === 0 && letter.from === undefined) {
    return submitComposed(ctx, 'sendmail', letter, done);
  }
  // Extra headers (-a) or another sender (-r): compose here, submit as it is.
  const account = msmtpAccount(ctx);
  if (typeof account === 'string') {
    ctx.stderr.write(`sendmail: ${account}\n`);
    return done(78);
  }
  const from = letter.from ?? defaultSender(ctx);
  const message = composeMessage({
    from,
    to: letter.to,
    ...(letter.cc.length ? { cc: letter.cc } : {}),
    subject: letter.subject,
    body: letter.body,
    date: rfc5322Date(ctx.world.epoch, ctx.world.clock.now),
    messageId: `${ctx.world.clock.now}.${ctx.world.random.hex(8)}@${ctx.host}`,
  });
  const split = message.indexOf('\r\n\r\n');
  const content =
    message.slice(0, split) + letter.headers.map((h) => `\r\n${h}`).join('') + message.slice(split);
  submitRaw(
    ctx.world,
    {
      host: ctx.host,
      server: { host: account.host!, port: account.port },
      ...(account.auth && account.user
        ? { account: { username: account.user, password: account.password ?? '' } }
        : {}),
      starttls: account.tls && account.starttls ? 'required' : 'never',
      from,
      recipients: all,
      content,
    },
    (r) => {
      if (r.ok) return done(0);
      ctx.stderr.write(
        `sendmail: ${r.error}\nsendmail: could not send mail (account default from ${account.file})\n`,
      );
      done(75);
    },
  );
}

/**
 * A letter being typed at the terminal: "Subject: " when none was given (ask), the body
 * until "." or Ctrl-D, then "Cc: " (askcc). Ctrl-C twice kills it (into ~/dead.letter).
 */
class Composer implements Program {
  private stage: 'subject' | 'body' | 'cc' | 'sending' = 'body';
  private lines: string[] = [];
  private interrupted = false;

  constructor(
    private readonly ctx: CommandContext,
    private readonly letter: Omit<Letter, 'body'>,
    askSubject: boolean,
    private readonly finish: (status: number) => void,
  ) {
    if (askSubject) this.stage = 'subject';
  }

  prompt(): string {
    return this.stage === 'subject' ? 'Subject: ' : this.stage === 'cc' ? 'Cc: ' : '';
  }

  line(line: string): void {
    this.interrupted = false;
    if (this.stage === 'subject') {
      this.letter.subject = line;
      this.next('body');
    } else if (this.stage === 'body') {
      if (line === '.') this.next('cc');
      else this.lines.push(line);
    } else if (this.stage === 'cc') {
      this.letter.cc.push(...splitList(line));
      this.send();
    }
  }

  eof(): void {
    if (this.stage === 'subject') this.next('body');
    else if (this.stage === 'body') this.next('cc');
    else if (this.stage === 'cc') this.send();
  }

  interrupt(): void {
    if (this.stage === 'sending') return;
    if (!this.interrupted) {
      this.interrupted = true;
      this.ctx.stdout.write('(Interrupt -- one more to kill letter)\n');
      return;
    }
    // "set save": the killed letter goes to ~/dead.letter.
    const body = this.lines.map((l) => l + '\n').join('');
    if (body !== '') {
      this.ctx.fs.write(
        `${this.ctx.fs.home(this.ctx.user)}/dead.letter`,
        this.ctx.user,
        utf8(body),
        true,
      );
    }
    this.stage = 'sending';
    this.finish(1);
  }

  private next(stage: 'body' | 'cc'): void {
    this.stage = stage;
    this.ctx.promptChanged();
  }

  private send(): void {
    this.stage = 'sending';
    this.ctx.promptChanged();
    dispatch(
      this.ctx,
      { ...this.letter, body: this.lines.map((l) => l + '\n').join('') },
      this.finish,
    );
  }
}

function compose(ctx: CommandContext, o: Options): number | typeof PENDING {
  const letter = {
    to: o.recipients.flatMap(splitList),
    cc: o.cc,
    bcc: o.bcc,
    subject: o.subject ?? '',
    headers: o.headers,
    from: o.from,
  };
  if (!ctx.stdin.terminal) {
    const body = text(ctx.stdin.data);
    if (body === '' && o.noEmpty) return 0;
    dispatch(ctx, { ...letter, body }, (status) => ctx.exit(status));
    return PENDING;
  }
  ctx.foreground(new Composer(ctx, letter, o.subject === undefined, (status) => ctx.exit(status)));
  return PENDING;
}

// --- reading ------------------------------------------------------------------------------

interface Message {
  /** The message as the mbox file holds it: "From " line, headers, body, blank line. */
  chunk: string;
  stored?: StoredMessage;
  deleted: boolean;
  /** Shown in this session. */
  read: boolean;
  /** New since the last session (N), or already seen but unread (U), or read. */
  status: 'new' | 'unread' | 'read';
  saved: boolean;
}

interface Mailbox {
  path: string;
  /** Shown as given on the command line ("/var/mail/bob", "+saved"). */
  name: string;
  messages: Message[];
  /** Apply the session: deleted messages go. */
  commit(): void;
}

/** Split an mbox file into messages (each starts with a "From " line after a blank line). */
function splitMbox(data: string): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of data.split(/(?<=\n)/)) {
    if (line.startsWith('From ') && (current === '' || current.endsWith('\n\n'))) {
      if (current !== '') chunks.push(current);
      current = line;
    } else current += line;
  }
  if (current.startsWith('From ')) chunks.push(current);
  return chunks;
}

function openMailbox(ctx: CommandContext, o: Options): Mailbox | string {
  const spool = o.file === undefined;
  const owner = o.user ?? ctx.user;
  const name = spool
    ? `/var/mail/${owner}`
    : o
        .file!.replace(/^~(?=\/|$)/, ctx.fs.home(ctx.user))
        .replace(/^\+/, `${ctx.fs.home(ctx.user)}/`);
  const path = ctx.resolve(name);
  const store = ctx.world.mailstore(ctx.host);
  const match = /^\/var\/mail\/([^/]+)$/.exec(path);
  const user = match?.[1];
  if (store && user !== undefined && store.hasUser(user)) {
    const read = ctx.fs.read(path, ctx.user);
    if (!read.ok && read.error === 'EACCES') return `${name}: ${ERROR_TEXT.EACCES}\n`;
    const messages = store.messages(user).map((m): Message => ({
      chunk: mboxOf([m], ctx.world.epoch),
      stored: m,
      deleted: false,
      read: false,
      status: seen.get(m) === 'read' ? 'read' : seen.get(m) === 'old' ? 'unread' : 'new',
      saved: false,
    }));
    if (messages.length === 0) return spool ? `No mail for ${owner}\n` : '';
    return {
      path,
      name,
      messages,
      commit() {
        for (const m of messages) {
          if (m.deleted) store.remove(user, m.stored!);
          else seen.set(m.stored!, m.read || m.status === 'read' ? 'read' : 'old');
        }
      },
    };
  }
  const read = ctx.fs.read(path, ctx.user);
  if (!read.ok) {
    return spool && read.error === 'ENOENT'
      ? `No mail for ${owner}\n`
      : `${name}: ${ERROR_TEXT[read.error]}\n`;
  }
  const messages = splitMbox(text(read.value)).map((chunk): Message => ({
    chunk,
    deleted: false,
    read: false,
    status: /^Status:.*R/m.test(chunk.split('\n\n')[0] ?? '') ? 'read' : 'new',
    saved: false,
  }));
  if (messages.length === 0) return spool ? `No mail for ${owner}\n` : '';
  return {
    path,
    name,
    messages,
    commit() {
      if (!messages.some((m) => m.deleted)) return;
      const kept = messages.filter((m) => !m.deleted).map((m) => m.chunk);
      ctx.fs.write(path, ctx.user, utf8(kept.join('')), false);
    },
  };
}

/** The skinned sender (From: address, else the envelope's) and the From line's date. */
function summary(m: Message): { from: string; date: string; subject: string } {
  const [fromLine = '', ...rest] = m.chunk.split('\n');
  const envelope = /^From (\S+)\s+(.*)$/.exec(fromLine);
  const fields = headerFields(rest.join('\n').split('\n\n')[0] + '\n\n');
  const value = (n: string) => fields.find((f) => f.name.toLowerCase() === n)?.value;
  const header = value('from');
  const from = header
    ? (/<([^>]*)>/.exec(header)?.[1] ?? header.replace(/\(.*?\)/g, '').trim())
    : (envelope?.[1] ?? '');
  return { from, date: (envelope?.[2] ?? '').slice(0, 16), subject: value('subject') ?? '' };
}

function size(m: Message): { lines: number; bytes: number } {
  return { lines: m.chunk.split('\n').length - 1, bytes: utf8(m.chunk).length };
}

/** The mailbox reader: "& " prompt, a header line per message, commands as bsd-mailx has them. */
class Reader implements Program {
  private current: number;
  private shown = false;
  private composer: Composer | undefined;

  constructor(
    private readonly ctx: CommandContext,
    private readonly box: Mailbox,
  ) {
    const list = box.messages;
    const first = (s: Message['status']) => list.findIndex((m) => m.status === s);
    this.current = Math.max(0, first('new') >= 0 ? first('new') : first('unread'));
  }

  start(showHeaders: boolean): void {
    const list = this.box.messages;
    const count = (s: Message['status']) => list.filter((m) => m.status === s).length;
    const news = count('new');
    const unread = count('unread');
    this.out('Mail version 8.1.2 01/15/2001.  Type ? for help.\n');
    this.out(
      `"${this.box.name}": ${list.length} message${list.length === 1 ? '' : 's'}` +
        `${news ? ` ${news} new` : ''}${unread ? ` ${unread} unread` : ''}\n`,
    );
    if (showHeaders) this.headers();
  }

  prompt(): string {
    return this.composer ? this.composer.prompt() : '& ';
  }

  line(line: string): void {
    if (this.composer) return this.composer.line(line);
    this.command(line.trim());
  }

  eof(): void {
    if (this.composer) return this.composer.eof?.();
    this.quit();
  }

  interrupt(): void {
    if (this.composer) this.composer.interrupt();
  }

  private out(s: string): void {
    this.ctx.stdout.write(s);
  }

  private command(input: string): void {
    if (input === '') return this.next();
    if (/^\d+$/.test(input)) return this.print(this.list(input), false);
    if (input.startsWith('!')) {
      this.out('Shell escapes are not available in this lab.\n');
      return;
    }
    const m = /^([a-zA-Z=?+-]+)\s*(.*)$/.exec(input);
    const word = m?.[1] ?? input;
    const args = m?.[2] ?? '';
    const is = (...names: string[]) => names.includes(word);
    if (is('n', 'next', '+')) return this.next();
    if (is('-', 'previous')) return this.previous();
    if (is('p', 't', 'print', 'type')) return this.print(this.list(args), false);
    if (is('P', 'T', 'Print', 'Type')) return this.print(this.list(args), true);
    if (is('h', 'headers', 'f', 'from'))
      return word.startsWith('f') && args ? this.from(args) : this.headers();
    if (is('d', 'delete')) return this.remove(this.list(args));
    if (is('dp', 'dt')) {
      this.remove(this.list(args));
      return this.next();
    }
    if (is('u', 'undelete')) return this.undelete(args);
    if (is('s', 'save', 'w', 'write')) return this.save(args, word.startsWith('w'));
    if (is('r', 'R', 'reply', 'Reply')) return this.reply(args, word === 'r' || word === 'reply');
    if (is('m', 'mail')) return this.mail(args);
    if (is('q', 'quit')) return this.quit();
    if (is('x', 'ex', 'exit', 'xit')) return this.ctx.exit(0);
    if (is('=')) return this.out(`${this.current + 1}\n`);
    if (is('?', 'help')) return this.out(HELP);
    this.out(`Unknown command: "${word}"\n`);
  }

  /** A message list: numbers, ranges, * (all), $ (last), . (current); none: the current. */
  private list(args: string): number[] | undefined {
    const list = this.box.messages;
    if (args.trim() === '') {
      if (!list[this.current]?.deleted) return [this.current];
      this.out('No applicable messages\n');
      return undefined;
    }
    const picked: number[] = [];
    for (const token of args.split(/\s+/)) {
      const range = /^(\d+)-(\d+)$/.exec(token);
      const numbers =
        token === '*'
          ? list.map((_, i) => i + 1)
          : token === '$'
            ? [list.length]
            : token === '.'
              ? [this.current + 1]
              : range
                ? Array.from(
                    { length: Math.max(0, Number(range[2]) - Number(range[1]) + 1) },
                    (_, i) => Number(range[1]) + i,
                  )
                : /^\d+$/.test(token)
                  ? [Number(token)]
                  : undefined;
      if (!numbers) {
        this.out(`Unknown message list: "${token}"\n`);
        return undefined;
      }
      for (const n of numbers) {
        if (n < 1 || n > list.length) {
          this.out(`${n}: Invalid message number\n`);
          return undefined;
        }
        if (list[n - 1]!.deleted && token !== '*') {
          this.out(`${n}: Inappropriate message\n`);
          return undefined;
        }
        if (!list[n - 1]!.deleted) picked.push(n - 1);
      }
    }
    if (picked.length === 0) this.out('No applicable messages\n');
    return picked.length ? picked : undefined;
  }

  private headerLine(i: number): string {
    const m = this.box.messages[i]!;
    const { from, date, subject } = summary(m);
    const { lines, bytes } = size(m);
    const flag = m.saved
      ? '*'
      : m.read || m.status === 'read'
        ? ' '
        : m.status === 'new'
          ? 'N'
          : 'U';
    const head =
      `${i === this.current ? '>' : ' '}${flag}${String(i + 1).padStart(3)} ` +
      `${from.slice(0, 17).padEnd(17)}  ${date.padEnd(16)}  ` +
      `${String(lines).padStart(3)}/${String(bytes).padEnd(5)}`;
    return `${head} ${subject}`.slice(0, Math.max(head.length, this.ctx.session.cols()));
  }

  private headers(): void {
    this.box.messages.forEach((m, i) => {
      if (!m.deleted) this.out(this.headerLine(i) + '\n');
    });
  }

  private from(args: string): void {
    for (const i of this.list(args) ?? []) this.out(this.headerLine(i) + '\n');
  }

  private print(list: number[] | undefined, all: boolean): void {
    if (!list) return;
    for (const i of list) {
      const m = this.box.messages[i]!;
      this.current = i;
      this.shown = true;
      m.read = true;
      this.out(`Message ${i + 1}:\n${all ? m.chunk : withoutIgnored(m.chunk)}`);
    }
  }

  private next(): void {
    const list = this.box.messages;
    const cur = list[this.current];
    if (cur && !cur.deleted && !this.shown) return this.print([this.current], false);
    const i = list.findIndex((m, k) => k > this.current && !m.deleted);
    if (i < 0) return this.out('At EOF\n');
    this.print([i], false);
  }

  private previous(): void {
    const list = this.box.messages;
    let i = this.current - 1;
    while (i >= 0 && list[i]!.deleted) i--;
    if (i < 0) return this.out('Referencing before 1\n');
    this.print([i], false);
  }

  private remove(list: number[] | undefined): void {
    if (!list) return;
    for (const i of list) this.box.messages[i]!.deleted = true;
    const all = this.box.messages;
    const after = all.findIndex((m, k) => k > list.at(-1)! && !m.deleted);
    const before = all.map((m) => !m.deleted).lastIndexOf(true);
    this.current = after >= 0 ? after : Math.max(0, before);
    this.shown = false;
  }

  private undelete(args: string): void {
    const all = this.box.messages;
    const tokens = args.trim() === '' ? [String(this.current + 1)] : args.split(/\s+/);
    for (const t of tokens) {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1 || n > all.length) {
        this.out(`${t}: Invalid message number\n`);
        return;
      }
      all[n - 1]!.deleted = false;
      this.current = n - 1;
    }
  }

  /** s [list] FILE: append the messages, mbox style, to FILE. */
  private save(args: string, bodyOnly: boolean): void {
    const words = args.split(/\s+/).filter(Boolean);
    const file = words.pop();
    if (file === undefined) {
      this.out('No file specified.\n');
      return;
    }
    const list = this.list(words.join(' '));
    if (!list) return;
    const path = this.ctx.resolve(file.replace(/^~(?=\/|$)/, this.ctx.fs.home(this.ctx.user)));
    const existed = this.ctx.fs.stat(path, this.ctx.user).ok;
    let lines = 0;
    let bytes = 0;
    for (const i of list) {
      const m = this.box.messages[i]!;
      const data = bodyOnly ? m.chunk.slice(m.chunk.indexOf('\n\n') + 2) : m.chunk;
      const wrote = this.ctx.fs.write(path, this.ctx.user, utf8(data), true);
      if (!wrote.ok) {
        this.out(`${file}: ${ERROR_TEXT[wrote.error]}\n`);
        return;
      }
      lines += data.split('\n').length - 1;
      bytes += utf8(data).length;
      m.saved = true;
    }
    this.out(`"${file}" ${existed ? '[Appended]' : '[New file]'} ${lines}/${bytes}\n`);
  }

  /** r / R: a reply to the sender (r: and everyone it went to), typed like a new letter. */
  private reply(args: string, all: boolean): void {
    const list = this.list(args);
    if (!list) return;
    const m = this.box.messages[list[0]!]!;
    const { from, subject } = summary(m);
    const fields = headerFields(m.chunk.slice(m.chunk.indexOf('\n') + 1).split('\n\n')[0] + '\n\n');
    const others = all
      ? fields
          .filter((f) => /^(to|cc)$/i.test(f.name))
          .flatMap((f) => addressesIn(f.value))
          .filter((a) => a !== from && a !== defaultSender(this.ctx))
      : [];
    const to = [from, ...others];
    const re = /^re:/i.test(subject) ? subject : `Re: ${subject}`;
    this.out(`To: ${to.join(' ')}\nSubject: ${re}\n\n`);
    this.startComposer({ to, cc: [], bcc: [], subject: re, headers: [], from: undefined }, false);
  }

  private mail(args: string): void {
    const to = splitList(args);
    if (to.length === 0) {
      this.out('No recipients specified\n');
      return;
    }
    this.startComposer({ to, cc: [], bcc: [], subject: '', headers: [], from: undefined }, true);
  }

  private startComposer(letter: Omit<Letter, 'body'>, askSubject: boolean): void {
    this.composer = new Composer(this.ctx, letter, askSubject, () => {
      this.composer = undefined;
      this.ctx.promptChanged();
    });
    this.ctx.promptChanged();
  }

  private quit(): void {
    this.box.commit();
    const left = this.box.messages.filter((m) => !m.deleted).length;
    const spool = this.box.messages.some((m) => m.stored);
    if (spool && left > 0)
      this.out(`Held ${left} message${left === 1 ? '' : 's'} in ${this.box.path}\n`);
    if (!spool && this.box.messages.some((m) => m.deleted))
      this.out(`"${this.box.name}" complete\n`);
    this.ctx.exit(0);
  }
}

/** The message without the header fields mail.rc ignores (and their continuation lines). */
function withoutIgnored(chunk: string): string {
  const end = chunk.indexOf('\n\n');
  const head = end < 0 ? chunk : chunk.slice(0, end + 1);
  const out: string[] = [];
  let skipping = false;
  for (const line of head.split(/(?<=\n)/)) {
    if (/^[ \t]/.test(line)) {
      if (!skipping) out.push(line);
      continue;
    }
    const name = /^([^:\s]+):/.exec(line)?.[1]?.toLowerCase();
    skipping = name !== undefined && IGNORED.has(name);
    if (!skipping) out.push(line);
  }
  return out.join('') + (end < 0 ? '' : chunk.slice(end + 1));
}

function read(ctx: CommandContext, o: Options): number | typeof PENDING {
  if (o.user !== undefined && ctx.user !== 'root' && o.user !== ctx.user) {
    ctx.stderr.write(`/var/mail/${o.user}: ${ERROR_TEXT.EACCES}\n`);
    return 1;
  }
  const box = openMailbox(ctx, o);
  if (typeof box === 'string') {
    if (box === '') {
      ctx.stdout.write(
        `Mail version 8.1.2 01/15/2001.  Type ? for help.\n"${o.file}": 0 messages\n`,
      );
      return 0;
    }
    ctx.stderr.write(box);
    return 1;
  }
  const reader = new Reader(ctx, box);
  reader.start(!o.noHeaders);
  if (!ctx.stdin.terminal) {
    // Commands from a pipe or file, then end of input: quit.
    for (const line of text(ctx.stdin.data).split('\n')) {
      if (line === '') continue;
      reader.line(line);
    }
    reader.eof();
    return PENDING;
  }
  ctx.foreground(reader);
  return PENDING;
}

const HELP = `    Mail   Commands
t <message list>		type messages
n				goto and type next message
f <message list>		give head lines of messages
d <message list>		delete messages
s <message list> file		append messages to file
u <message list>		undelete messages
R <message list>		reply to message senders
r <message list>		reply to message senders and all recipients
m <user list>			mail to specific users
q				quit, saving unresolved messages in mbox
x				quit, do not remove system mailbox
h				print out active message headers

A <message list> consists of integers, ranges of same, or user names separated
by spaces.  If omitted, Mail uses the last message typed.

A <user list> consists of user names or aliases separated by spaces.
`;
