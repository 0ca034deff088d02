/**
 * A terminal on one virtual host: prompt, line editing, history, and the foreground
 * program. The xterm pane and the headless `lab run` both drive this same class.
 */
import type { World } from '../engine/world';
import { escapeForTerminal } from './escape';
import { LineEditor } from './editor';
import { parseKeys } from './keys';
import { tokenize } from './parse';
import type { CommandContext, Program } from './program';
import { findCommand } from './commands';

export interface TerminalOptions {
  /** Colour in the prompt (off for the headless runner). */
  color?: boolean;
  cols?: number;
  /** Called after each finished line so the world can run (default: world.settle()). */
  afterLine?: () => void;
}

export class TerminalSession {
  readonly user: string;
  private editor: LineEditor;
  private program: Program | undefined;
  private readonly color: boolean;
  private readonly afterLine: () => void;

  constructor(
    readonly world: World,
    readonly host: string,
    private readonly output: (text: string) => void,
    options: TerminalOptions = {},
  ) {
    const spec = world.host(host);
    if (!spec) throw new Error(`no host named ${host}`);
    this.user = spec.user;
    this.color = options.color ?? true;
    this.afterLine = options.afterLine ?? (() => world.settle());
    this.editor = new LineEditor(output, options.cols ?? 80, this.shellPrompt());
  }

  get history(): readonly string[] {
    return this.editor.history;
  }

  /** Print the first prompt. */
  start(): void {
    this.editor.begin(this.shellPrompt());
  }

  /** Print the current prompt and line again (after output went elsewhere). */
  redrawPrompt(): void {
    if (this.editor.active) this.editor.redraw();
  }

  resize(cols: number): void {
    this.editor.cols = Math.max(10, cols);
  }

  /** Keystrokes or pasted text, exactly as a terminal delivers them. */
  input(data: string): void {
    for (const key of parseKeys(data)) {
      const result = this.editor.handle(key);
      switch (result.kind) {
        case 'submit':
          this.submit(result.line);
          this.afterLine();
          break;
        case 'interrupt':
          this.program?.interrupt();
          if (!this.editor.active) this.promptIfIdle();
          break;
        case 'eof':
          this.program?.eof?.();
          break;
        case 'escape':
          if (this.program?.escape) {
            this.editor.hide();
            this.output('^]\r\n');
            this.program.escape();
            this.promptIfIdle();
          }
          break;
        case 'clear':
          this.output('\x1b[H\x1b[2J');
          this.editor.redraw();
          break;
        case 'complete':
        case 'none':
          break;
      }
    }
  }

  /** Type one line followed by Enter (the headless runner and "show me"). */
  type(line: string): void {
    this.input(line.replace(/[\r\n]/g, '') + '\r');
  }

  private submit(line: string): void {
    if (this.program) {
      this.program.line(line);
      this.promptIfIdle();
      return;
    }
    this.runCommandLine(line);
    this.promptIfIdle();
  }

  private promptIfIdle(): void {
    this.editor.begin(this.program ? this.program.prompt() : this.shellPrompt());
  }

  private runCommandLine(line: string): void {
    const parsed = tokenize(line);
    if (!parsed.ok) {
      this.output(escapeForTerminal(`-bash: ${parsed.error}`) + '\r\n');
      return;
    }
    const [name, ...args] = parsed.words;
    if (!name) return;
    const command = findCommand(name);
    if (!command) {
      this.output(escapeForTerminal(`-bash: ${name}: command not found`) + '\r\n');
      return;
    }
    command.run(this.context(args));
  }

  private context(args: string[]): CommandContext {
    const print = (text: string) => this.print(text);
    return {
      world: this.world,
      host: this.host,
      user: this.user,
      args,
      print,
      printUntrusted: (text) => this.print(escapeForTerminal(text)),
      foreground: (program) => {
        this.program = program;
      },
      done: () => {
        this.program = undefined;
        // Inside a command the prompt comes when it returns; later, show it now.
        if (this.editor.active) {
          this.editor.hide();
          this.editor.begin(this.shellPrompt());
        }
      },
      clear: () => this.output('\x1b[H\x1b[2J'),
      history: () => this.editor.history,
    };
  }

  /** Print above the line being edited, then put the line back. */
  private print(text: string): void {
    const editing = this.editor.active;
    if (editing) this.editor.hide();
    this.output(text);
    if (editing) this.editor.redraw();
  }

  private shellPrompt(): string {
    const short = this.host.split('.')[0];
    const who = `${this.user}@${short}`;
    const home = '~';
    const sigil = this.user === 'root' ? '#' : '$';
    return this.color
      ? `\x1b[1;32m${who}\x1b[0m:\x1b[1;34m${home}\x1b[0m${sigil} `
      : `${who}:${home}${sigil} `;
  }
}
