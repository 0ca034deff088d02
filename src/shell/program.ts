/** What a running command gets from the shell, and what it gives back. */
import type { World } from '../engine/world';
import type { FileSystem } from './fs';
import type { InputSource, OutputStream } from './io';
import type { ManPage } from './man';

/** A foreground program that reads lines from the terminal (telnet, cat with no file, …). */
export interface Program {
  /** The prompt shown before each line ('' for none). */
  prompt(): string;
  /** A finished line, without its ending. */
  line(text: string): void;
  /** Ctrl-C. */
  interrupt(): void;
  /** Ctrl-D on an empty line. */
  eof?(): void;
  /** Ctrl-] (telnet's escape character). */
  escape?(): void;
}

/** A wall clock for the few things that pace themselves in real time (ping without -c). */
export interface RealTime {
  after(ms: number, run: () => void): { cancel(): void };
}

/** The shell's own state that builtins (cd, history, exit…) read and change. */
export interface ShellSession {
  cwd: string;
  readonly home: string;
  /** Shell variables ($HOME, $PWD, …). */
  readonly vars: Map<string, string>;
  /** Lines typed at the shell prompt, oldest first (`history -c` empties it). */
  readonly history: string[];
  /** Terminal width in columns. */
  cols(): number;
  /** Clear the screen (only when standard output is the terminal). */
  clear(): void;
  /** End this login session (exit, logout, Ctrl-D). */
  logout(status: number): void;
  /**
   * ssh HOST: a login shell on `host` as `user` takes over this terminal (keys, screen)
   * until it logs out; then `closed` gets its exit status.
   */
  remoteLogin(host: string, user: string, closed: (status: number) => void): void;
  /**
   * ssh HOST COMMAND: run `line` on `host` as `user`, without a prompt; what it prints goes
   * to this terminal, or to `output` (terminal-ready text) when given.
   */
  remoteCommand(
    host: string,
    user: string,
    line: string,
    done: (status: number) => void,
    output?: (text: string) => void,
  ): void;
}

export interface CommandContext {
  readonly world: World;
  /** The host this terminal is on. */
  readonly host: string;
  readonly user: string;
  /** The name the command was called by (argv[0]). */
  readonly name: string;
  readonly args: string[];
  readonly fs: FileSystem;
  readonly session: ShellSession;
  readonly stdin: InputSource;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Running a `lab run` script: nothing can press Ctrl-C, so nothing may run forever. */
  readonly headless: boolean;
  /** A wall clock, when the terminal has one (the browser); never in headless runs. */
  readonly realTime: RealTime | undefined;
  /** Read lines from the terminal with `program` until the command exits. */
  foreground(program: Program): void;
  /** The foreground program's prompt changed (after output it waited for): show it. */
  promptChanged(): void;
  /** Let the world run as the terminal does after a typed line (a no-op where time is driven from outside). */
  settle(): void;
  /** The command finished (for one that returned PENDING). Later calls are ignored. */
  exit(status: number): void;
  /** A path the user typed, made absolute against the working directory. */
  resolve(path: string): string;
}

/** Returned by a command that finishes later, by calling `ctx.exit`. */
export const PENDING = Symbol('pending');

/** An exit status now, or PENDING. */
export type CommandResult = number | typeof PENDING;

export type Command = (ctx: CommandContext) => CommandResult;

export interface CommandSpec {
  name: string;
  /** One line for `help` and the man page's NAME section. */
  summary: string;
  man: ManPage;
  /** A bash builtin: its errors read "-bash: NAME: …". */
  builtin?: boolean;
  /** Installed on this host? Absent means everywhere. */
  availableOn?(world: World, host: string): boolean;
  /** What Tab completes for arguments (files when absent). */
  completes?: 'files' | 'dirs' | 'hosts' | 'commands';
  run: Command;
}
