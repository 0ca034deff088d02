/**
 * Tab completion as bash does it: the word at the cursor is completed as a command name
 * in command position, else as what the command takes (files, directories, or the hosts
 * and addresses of the world); one match is inserted whole, several by their common
 * prefix, and a second Tab lists them.
 */

export type ArgumentKind = 'files' | 'dirs' | 'hosts' | 'commands';

export interface CompletionSource {
  commands(): string[];
  /** Host names, domain names and addresses known in the world. */
  hosts(): string[];
  /** Entries of a directory (absolute path), or undefined. */
  list(dir: string): { name: string; dir: boolean }[] | undefined;
  /** What a command's arguments are. */
  argumentKind(command: string): ArgumentKind;
  /** Make a typed path absolute (working directory, `~`). */
  resolve(path: string): string;
}

export interface Candidate {
  /** Replacement for the whole word. */
  text: string;
  /** What a listing shows (a file's name without its directory). */
  display: string;
  /** Added after a unique match: a space, or `/` after a directory. */
  suffix: string;
}

export interface Completion {
  /** The word being completed spans [start, end) of the line, in characters. */
  start: number;
  end: number;
  word: string;
  candidates: Candidate[];
}

const SEPARATORS = new Set(['|', '||', '&&', ';', '&', '(']);
const REDIRECTS = /^(\d*[<>]{1,2}|&>>?|\d*>&|<<<)$/;

interface Token {
  text: string;
  start: number;
  op: boolean;
}

/** Split what is before the cursor into words (quotes removed) and operators. */
function scan(chars: string[]): { tokens: Token[]; open: boolean } {
  const tokens: Token[] = [];
  let word: Token | undefined;
  let quote: string | undefined;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else word!.text += c;
      continue;
    }
    if (c === ' ' || c === '\t') {
      word = undefined;
      continue;
    }
    if (c === '\\' && i + 1 < chars.length) {
      word ??= pushed(tokens, i);
      word.text += chars[++i];
      continue;
    }
    if (c === "'" || c === '"') {
      word ??= pushed(tokens, i);
      quote = c;
      continue;
    }
    if ('|&;<>('.includes(c)) {
      const last = tokens.at(-1);
      // A run of operator characters is one operator ("&&", "2>", ">>").
      if (last?.op && last.start + last.text.length === i) last.text += c;
      else if (word && /^\d+$/.test(word.text) && (c === '<' || c === '>')) {
        word.text += c;
        word.op = true;
      } else tokens.push({ text: c, start: i, op: true });
      word = undefined;
      continue;
    }
    word ??= pushed(tokens, i);
    word.text += c;
  }
  const last = chars.at(-1);
  const open = word !== undefined || (quote !== undefined && chars.length > 0);
  return { tokens, open: open && last !== undefined };
}

function pushed(tokens: Token[], start: number): Token {
  const token = { text: '', start, op: false };
  tokens.push(token);
  return token;
}

/** Backslash-quote characters the shell would otherwise split on or expand. */
function quote(text: string): string {
  return text.replace(/[\s'"\\|&;<>()$`*?[\]!#]/g, '\\$&');
}

export function complete(line: string, cursor: number, source: CompletionSource): Completion {
  const chars = [...line];
  const { tokens, open } = scan(chars.slice(0, cursor));
  const current = open ? tokens.at(-1) : undefined;
  const word = current && !current.op ? current.text : '';
  const start = current && !current.op ? current.start : cursor;
  const before = tokens.slice(0, current && !current.op ? -1 : undefined);
  const lastSep = before.map((t) => t.op && SEPARATORS.has(t.text)).lastIndexOf(true);
  const words = before.slice(lastSep + 1).filter((t) => !t.op);
  const previous = before.at(-1);
  let kind: ArgumentKind;
  if (previous?.op && REDIRECTS.test(previous.text)) kind = 'files';
  else if (words.length === 0) kind = word.includes('/') ? 'files' : 'commands';
  else kind = source.argumentKind(words[0]!.text);

  const result = (candidates: Candidate[]): Completion => ({
    start,
    end: cursor,
    word,
    candidates: candidates.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0)),
  });

  if (kind === 'commands') {
    return result(
      source
        .commands()
        .filter((name) => name.startsWith(word))
        .map((name) => ({ text: name, display: name, suffix: ' ' })),
    );
  }
  if (kind === 'hosts' && !/^[~./]/.test(word)) {
    // "@server" (dig) and "user@host" (ssh) complete the part after the @.
    const at = word.slice(0, word.lastIndexOf('@') + 1);
    const bare = word.slice(at.length);
    const hosts = [...new Set(source.hosts())]
      .filter((h) => h.startsWith(bare))
      .map((h) => ({ text: at + h, display: h, suffix: ' ' }));
    if (hosts.length > 0 || at) return result(hosts);
  }
  const slash = word.lastIndexOf('/');
  const dirPart = slash < 0 ? '' : word.slice(0, slash + 1);
  const base = word.slice(slash + 1);
  const entries = source.list(source.resolve(dirPart === '' ? '.' : dirPart)) ?? [];
  return result(
    entries
      .filter((e) => e.name.startsWith(base) && (base.startsWith('.') || !e.name.startsWith('.')))
      .filter((e) => kind !== 'dirs' || e.dir)
      .map((e) => ({
        text: quote(dirPart + e.name),
        display: e.name + (e.dir ? '/' : ''),
        suffix: e.dir ? '/' : ' ',
      })),
  );
}

export function commonPrefix(texts: string[]): string {
  if (texts.length === 0) return '';
  let prefix = texts[0]!;
  for (const t of texts) while (!t.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
