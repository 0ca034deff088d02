/** Reading a command's input: FILE operands, or standard input (bytes, or the terminal until Ctrl-D). */
import { utf8 } from '../../engine/bytes';
import { ERROR_TEXT } from '../fs';
import { concatBytes } from '../io';
import { PENDING, type CommandContext, type CommandResult } from '../program';

/**
 * Feed standard input to `onData` as it comes; `onEnd` gives the exit status. From the
 * terminal, each line is passed on as typed and Ctrl-D on an empty line ends the input.
 */
export function readInput(
  ctx: CommandContext,
  onData: (chunk: Uint8Array) => void,
  onEnd: () => number,
): CommandResult {
  if (!ctx.stdin.terminal) {
    onData(ctx.stdin.data);
    return onEnd();
  }
  ctx.foreground({
    prompt: () => '',
    line: (text) => onData(utf8(text + '\n')),
    interrupt: () => ctx.exit(130),
    eof: () => ctx.exit(onEnd()),
  });
  return PENDING;
}

/** All of standard input at once. */
export function readAll(ctx: CommandContext, done: (data: Uint8Array) => number): CommandResult {
  const chunks: Uint8Array[] = [];
  return readInput(
    ctx,
    (c) => chunks.push(c),
    () => done(concatBytes(chunks)),
  );
}

/** Read FILE for a tool; on failure say so as coreutils does ("cat: x: No such file…"). */
export function readFile(ctx: CommandContext, operand: string): Uint8Array | undefined {
  const read = ctx.fs.read(ctx.resolve(operand), ctx.user);
  if (read.ok) return read.value;
  ctx.stderr.write(`${ctx.name}: ${operand}: ${ERROR_TEXT[read.error]}\n`);
  return undefined;
}
