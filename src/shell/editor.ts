/**
 * A readline-style line editor that renders into a terminal of a given width. It owns the
 * line being typed and the cursor; the terminal session decides what a finished line means.
 */
import { escapeForTerminal, isPrintable } from './escape';
import type { Key } from './keys';

export type EditResult =
  | { kind: 'none' }
  | { kind: 'submit'; line: string }
  | { kind: 'interrupt' }
  | { kind: 'eof' }
  | { kind: 'clear' }
  | { kind: 'escape' }
  | { kind: 'complete' };

const NONE: EditResult = { kind: 'none' };
const ANSI = /\x1b\[[0-9;]*m/g;

export class LineEditor {
  private chars: string[] = [];
  private cursor = 0;
  /** Row of the cursor below the prompt's first row, as last drawn. */
  private drawnRow = 0;
  private historyIndex = -1;
  /** A prompt is on screen and keys edit the line (false between Enter and the next prompt). */
  active = false;
  /** This line is recorded in, and can recall, the history (a shell line, not telnet's). */
  private historyOn = true;
  private draft: string[] = [];
  readonly history: string[] = [];

  constructor(
    private readonly write: (s: string) => void,
    public cols = 80,
    public prompt = '',
    private readonly recordHistory = true,
  ) {}

  get line(): string {
    return this.chars.join('');
  }

  get cursorIndex(): number {
    return this.cursor;
  }

  /** Print the prompt and start a fresh line; `history` off for lines a program reads. */
  begin(prompt = this.prompt, history = true): void {
    this.prompt = prompt;
    this.historyOn = history;
    this.chars = [];
    this.cursor = 0;
    this.drawnRow = 0;
    this.historyIndex = -1;
    this.active = true;
    this.write(prompt);
  }

  /** Erase the line being edited (to print something above it); `redraw` puts it back. */
  hide(): void {
    this.write((this.drawnRow > 0 ? `\x1b[${this.drawnRow}A` : '') + '\r\x1b[J');
    this.drawnRow = 0;
  }

  redraw(): void {
    this.render();
  }

  /** Erase the prompt and line and stop editing (the program that asked went away). */
  dismiss(): void {
    this.hide();
    this.reset();
  }

  /** Stop editing, leaving the line on screen with the cursor at its end (Ctrl-D's "logout"). */
  leave(): void {
    this.moveToEnd();
    this.reset();
  }

  /** Replace `chars[start, end)` with `text`, the cursor after it (Tab completion). */
  replace(start: number, end: number, text: string): void {
    this.chars.splice(start, end - start, ...text);
    this.cursor = start + [...text].length;
    this.render();
  }

  /** Print `text` below the line (completion candidates), then draw prompt and line again. */
  showBelow(text: string): void {
    const cursor = this.cursor;
    this.moveToEnd();
    this.write('\r\n' + text);
    this.drawnRow = 0;
    this.cursor = cursor;
    this.render();
  }

  /** Replace the line (used by completion and "show me"). */
  setLine(text: string): void {
    this.chars = [...text];
    this.cursor = this.chars.length;
    this.render();
  }

  /** Replace the history (oldest first) by lines from an earlier visit. */
  restoreHistory(lines: readonly string[]): void {
    this.history.splice(0, this.history.length, ...lines);
    this.historyIndex = -1;
  }

  handle(key: Key): EditResult {
    if (key.kind === 'char') {
      if (!isPrintable(key.ch)) return NONE;
      this.chars.splice(this.cursor, 0, key.ch);
      this.cursor++;
      if (this.cursor === this.chars.length && !this.atWrapPoint()) {
        this.write(escapeForTerminal(key.ch));
        this.drawnRow = Math.floor((this.promptWidth() + this.cursor) / this.cols);
      } else {
        this.render();
      }
      return NONE;
    }
    switch (key.name) {
      case 'enter': {
        const line = this.line;
        this.moveToEnd();
        // A line that exactly fills its last row already put the cursor on the next one
        // (render forces the wrap), so no further line break: readline does the same.
        const total = this.promptWidth() + this.chars.length;
        this.write(total > 0 && total % this.cols === 0 ? '\r' : '\r\n');
        if (
          this.historyOn &&
          this.recordHistory &&
          line.trim() !== '' &&
          this.history.at(-1) !== line
        ) {
          this.history.push(line);
        }
        this.reset();
        return { kind: 'submit', line };
      }
      case 'backspace':
        if (this.cursor > 0) this.edit(() => this.chars.splice(--this.cursor, 1));
        return NONE;
      case 'delete':
        if (this.cursor < this.chars.length) this.edit(() => this.chars.splice(this.cursor, 1));
        return NONE;
      case 'left':
        if (this.cursor > 0) this.edit(() => this.cursor--);
        return NONE;
      case 'right':
        if (this.cursor < this.chars.length) this.edit(() => this.cursor++);
        return NONE;
      case 'home':
      case 'ctrl-a':
        this.edit(() => (this.cursor = 0));
        return NONE;
      case 'end':
      case 'ctrl-e':
        this.edit(() => (this.cursor = this.chars.length));
        return NONE;
      case 'ctrl-u':
        this.edit(
          () => this.chars.splice(0, this.cursor),
          () => (this.cursor = 0),
        );
        return NONE;
      case 'ctrl-k':
        this.edit(() => this.chars.splice(this.cursor));
        return NONE;
      case 'ctrl-w':
        this.edit(() => {
          let start = this.cursor;
          while (start > 0 && this.chars[start - 1] === ' ') start--;
          while (start > 0 && this.chars[start - 1] !== ' ') start--;
          this.chars.splice(start, this.cursor - start);
          this.cursor = start;
        });
        return NONE;
      case 'up':
        this.recall(+1);
        return NONE;
      case 'down':
        this.recall(-1);
        return NONE;
      case 'ctrl-c':
        this.moveToEnd();
        this.write('^C\r\n');
        this.reset();
        return { kind: 'interrupt' };
      case 'ctrl-d':
        if (this.chars.length === 0) return { kind: 'eof' };
        if (this.cursor < this.chars.length) this.edit(() => this.chars.splice(this.cursor, 1));
        return NONE;
      case 'ctrl-l':
        return { kind: 'clear' };
      case 'ctrl-]':
        return { kind: 'escape' };
      case 'tab':
        return { kind: 'complete' };
      default:
        return NONE;
    }
  }

  private reset(): void {
    this.chars = [];
    this.cursor = 0;
    this.drawnRow = 0;
    this.historyIndex = -1;
    this.active = false;
  }

  /** Walk the history: +1 is older, -1 newer; the line being typed is kept as a draft. */
  private recall(step: number): void {
    if (!this.historyOn || !this.recordHistory || this.history.length === 0) return;
    const next = this.historyIndex + step;
    if (next < -1 || next >= this.history.length) return;
    if (this.historyIndex === -1) this.draft = this.chars;
    this.historyIndex = next;
    const text = next === -1 ? this.draft.join('') : this.history[this.history.length - 1 - next]!;
    this.setLine(text);
  }

  private edit(...changes: (() => unknown)[]): void {
    for (const change of changes) change();
    this.render();
  }

  private promptWidth(): number {
    return this.prompt.replace(ANSI, '').length;
  }

  /** The cursor sits just past the last column: the next character would wrap. */
  private atWrapPoint(): boolean {
    return (this.promptWidth() + this.cursor) % this.cols === 0;
  }

  private moveToEnd(): void {
    if (this.cursor !== this.chars.length) {
      this.cursor = this.chars.length;
      this.render();
    }
  }

  /** Redraw prompt and line from the prompt's first row, then place the cursor. */
  private render(): void {
    const up = this.drawnRow > 0 ? `\x1b[${this.drawnRow}A` : '';
    const total = this.promptWidth() + this.chars.length;
    const target = this.promptWidth() + this.cursor;
    let out = `${up}\r\x1b[J${this.prompt}${escapeForTerminal(this.line)}`;
    let endRow = Math.floor(total / this.cols);
    // At an exact multiple of the width the terminal has not wrapped yet: force it.
    if (total > 0 && total % this.cols === 0) out += '\r\n';
    else if (total % this.cols === 0) endRow = 0;
    const targetRow = Math.floor(target / this.cols);
    const targetCol = target % this.cols;
    if (endRow > targetRow) out += `\x1b[${endRow - targetRow}A`;
    out += '\r' + (targetCol > 0 ? `\x1b[${targetCol}C` : '');
    this.write(out);
    this.drawnRow = targetRow;
  }
}
