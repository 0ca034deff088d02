/** What a terminal session needs from a running command, and what it gives one. */
import type { World } from '../engine/world';

/** A foreground program that reads lines (telnet, mail composing, …). */
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

export interface CommandContext {
  world: World;
  /** The host this terminal is on. */
  host: string;
  user: string;
  args: string[];
  /** Trusted text from the shell itself (may contain colour codes). */
  print(text: string): void;
  /** Text that came from outside: always through the escaping sink. */
  printUntrusted(text: string): void;
  /** Run `program` in the foreground until it calls `done`. */
  foreground(program: Program): void;
  /** The foreground program finished: show the shell prompt again. */
  done(): void;
  clear(): void;
  history(): readonly string[];
}

/** A command returns when it finished, or a Program it left in the foreground. */
export type Command = (ctx: CommandContext) => void;

export interface CommandSpec {
  name: string;
  summary: string;
  run: Command;
}
