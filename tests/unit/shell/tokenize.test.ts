import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/shell/parse';

describe('tokenize', () => {
  it.each([
    ['telnet mx1.beta.example 25', ['telnet', 'mx1.beta.example', '25']],
    ['  spaced   out  ', ['spaced', 'out']],
    [`echo 'single $quoted'`, ['echo', 'single $quoted']],
    ['echo "double \\"q\\" \\\\"', ['echo', 'double "q" \\']],
    ['echo a\\ b', ['echo', 'a b']],
    [`echo ''`, ['echo', '']],
    [`echo x'y'"z"`, ['echo', 'xyz']],
  ])('%s', (line, words) => {
    expect(tokenize(line)).toEqual({ ok: true, words });
  });

  it('reports an unterminated quote as bash does', () => {
    expect(tokenize(`echo 'oops`)).toEqual({
      ok: false,
      error: "unexpected EOF while looking for matching `''",
    });
  });
});
