/**
 * tail [-f] [-n N] [FILE]…, as GNU coreutils: the last lines (or bytes) of each file, and
 * with -f the lines added later — on a mail host, /var/log/mail.log grows as the trace
 * records Postfix's log lines. Following runs until Ctrl-C; a `lab run` script cannot
 * press Ctrl-C, so there tail prints what is there and stops.
 */
import { utf8 } from '../../engine/bytes';
import { concatBytes } from '../io';
import { ERROR_TEXT } from '../fs';
import { PENDING, type CommandContext } from '../program';
import { syslogLine } from '../syslog';
import { getopt, tryHelp } from './args';
import { isMailHost } from './transport';

const NL = 10;

/** The last `n` lines of `data` (or from line `n` on, for +N). */
function lastLines(data: Uint8Array, n: number, fromStart: boolean): Uint8Array {
  if (fromStart) {
    let at = 0;
    for (let line = 1; line < n && at < data.length; at++) if (data[at] === NL) line++;
    return data.subarray(at);
  }
  if (n === 0) return data.subarray(data.length);
  let at = data.length;
  // A last line without its newline counts as a line.
  if (at > 0 && data[at - 1] === NL) at--;
  for (let seen = 0; at > 0; at--) {
    if (data[at - 1] === NL && ++seen === n) break;
  }
  return data.subarray(at);
}

function lastBytes(data: Uint8Array, n: number, fromStart: boolean): Uint8Array {
  return fromStart
    ? data.subarray(Math.max(0, n - 1))
    : data.subarray(Math.max(0, data.length - n));
}

export function run(ctx: CommandContext): number | typeof PENDING {
  // The obsolete form "tail -20 FILE" is "tail -n 20 FILE".
  const args = ctx.args.map((a) => (/^-\d+$/.test(a) ? `-n${a.slice(1)}` : a));
  const parsed = getopt(args, [
    { key: 'n', short: 'n', long: 'lines', value: true },
    { key: 'c', short: 'c', long: 'bytes', value: true },
    { key: 'f', short: 'f', long: 'follow' },
    { key: 'f', short: 'F' },
    { key: 'q', short: 'q', long: 'quiet' },
    { key: 'q', long: 'silent' },
    { key: 'v', short: 'v', long: 'verbose' },
  ]);
  if (!parsed.ok) {
    ctx.stderr.write(`tail: ${parsed.message}\n${tryHelp('tail')}`);
    return 1;
  }
  const o = parsed.options;
  const bytesMode = o.has('c') && !o.has('n');
  const count = (bytesMode ? o.get('c') : o.get('n'))?.at(-1) ?? '10';
  const m = /^([+-]?)(\d+)$/.exec(count);
  if (!m) {
    ctx.stderr.write(`tail: invalid number of ${bytesMode ? 'bytes' : 'lines'}: ‘${count}’\n`);
    return 1;
  }
  const n = Number(m[2]);
  const fromStart = m[1] === '+';
  const pick = (data: Uint8Array) =>
    bytesMode ? lastBytes(data, n, fromStart) : lastLines(data, n, fromStart);
  const files = parsed.operands.length > 0 ? parsed.operands : ['-'];
  const headers = o.has('v') || (files.length > 1 && !o.has('q'));
  let status = 0;
  let first = true;
  let shown: string | undefined;
  const header = (name: string) => {
    if (!headers || shown === name) return;
    ctx.stdout.write(`${first ? '' : '\n'}==> ${name === '-' ? 'standard input' : name} <==\n`);
    first = false;
    shown = name;
  };
  const followed: { name: string; path: string; size: number }[] = [];

  for (const name of files) {
    if (name === '-') {
      if (ctx.stdin.terminal) continue; // nothing typed ahead: read below
      header(name);
      ctx.stdout.write(pick(ctx.stdin.data));
      continue;
    }
    const path = ctx.resolve(name);
    const read = ctx.fs.read(path, ctx.user);
    if (!read.ok) {
      ctx.stderr.write(
        read.error === 'EISDIR'
          ? `tail: error reading '${name}': ${ERROR_TEXT.EISDIR}\n`
          : `tail: cannot open '${name}' for reading: ${ERROR_TEXT[read.error]}\n`,
      );
      status = 1;
      continue;
    }
    header(name);
    ctx.stdout.write(pick(read.value));
    followed.push({ name, path, size: read.value.length });
  }

  const readsTerminal = files.includes('-') && ctx.stdin.terminal;
  if (readsTerminal && !o.has('f')) {
    // No file: read what is typed until Ctrl-D, then show its end.
    const chunks: Uint8Array[] = [];
    ctx.foreground({
      prompt: () => '',
      line: (line) => chunks.push(utf8(line + '\n')),
      interrupt: () => ctx.exit(130),
      eof: () => {
        ctx.stdout.write(pick(concatBytes(chunks)));
        ctx.exit(status);
      },
    });
    return PENDING;
  }
  if (!o.has('f') || ctx.headless || followed.length === 0) return status;

  // Follow. The mail log grows by one line per trace `log` event of this host: print it
  // as it comes. Other files are looked at again whenever something happens in the world.
  const log = isMailHost(ctx.world, ctx.host)
    ? followed.find((f) => f.path === '/var/log/mail.log')
    : undefined;
  const others = followed.filter((f) => f !== log);
  const check = () => {
    for (const f of others) {
      const read = ctx.fs.read(f.path, ctx.user);
      if (!read.ok) continue;
      const data = read.value;
      if (data.length < f.size) {
        ctx.stderr.write(`tail: ${f.name}: file truncated\n`);
        f.size = 0;
      }
      if (data.length > f.size) {
        header(f.name);
        ctx.stdout.write(data.subarray(f.size));
        f.size = data.length;
      }
    }
  };
  const unsubscribe = ctx.world.trace.subscribe((event) => {
    if (log && event.type === 'log' && event.host === ctx.host) {
      header(log.name);
      ctx.stdout.write(syslogLine(event, ctx.world.epoch) + '\n');
    }
    if (others.length > 0) check();
  });
  ctx.foreground({
    prompt: () => '',
    line: () => {},
    interrupt: () => {
      unsubscribe();
      ctx.exit(130);
    },
  });
  return PENDING;
}
