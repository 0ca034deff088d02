/** ls [-laAd1hrt] [FILE]..., as GNU coreutils: columns on a terminal, one per line in a pipe. */
import { collate } from '../expand';
import { ERROR_TEXT, resolvePath, type Stat } from '../fs';
import type { CommandContext } from '../program';
import { getopt, tryHelp } from './args';
import { columns } from './ls';

interface Entry {
  name: string;
  stat: Stat;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HALF_YEAR = 182.5 * 86_400_000;

export function modeString(stat: Stat): string {
  const type = stat.type === 'dir' ? 'd' : stat.type === 'dev' ? 'c' : '-';
  const m = stat.mode;
  const triple = (shift: number, special: boolean, letter: string) => {
    const r = m & (4 << shift) ? 'r' : '-';
    const w = m & (2 << shift) ? 'w' : '-';
    const x = m & (1 << shift);
    const xs = special ? (x ? letter : letter.toUpperCase()) : x ? 'x' : '-';
    return r + w + xs;
  };
  return (
    type +
    triple(6, (m & 0o4000) !== 0, 's') +
    triple(3, (m & 0o2000) !== 0, 's') +
    triple(0, (m & 0o1000) !== 0, 't')
  );
}

/** "Jan  5 09:00" for the last six months, "Jan  5  2025" otherwise (virtual time). */
function lsDate(epoch: number, now: number, mtime: number): string {
  const d = new Date(epoch + mtime);
  const head = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}`;
  const recent = mtime <= now && now - mtime < HALF_YEAR;
  const pad = (n: number) => String(n).padStart(2, '0');
  return recent
    ? `${head} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
    : `${head}  ${d.getUTCFullYear()}`;
}

/** GNU -h: 1 decimal below 10, powers of 1024, rounded up. */
function human(size: number): string {
  if (size < 1024) return String(size);
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    unit++;
  }
  const shown = value < 10 ? (Math.ceil(value * 10) / 10).toFixed(1) : String(Math.ceil(value));
  return shown + 'KMGT'[unit - 1];
}

/** What ls shows on a terminal for a name needing quotes ('a b'). */
function quoteName(name: string, tty: boolean): string {
  if (!tty || /^[\w.\-+,:@%/=~]+$/.test(name)) return name;
  return name.includes("'") ? `"${name}"` : `'${name}'`;
}

export function run(ctx: CommandContext): number {
  const parsed = getopt(ctx.args, [
    { key: 'a', short: 'a', long: 'all' },
    { key: 'A', short: 'A', long: 'almost-all' },
    { key: 'd', short: 'd', long: 'directory' },
    { key: 'h', short: 'h', long: 'human-readable' },
    { key: 'l', short: 'l' },
    { key: 'r', short: 'r', long: 'reverse' },
    { key: 't', short: 't' },
    { key: '1', short: '1' },
  ]);
  if (!parsed.ok) {
    ctx.stderr.write(`ls: ${parsed.message}\n${tryHelp('ls')}`);
    return 2;
  }
  return list(ctx, parsed.options, parsed.operands);
}

function list(ctx: CommandContext, options: Map<string, string[]>, operands: string[]): number {
  const has = (o: string) => options.has(o);
  const tty = ctx.stdout.isTerminal;
  const stat = (path: string) => ctx.fs.stat(path, ctx.user);
  let status = 0;
  const files: Entry[] = [];
  const dirs: { name: string; path: string }[] = [];
  for (const operand of operands.length ? operands : ['.']) {
    const s = stat(ctx.resolve(operand));
    if (!s.ok) {
      ctx.stderr.write(`ls: cannot access '${operand}': ${ERROR_TEXT[s.error]}\n`);
      status = 2;
    } else if (s.value.type === 'dir' && !has('d'))
      dirs.push({ name: operand, path: ctx.resolve(operand) });
    else files.push({ name: operand, stat: s.value });
  }
  const sort = (entries: Entry[]) => {
    entries.sort((a, b) => (has('t') ? b.stat.mtime - a.stat.mtime : 0) || collate(a.name, b.name));
    if (has('r')) entries.reverse();
    return entries;
  };
  const render = (entries: Entry[], total: boolean): string => {
    if (has('l')) return long(ctx, entries, total, has('h'), tty);
    const names = entries.map((e) => quoteName(e.name, tty));
    if (!tty || has('1')) return names.map((n) => n + '\n').join('');
    return columns(names, ctx.session.cols());
  };

  const sections: string[] = [];
  if (files.length) sections.push(render(sort(files), false));
  const headers = operands.length > 1 || status !== 0;
  for (const dir of dirs.sort((a, b) => collate(a.name, b.name))) {
    const listed = ctx.fs.list(dir.path, ctx.user);
    if (!listed.ok) {
      ctx.stderr.write(`ls: cannot open directory '${dir.name}': ${ERROR_TEXT[listed.error]}\n`);
      status = 2;
      continue;
    }
    const names = listed.value.filter((n) => has('a') || has('A') || !n.startsWith('.'));
    const entries: Entry[] = [];
    if (has('a')) names.push('.', '..');
    for (const name of names) {
      const s = stat(resolvePath(dir.path, name));
      if (s.ok) entries.push({ name, stat: s.value });
    }
    const body = render(sort(entries), true);
    sections.push(headers ? `${quoteName(dir.name, tty)}:\n${body}` : body);
  }
  ctx.stdout.write(sections.join('\n'));
  return status;
}

function long(
  ctx: CommandContext,
  entries: Entry[],
  total: boolean,
  humanSizes: boolean,
  tty: boolean,
): string {
  const size = (s: Stat) =>
    s.device ? `${s.device[0]}, ${s.device[1]}` : humanSizes ? human(s.size) : String(s.size);
  const width = (f: (e: Entry) => string) => Math.max(0, ...entries.map((e) => f(e).length));
  const links = width((e) => String(e.stat.links));
  const owner = width((e) => e.stat.owner);
  const group = width((e) => e.stat.group);
  const sizes = width((e) => size(e.stat));
  const lines = entries.map(
    ({ name, stat }) =>
      `${modeString(stat)} ${String(stat.links).padStart(links)} ${stat.owner.padEnd(owner)} ` +
      `${stat.group.padEnd(group)} ${size(stat).padStart(sizes)} ` +
      `${lsDate(ctx.world.epoch, ctx.world.clock.now, stat.mtime)} ${quoteName(name, tty)}\n`,
  );
  if (!total) return lines.join('');
  // Blocks of 1 KiB, counting 4 KiB per started file-system block, as on ext4.
  const blocks = entries.reduce(
    (n, e) => n + (e.stat.type === 'dev' ? 0 : Math.ceil(e.stat.size / 4096) * 4),
    0,
  );
  return `total ${humanSizes ? human(blocks * 1024) : blocks}\n${lines.join('')}`;
}
