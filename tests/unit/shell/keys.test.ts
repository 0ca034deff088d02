import { describe, expect, it } from 'vitest';
import { parseKeys } from '../../../src/shell/keys';

describe('parseKeys', () => {
  it('splits printable characters, control keys and escape sequences', () => {
    expect(parseKeys('ab\x1b[D\x7f\r')).toEqual([
      { kind: 'char', ch: 'a' },
      { kind: 'char', ch: 'b' },
      { kind: 'key', name: 'left' },
      { kind: 'key', name: 'backspace' },
      { kind: 'key', name: 'enter' },
    ]);
  });

  it('reads a pasted CRLF as one Enter', () => {
    expect(parseKeys('a\r\nb').map((k) => (k.kind === 'char' ? k.ch : k.name))).toEqual([
      'a',
      'enter',
      'b',
    ]);
  });

  it('knows Home, End and Delete in their common encodings', () => {
    const names = parseKeys('\x1b[H\x1bOH\x1b[1~\x1b[F\x1bOF\x1b[4~\x1b[3~').map((k) =>
      k.kind === 'key' ? k.name : k.ch,
    );
    expect(names).toEqual(['home', 'home', 'home', 'end', 'end', 'end', 'delete']);
  });

  it('turns an unknown escape sequence into one unknown key, not stray characters', () => {
    expect(parseKeys('\x1b[15~x')).toEqual([
      { kind: 'key', name: 'unknown' },
      { kind: 'char', ch: 'x' },
    ]);
  });

  it('keeps astral characters whole', () => {
    expect(parseKeys('📧')).toEqual([{ kind: 'char', ch: '📧' }]);
  });
});
