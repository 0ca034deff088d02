/**
 * Backslash escapes as echo -e, printf's %b and printf's format decode them, to bytes: a
 * `\0` or `\xff` is one byte, not a character, so NUL survives a pipe into base64.
 */
import { utf8 } from '../../engine/bytes';

const SIMPLE: Record<string, number> = {
  a: 7,
  b: 8,
  e: 27,
  E: 27,
  f: 12,
  n: 10,
  r: 13,
  t: 9,
  v: 11,
  '\\': 92,
};

/**
 * `echo` style (`\0NNN`, `\c` stops all output) or `printf` format style (`\NNN`, and
 * `\"`). Returns the bytes and whether `\c` asked to stop.
 */
export function decodeEscapes(
  text: string,
  style: 'echo' | 'printf',
): { bytes: Uint8Array; stop: boolean } {
  const out: number[] = [];
  const literal = (s: string) => out.push(...utf8(s));
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\' || i + 1 >= text.length) {
      literal(c);
      continue;
    }
    const e = text[i + 1]!;
    const rest = text.slice(i + 2);
    if (e in SIMPLE) {
      out.push(SIMPLE[e]!);
      i++;
    } else if (e === 'c' && style === 'echo') {
      return { bytes: Uint8Array.from(out), stop: true };
    } else if (e === '"' && style === 'printf') {
      out.push(34);
      i++;
    } else if (style === 'echo' && e === '0') {
      const digits = /^[0-7]{0,3}/.exec(rest)![0];
      out.push(parseInt(digits || '0', 8) & 0xff);
      i += 1 + digits.length;
    } else if (style === 'printf' && /[0-7]/.test(e)) {
      const digits = /^[0-7]{1,3}/.exec(text.slice(i + 1))![0];
      out.push(parseInt(digits, 8) & 0xff);
      i += digits.length;
    } else if (e === 'x' && /^[0-9a-fA-F]/.test(rest)) {
      const digits = /^[0-9a-fA-F]{1,2}/.exec(rest)![0];
      out.push(parseInt(digits, 16));
      i += 1 + digits.length;
    } else if ((e === 'u' || e === 'U') && /^[0-9a-fA-F]/.test(rest)) {
      const digits = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(rest)![0];
      literal(String.fromCodePoint(Math.min(parseInt(digits, 16), 0x10ffff)));
      i += 1 + digits.length;
    } else {
      literal('\\');
    }
  }
  return { bytes: Uint8Array.from(out), stop: false };
}
