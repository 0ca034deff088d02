/**
 * The command-line grammar of the lab's shell, a subset of POSIX sh and bash: words with
 * '…', "…", $'…' and backslash quoting, $NAME / ${NAME} / $? parameters, comments, pipes,
 * `;`, `&&`, `||`, `!`, redirections (`<`, `>`, `>>`, `>|`, `N>&M`, `&>`, `<<<`) and here
 * documents (`<<WORD`, `<<-WORD`). Expansion happens later (expand.ts), when a command
 * runs, so `$?` sees the status of the command before it.
 *
 * A line that needs more input (an open quote, a trailing `|` or `&&`, a here document
 * without its end) parses as `incomplete`, and the terminal asks for more with `> `.
 */

/** A piece of a word; `quoted` pieces are exempt from field splitting, globbing and `~`. */
export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'param'; name: string; quoted: boolean };

export interface Word {
  parts: WordPart[];
}

export type RedirectOp = '<' | '>' | '>>' | '>|' | '<&' | '>&' | '&>' | '&>>' | '<<' | '<<<';

export interface Redirect {
  /** The descriptor redirected (0 for input, 1 for output unless a number was given). */
  fd: number;
  op: RedirectOp;
  /** The file name, descriptor number, or here-string; for `<<` the delimiter. */
  target: Word;
  /** `<<` only: the document's text, as parts (literal when the delimiter was quoted). */
  body?: Word;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

export interface Pipeline {
  negate: boolean;
  commands: SimpleCommand[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export interface CommandList {
  items: { andOr: AndOr; background: boolean }[];
}

export type ParseResult =
  { kind: 'ok'; list: CommandList } | { kind: 'incomplete' } | { kind: 'error'; message: string };

type Op = '|' | '||' | '&&' | ';' | ';;' | '&' | '\n' | '(' | ')';

type Token =
  | { kind: 'word'; word: Word; raw: string }
  | { kind: 'op'; op: Op }
  | { kind: 'redirect'; fd: number | undefined; op: RedirectOp; heredoc?: HereDoc };

interface HereDoc {
  strip: boolean;
  delimiter?: string;
  quoted?: boolean;
  body?: Word;
}

class Incomplete extends Error {}
class SyntaxError_ extends Error {}

const PARAM_START = /[A-Za-z_]/;
const PARAM_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAMS = '?$#0!-@*';

/** Parse one complete input (possibly several lines joined with `\n`). */
export function parse(input: string): ParseResult {
  try {
    const tokens = lex(input);
    return { kind: 'ok', list: new Parser(tokens).list() };
  } catch (error) {
    if (error instanceof Incomplete) return { kind: 'incomplete' };
    if (error instanceof SyntaxError_) return { kind: 'error', message: error.message };
    throw error;
  }
}

/** The literal text of a word, as if nothing in it were an expansion (for tests and `help`). */
export function wordText(word: Word): string {
  return word.parts.map((p) => (p.kind === 'text' ? p.text : `$${p.name}`)).join('');
}

function syntaxError(token: string): SyntaxError_ {
  return new SyntaxError_(`syntax error near unexpected token \`${token}'`);
}

// ---------------------------------------------------------------------------------------
// Lexer

function lex(input: string): Token[] {
  const tokens: Token[] = [];
  const pendingDocs: HereDoc[] = [];
  let parts: WordPart[] = [];
  let raw = '';
  let inWord = false;
  let expectDelimiter: HereDoc | undefined;
  let i = 0;

  const text = (t: string, quoted: boolean) => {
    const last = parts.at(-1);
    if (last?.kind === 'text' && last.quoted === quoted) last.text += t;
    else parts.push({ kind: 'text', text: t, quoted });
    inWord = true;
  };
  const endWord = () => {
    if (!inWord) return;
    if (expectDelimiter) {
      expectDelimiter.delimiter = parts
        .map((p) => (p.kind === 'text' ? p.text : '$' + p.name))
        .join('');
      expectDelimiter.quoted = parts.some((p) => p.quoted);
      pendingDocs.push(expectDelimiter);
      expectDelimiter = undefined;
    } else {
      tokens.push({ kind: 'word', word: { parts }, raw });
    }
    parts = [];
    raw = '';
    inWord = false;
  };
  const op = (o: Op) => {
    endWord();
    if (expectDelimiter) throw syntaxError(o === '\n' ? 'newline' : o);
    tokens.push({ kind: 'op', op: o });
  };

  while (i < input.length) {
    const c = input[i]!;
    const start = i;
    if (c === ' ' || c === '\t') {
      endWord();
      i++;
      continue;
    }
    if (c === '\n') {
      op('\n');
      i++;
      if (pendingDocs.length) i = readHereDocs(input, i, pendingDocs.splice(0));
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < input.length && input[i] !== '\n') i++;
      continue;
    }
    if (c === '\\') {
      if (i + 1 >= input.length) throw new Incomplete(); // a line continuation
      if (input[i + 1] === '\n') i += 2;
      else {
        text(input[i + 1]!, true);
        i += 2;
      }
      raw += input.slice(start, i);
      continue;
    }
    if (c === "'") {
      const end = input.indexOf("'", i + 1);
      if (end < 0) throw new Incomplete();
      text(input.slice(i + 1, end), true);
      i = end + 1;
      raw += input.slice(start, i);
      continue;
    }
    if (c === '"') {
      i = readDoubleQuoted(input, i + 1, parts, () => (inWord = true));
      raw += input.slice(start, i);
      continue;
    }
    if (c === '$') {
      if (input[i + 1] === "'") {
        const end = findAnsiEnd(input, i + 2);
        text(ansiC(input.slice(i + 2, end)), true);
        i = end + 1;
      } else {
        i = readParam(input, i, parts, false, () => (inWord = true));
      }
      raw += input.slice(start, i);
      continue;
    }
    if (c === '`') throw new SyntaxError_('command substitution is not supported in this shell');
    if (c === '<' || c === '>') {
      // A word of digits right before the operator names the descriptor: 2>, 0<.
      let fd: number | undefined;
      const only = parts[0];
      if (
        inWord &&
        parts.length === 1 &&
        only?.kind === 'text' &&
        !only.quoted &&
        /^\d+$/.test(only.text)
      ) {
        fd = Number(only.text);
        parts = [];
        raw = '';
        inWord = false;
      }
      endWord();
      if (expectDelimiter) throw syntaxError(c);
      const three = input.slice(i, i + 3);
      const two = input.slice(i, i + 2);
      let redirect: RedirectOp;
      if (three === '<<<') redirect = '<<<';
      else if (three === '<<-' || two === '<<') redirect = '<<';
      else if (two === '>>' || two === '>|' || two === '<&' || two === '>&') redirect = two;
      else redirect = c;
      i += three === '<<-' ? 3 : redirect.length;
      const token: Token = { kind: 'redirect', fd, op: redirect };
      if (redirect === '<<') {
        token.heredoc = { strip: three === '<<-' };
        expectDelimiter = token.heredoc;
      }
      tokens.push(token);
      continue;
    }
    if (c === '&' && (input[i + 1] === '>' || input.slice(i + 1, i + 3) === '>>')) {
      endWord();
      const append = input.slice(i + 1, i + 3) === '>>';
      tokens.push({ kind: 'redirect', fd: undefined, op: append ? '&>>' : '&>' });
      i += append ? 3 : 2;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (two === '||' || two === '&&' || two === ';;') {
      op(two);
      i += 2;
      continue;
    }
    if (c === '|' || c === '&' || c === ';' || c === '(' || c === ')') {
      op(c);
      i++;
      continue;
    }
    text(c, false);
    raw += c;
    i++;
  }
  endWord();
  if (expectDelimiter) throw syntaxError('newline');
  if (pendingDocs.length) throw new Incomplete();
  return tokens;
}

/** Read `"…"` from just after the opening quote; returns the index after the closing one. */
function readDoubleQuoted(
  input: string,
  from: number,
  parts: WordPart[],
  mark: () => void,
): number {
  let i = from;
  let buf = '';
  const flush = () => {
    const last = parts.at(-1);
    if (last?.kind === 'text' && last.quoted) last.text += buf;
    else parts.push({ kind: 'text', text: buf, quoted: true });
    buf = '';
  };
  for (;;) {
    if (i >= input.length) throw new Incomplete();
    const c = input[i]!;
    if (c === '"') break;
    if (c === '\\' && i + 1 < input.length && '$`"\\\n'.includes(input[i + 1]!)) {
      if (input[i + 1] !== '\n') buf += input[i + 1];
      i += 2;
    } else if (c === '$' && i + 1 < input.length) {
      flush();
      i = readParam(input, i, parts, true, mark);
    } else if (c === '`') {
      throw new SyntaxError_('command substitution is not supported in this shell');
    } else {
      buf += c;
      i++;
    }
  }
  flush();
  mark();
  return i + 1;
}

/** Read `$NAME`, `${NAME}`, `$?`… at `input[i] === '$'`; a lone `$` is literal. */
function readParam(
  input: string,
  i: number,
  parts: WordPart[],
  quoted: boolean,
  mark: () => void,
): number {
  const next = input[i + 1] ?? '';
  const add = (part: WordPart) => {
    const last = parts.at(-1);
    if (part.kind === 'text' && last?.kind === 'text' && last.quoted === part.quoted)
      last.text += part.text;
    else parts.push(part);
    mark();
  };
  if (next === '(') throw new SyntaxError_('command substitution is not supported in this shell');
  if (next === '{') {
    const end = input.indexOf('}', i + 2);
    if (end < 0) throw new Incomplete();
    const name = input.slice(i + 2, end);
    if (!/^([A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#!@*-])$/.test(name)) {
      throw new SyntaxError_(`\${${name}}: bad substitution`);
    }
    add({ kind: 'param', name, quoted });
    return end + 1;
  }
  if (PARAM_START.test(next)) {
    let j = i + 1;
    while (j < input.length && PARAM_CHAR.test(input[j]!)) j++;
    add({ kind: 'param', name: input.slice(i + 1, j), quoted });
    return j;
  }
  if (next !== '' && (SPECIAL_PARAMS.includes(next) || /[1-9]/.test(next))) {
    add({ kind: 'param', name: next, quoted });
    return i + 2;
  }
  add({ kind: 'text', text: '$', quoted });
  return i + 1;
}

function findAnsiEnd(input: string, from: number): number {
  for (let i = from; i < input.length; i++) {
    if (input[i] === '\\') i++;
    else if (input[i] === "'") return i;
  }
  throw new Incomplete();
}

/** bash's $'…': backslash escapes as in C; the string ends at a NUL, as bash's does. */
function ansiC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple: Record<string, string> = {
      a: '\x07',
      b: '\b',
      e: '\x1b',
      E: '\x1b',
      f: '\f',
      n: '\n',
      r: '\r',
      t: '\t',
      v: '\v',
      '\\': '\\',
      "'": "'",
      '"': '"',
      '?': '?',
    };
    if (e in simple) out += simple[e];
    else if (/[0-7]/.test(e)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCharCode(parseInt(m, 8) & 0xff);
      i += m.length - 1;
    } else if (e === 'x' && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) {
      const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1))![0];
      out += String.fromCharCode(parseInt(m, 16));
      i += m.length;
    } else if ((e === 'u' || e === 'U') && /[0-9a-fA-F]/.test(body[i + 1] ?? '')) {
      const m = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(body.slice(i + 1))![0];
      out += String.fromCodePoint(Math.min(parseInt(m, 16), 0x10ffff));
      i += m.length;
    } else if (e === 'c' && i + 1 < body.length) {
      out += String.fromCharCode(body.charCodeAt(++i) & 0x1f);
    } else out += '\\' + e;
  }
  const nul = out.indexOf('\0');
  return nul < 0 ? out : out.slice(0, nul);
}

/** Read the bodies of here documents that start at `i`; returns where the next line starts. */
function readHereDocs(input: string, i: number, docs: HereDoc[]): number {
  for (const doc of docs) {
    const lines: string[] = [];
    for (;;) {
      if (i >= input.length) throw new Incomplete();
      const nl = input.indexOf('\n', i);
      let line = input.slice(i, nl < 0 ? input.length : nl);
      i = nl < 0 ? input.length : nl + 1;
      if (doc.strip) line = line.replace(/^\t+/, '');
      if (line === doc.delimiter) break;
      // A body that runs to the end of the input is still open: bash would keep reading.
      if (nl < 0) throw new Incomplete();
      lines.push(line);
    }
    const text = lines.map((l) => l + '\n').join('');
    doc.body = doc.quoted ? { parts: [{ kind: 'text', text, quoted: true }] } : hereDocWord(text);
  }
  return i;
}

/** An unquoted here document: `$` expansions, and `\` quoting only `$`, `` ` ``, `\`, newline. */
function hereDocWord(text: string): Word {
  const parts: WordPart[] = [];
  let buf = '';
  const flush = () => {
    if (buf) parts.push({ kind: 'text', text: buf, quoted: true });
    buf = '';
  };
  for (let i = 0; i < text.length;) {
    const c = text[i]!;
    if (c === '\\' && '$`\\\n'.includes(text[i + 1] ?? '')) {
      if (text[i + 1] !== '\n') buf += text[i + 1];
      i += 2;
    } else if (c === '$') {
      flush();
      i = readParam(text, i, parts, true, () => {});
    } else {
      buf += c;
      i++;
    }
  }
  flush();
  return { parts };
}

// ---------------------------------------------------------------------------------------
// Parser

class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[]) {}

  list(): CommandList {
    const items: CommandList['items'] = [];
    this.skipNewlines();
    while (this.peek()) {
      const andOr = this.andOr();
      const next = this.peek();
      let background = false;
      if (next?.kind === 'op' && (next.op === ';' || next.op === '&' || next.op === '\n')) {
        background = next.op === '&';
        this.at++;
      } else if (next) {
        throw syntaxError(describe(next));
      }
      items.push({ andOr, background });
      this.skipNewlines();
    }
    return { items };
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    for (
      let t = this.peek();
      t?.kind === 'op' && (t.op === '&&' || t.op === '||');
      t = this.peek()
    ) {
      this.at++;
      this.skipNewlines(true);
      rest.push({ op: t.op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    let negate = false;
    const t = this.peek();
    if (t?.kind === 'word' && t.raw === '!') {
      negate = true;
      this.at++;
    }
    const commands = [this.command()];
    for (let n = this.peek(); n?.kind === 'op' && n.op === '|'; n = this.peek()) {
      this.at++;
      this.skipNewlines(true);
      commands.push(this.command());
    }
    return { negate, commands };
  }

  private command(): SimpleCommand {
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.peek();
      if (t?.kind === 'word') {
        words.push(t.word);
        this.at++;
      } else if (t?.kind === 'redirect') {
        this.at++;
        redirects.push(this.redirect(t));
      } else break;
    }
    if (words.length === 0 && redirects.length === 0) {
      const t = this.peek();
      if (!t) throw new Incomplete();
      throw syntaxError(describe(t));
    }
    return { words, redirects };
  }

  private redirect(t: Extract<Token, { kind: 'redirect' }>): Redirect {
    const fd = t.fd ?? (t.op === '<' || t.op === '<&' || t.op === '<<' || t.op === '<<<' ? 0 : 1);
    if (t.heredoc) {
      const doc = t.heredoc;
      return {
        fd,
        op: '<<',
        target: { parts: [{ kind: 'text', text: doc.delimiter ?? '', quoted: true }] },
        body: doc.body ?? { parts: [] },
      };
    }
    const target = this.peek();
    if (target?.kind !== 'word') throw syntaxError(target ? describe(target) : 'newline');
    this.at++;
    return { fd, op: t.op, target: target.word };
  }

  /** Newlines separate commands; after `|`, `&&` and `||` they only continue the line. */
  private skipNewlines(continuation = false): void {
    while (this.peek()?.kind === 'op' && (this.peek() as { op: Op }).op === '\n') this.at++;
    if (continuation && !this.peek()) throw new Incomplete();
  }

  private peek(): Token | undefined {
    return this.tokens[this.at];
  }
}

function describe(t: Token): string {
  if (t.kind === 'word') return t.raw;
  if (t.kind === 'redirect') return t.op;
  return t.op === '\n' ? 'newline' : t.op;
}
