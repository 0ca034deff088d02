/**
 * Short manual pages, one per command, rendered the way man(1) lays a page out on a
 * terminal (NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES, title lines), and the
 * `CMD --help` text derived from the same page in the GNU style.
 */

export interface ManPage {
  /** Manual section: 1 for user commands, 8 for administration (ping, ip). */
  section?: 1 | 8;
  synopsis: string[];
  /** Paragraphs; the first one is also the `--help` description. */
  description: string[];
  /** [flags, explanation] pairs. */
  options?: [string, string][];
  /** [command line, what it shows] pairs. */
  examples?: [string, string][];
  seeAlso?: string[];
}

const INDENT = 7;
const TAG_INDENT = 14;
const DATE = 'January 2026';

/** Fill `text` into lines of at most `width` columns. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

export function renderMan(name: string, summary: string, page: ManPage, cols: number): string {
  const width = Math.max(40, Math.min(cols, 80) - 2);
  const title = `${name.toUpperCase()}(${page.section ?? 1})`;
  const kind = page.section === 8 ? 'System Administration' : 'User Commands';
  const out: string[] = [spread(title, kind, title, width), ''];
  const para = (text: string, indent = INDENT) =>
    wrap(text, width - indent).map((l) => ' '.repeat(indent) + l);
  const section = (heading: string, body: string[]) => out.push(heading, ...body, '');

  section('NAME', para(`${name} - ${summary}`));
  section(
    'SYNOPSIS',
    page.synopsis.map((s) => ' '.repeat(INDENT) + s),
  );
  section(
    'DESCRIPTION',
    page.description.flatMap((p, i) => [...(i > 0 ? [''] : []), ...para(p)]),
  );
  if (page.options?.length) {
    section(
      'OPTIONS',
      page.options.flatMap(([tag, text], i) => [
        ...(i > 0 ? [''] : []),
        ...tagged(tag, text, width),
      ]),
    );
  }
  if (page.examples?.length) {
    section(
      'EXAMPLES',
      page.examples.flatMap(([command, text], i) => [
        ...(i > 0 ? [''] : []),
        ' '.repeat(INDENT) + command,
        ...para(text, TAG_INDENT),
      ]),
    );
  }
  if (page.seeAlso?.length) section('SEE ALSO', para(page.seeAlso.join(', ')));
  out.push(spread('SMTP Lab', DATE, title, width));
  return out.join('\n') + '\n';
}

/** `CMD --help`, in the shape GNU tools use. */
export function renderHelp(name: string, page: ManPage): string {
  const [first, ...more] = page.synopsis;
  const lines = [`Usage: ${first ?? name}`, ...more.map((s) => `  or:  ${s}`)];
  lines.push(...wrap(page.description[0] ?? '', 78));
  if (page.options?.length) {
    const pad = Math.min(24, Math.max(...page.options.map(([t]) => t.length)) + 2);
    lines.push('');
    for (const [tag, text] of page.options) {
      const [head = '', ...rest] = wrap(text, 76 - pad);
      if (tag.length + 2 > pad) lines.push(`  ${tag}`, `  ${' '.repeat(pad)}${head}`);
      else lines.push(`  ${tag.padEnd(pad)}${head}`);
      for (const r of rest) lines.push(`  ${' '.repeat(pad)}${r}`);
    }
  }
  if (page.examples?.length) {
    lines.push('', 'Examples:');
    for (const [command] of page.examples) lines.push(`  ${command}`);
  }
  lines.push('', `Full documentation: man ${name}`);
  return lines.join('\n') + '\n';
}

function tagged(tag: string, text: string, width: number): string[] {
  const body = wrap(text, width - TAG_INDENT);
  const lead = ' '.repeat(INDENT) + tag;
  if (lead.length < TAG_INDENT - 1 && body.length > 0) {
    return [
      lead.padEnd(TAG_INDENT) + body[0],
      ...body.slice(1).map((l) => ' '.repeat(TAG_INDENT) + l),
    ];
  }
  return [lead, ...body.map((l) => ' '.repeat(TAG_INDENT) + l)];
}

function spread(left: string, middle: string, right: string, width: number): string {
  const space = width - left.length - middle.length - right.length;
  if (space < 2) return `${left} ${middle} ${right}`;
  const a = Math.floor(space / 2);
  return left + ' '.repeat(a) + middle + ' '.repeat(space - a) + right;
}
