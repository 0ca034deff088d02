/**
 * Where a command's bytes go and come from. Standard input is bytes (a pipe, a file, a here
 * document) or the terminal; output goes to a pipe buffer, a file, /dev/null, or the
 * terminal — and the terminal only ever sees it through the escaping sink.
 */
import { utf8 } from '../engine/bytes';
import { TerminalTextStream } from './escape';
import type { FileSystem } from './fs';

export interface OutputStream {
  write(data: string | Uint8Array): void;
  /** isatty(): tools such as ls change their layout for a terminal. */
  readonly isTerminal: boolean;
}

export type InputSource = { terminal: true } | { terminal: false; data: Uint8Array };

export function bytesOf(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8(data) : data;
}

export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A pipe between two stages (they run one after the other, so a buffer will do). */
export class PipeBuffer implements OutputStream {
  readonly isTerminal = false;
  private chunks: Uint8Array[] = [];

  write(data: string | Uint8Array): void {
    this.chunks.push(bytesOf(data));
  }

  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
}

/** `> file` / `>> file`: the file was opened (created or truncated) before the command ran. */
export class FileOutput implements OutputStream {
  readonly isTerminal = false;

  constructor(
    private readonly fs: FileSystem,
    private readonly path: string,
    private readonly user: string,
  ) {}

  write(data: string | Uint8Array): void {
    this.fs.write(this.path, this.user, bytesOf(data), true);
  }
}

/**
 * Output to the terminal: bytes are decoded as UTF-8 (a character split across writes is
 * kept whole) and shown through the escaping sink.
 */
export class TerminalOutput implements OutputStream {
  readonly isTerminal = true;
  private decoder = new TextDecoder('utf-8');
  private text = new TerminalTextStream();

  constructor(private readonly print: (safe: string) => void) {}

  write(data: string | Uint8Array): void {
    const chunk = typeof data === 'string' ? data : this.decoder.decode(data, { stream: true });
    const safe = this.text.push(chunk);
    if (safe) this.print(safe);
  }

  /** The command ended: show whatever was held back (half a character, a CR). */
  end(): void {
    const rest = this.text.push(this.decoder.decode()) + this.text.end();
    if (rest) this.print(rest);
  }
}
