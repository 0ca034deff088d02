import { describe, expect, it } from 'vitest';
import { LineEditor, type EditResult } from '../../../src/shell/editor';
import { parseKeys } from '../../../src/shell/keys';
import { Screen } from '../../../src/shell/screen';

/** An editor drawing on a screen model of `cols` columns. */
function setup(cols = 80, prompt = '$ ') {
  const screen = new Screen(cols);
  const editor = new LineEditor((s) => screen.write(s), cols, prompt);
  editor.begin();
  const press = (data: string): EditResult[] => parseKeys(data).map((k) => editor.handle(k));
  return { screen, editor, press };
}

describe('line editing', () => {
  it('inserts at the cursor after moving left', () => {
    const { editor, screen, press } = setup();
    press('helo\x1b[D\x1b[D\x1b[Dl'); // h|elo → hl… no: cursor after h, insert l
    expect(editor.line).toBe('hlelo');
    expect(screen.text()).toBe('$ hlelo');
  });

  it('supports Home/End, Backspace and Delete', () => {
    const { editor, screen, press } = setup();
    press('xhello\x1b[H\x1b[3~\x1b[F\x7f');
    expect(editor.line).toBe('hell');
    expect(screen.text()).toBe('$ hell');
  });

  it('supports Ctrl-A, Ctrl-E, Ctrl-U, Ctrl-K and Ctrl-W', () => {
    const { editor, press } = setup();
    press('MAIL FROM:<a@b> SIZE=10\x17');
    expect(editor.line).toBe('MAIL FROM:<a@b> ');
    press('\x01\x1b[C\x1b[C\x1b[C\x1b[C\x0b');
    expect(editor.line).toBe('MAIL');
    press('\x05 X\x01\x1b[C\x15');
    expect(editor.line).toBe('AIL X');
  });

  it('submits the line and records history; Up and Down walk it and keep the draft', () => {
    const { editor, press } = setup();
    expect(press('first\r').at(-1)).toEqual({ kind: 'submit', line: 'first' });
    editor.begin();
    press('second\r');
    editor.begin();
    press('dra');
    press('\x1b[A');
    expect(editor.line).toBe('second');
    press('\x1b[A');
    expect(editor.line).toBe('first');
    press('\x1b[A');
    expect(editor.line).toBe('first');
    press('\x1b[B\x1b[B');
    expect(editor.line).toBe('dra');
    expect(editor.history).toEqual(['first', 'second']);
  });

  it('reports Ctrl-C, Ctrl-D on an empty line, Ctrl-L, Ctrl-] and Tab to its owner', () => {
    const { press } = setup();
    expect(press('\x04')).toEqual([{ kind: 'eof' }]);
    expect(press('\x0c')).toEqual([{ kind: 'clear' }]);
    expect(press('\x1d')).toEqual([{ kind: 'escape' }]);
    expect(press('\t')).toEqual([{ kind: 'complete' }]);
    expect(press('abc\x03').at(-1)).toEqual({ kind: 'interrupt' });
  });

  it('ignores pasted control characters instead of inserting them', () => {
    const { editor } = setup();
    editor.handle({ kind: 'char', ch: '\u202e' });
    expect(editor.line).toBe('');
  });

  it('redraws correctly when the line wraps past the terminal width', () => {
    const { editor, screen, press } = setup(10, '$ ');
    press('abcdefghijklmnop'); // 2 + 16 = 18 columns: two rows
    expect(screen.text()).toBe('$ abcdefgh\nijklmnop');
    press('\x1b[H'); // to the start, on the first row
    press('X');
    expect(editor.line).toBe('Xabcdefghijklmnop');
    expect(screen.text()).toBe('$ Xabcdefg\nhijklmnop');
    press('\x1b[F\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f');
    expect(screen.text()).toBe('$ Xabcdefg');
  });
});
