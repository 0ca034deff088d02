/**
 * Word expansion as a POSIX shell does it, in order: tilde, parameters, field splitting
 * of unquoted expansions, pathname expansion (globs: `*`, `?`, `[…]`), quote removal.
 */
import { resolvePath } from './fs';
import type { Word } from './parse';

export interface ExpandEnv {
  /** A parameter's value ($HOME, $?, …); undefined when unset. */
  param(name: string): string | undefined;
  /** Home directory of `user` (or of the current user when ''), if there is one. */
  home(user: string): string | undefined;
  /** Names in the directory at this absolute path, or undefined if it cannot be listed. */
  list(dir: string): string[] | undefined;
  exists(path: string): boolean;
  cwd: string;
}

/** A piece of a field; only unquoted pieces may be glob patterns. */
interface Piece {
  text: string;
  quoted: boolean;
}

/** Expand a command word into fields (none, one or many). */
export function expandWord(word: Word, env: ExpandEnv): string[] {
  const fields: Piece[][] = [];
  let current: Piece[] = [];
  let exists = false;
  const end = () => {
    if (exists) fields.push(current);
    current = [];
    exists = false;
  };
  word.parts.forEach((part, i) => {
    if (part.kind === 'text') {
      let text = part.text;
      if (i === 0 && !part.quoted && text.startsWith('~')) text = tilde(text, env);
      if (text !== '' || part.quoted) {
        current.push({ text, quoted: part.quoted || text !== part.text });
        exists = true;
      }
      return;
    }
    const value = env.param(part.name) ?? '';
    if (part.quoted) {
      current.push({ text: value, quoted: true });
      exists = true;
      return;
    }
    // Field splitting with the default IFS: runs of space, tab and newline separate.
    const words = value.split(/[ \t\n]+/).filter(Boolean);
    if (/^[ \t\n]/.test(value)) end();
    words.forEach((w, j) => {
      if (j > 0) end();
      current.push({ text: w, quoted: false });
      exists = true;
    });
    if (words.length > 0 && /[ \t\n]$/.test(value)) end();
  });
  end();
  return fields.flatMap((pieces) => glob(pieces, env) ?? [pieces.map((p) => p.text).join('')]);
}

/** Expand without splitting or globbing: assignments, here-strings, here documents. */
export function expandString(word: Word, env: ExpandEnv): string {
  return word.parts
    .map((part, i) => {
      if (part.kind === 'param') return env.param(part.name) ?? '';
      return i === 0 && !part.quoted && part.text.startsWith('~')
        ? tilde(part.text, env)
        : part.text;
    })
    .join('');
}

function tilde(text: string, env: ExpandEnv): string {
  const slash = text.indexOf('/');
  const user = text.slice(1, slash < 0 ? undefined : slash);
  const home = env.home(user);
  return home === undefined ? text : home + (slash < 0 ? '' : text.slice(slash));
}

const GLOB = /[*?[]/;

/** Pathname expansion; undefined when the field has no pattern or nothing matches. */
function glob(pieces: Piece[], env: ExpandEnv): string[] | undefined {
  if (!pieces.some((p) => !p.quoted && GLOB.test(p.text))) return undefined;
  // Split into path components, each a list of pieces.
  const components: Piece[][] = [[]];
  for (const piece of pieces) {
    piece.text.split('/').forEach((t, i) => {
      if (i > 0) components.push([]);
      if (t) components.at(-1)!.push({ text: t, quoted: piece.quoted });
    });
  }
  const absolute = pieces[0]!.text.startsWith('/');
  let paths = [absolute ? '/' : ''];
  components.forEach((component, i) => {
    if (component.length === 0) return;
    const last = i === components.length - 1;
    const literal = component.every((p) => p.quoted || !GLOB.test(p.text));
    const text = component.map((p) => p.text).join('');
    const join = (base: string, name: string) =>
      base === '' ? name : base.endsWith('/') ? base + name : `${base}/${name}`;
    if (literal) {
      paths = paths.map((p) => join(p, text));
      return;
    }
    const matcher = toRegExp(component);
    const hidden = text.startsWith('.');
    paths = paths.flatMap((p) => {
      const names = env.list(resolvePath(env.cwd, p === '' ? '.' : p)) ?? [];
      return names
        .filter((n) => (hidden || !n.startsWith('.')) && matcher.test(n))
        .sort(collate)
        .map((n) => join(p, n))
        .filter((path) => last || env.list(resolvePath(env.cwd, path)) !== undefined);
    });
  });
  const found = paths.filter((p) => env.exists(resolvePath(env.cwd, p)));
  return found.length > 0 ? found : undefined;
}

function toRegExp(component: Piece[]): RegExp {
  let source = '';
  for (const piece of component) {
    if (piece.quoted) {
      source += escapeRegExp(piece.text);
      continue;
    }
    for (let i = 0; i < piece.text.length; i++) {
      const c = piece.text[i]!;
      if (c === '*') source += '.*';
      else if (c === '?') source += '.';
      else if (c === '[') {
        const end = piece.text.indexOf(']', i + 2);
        if (end < 0) {
          source += '\\[';
          continue;
        }
        let set = piece.text.slice(i + 1, end);
        const negate = set.startsWith('!') || set.startsWith('^');
        if (negate) set = set.slice(1);
        source += `[${negate ? '^' : ''}${set.replace(/[\\\]^]/g, '\\$&')}]`;
        i = end;
      } else source += escapeRegExp(c);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * The order ls and globs list names in, as a UTF-8 locale collates them: letters and
 * digits compared without case or punctuation, then as bytes to break ties.
 */
export function collate(a: string, b: string): number {
  const key = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const ka = key(a);
  const kb = key(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
