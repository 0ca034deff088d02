/**
 * A growable byte buffer that yields lines. Command lines end at LF (a preceding CR is
 * dropped); message text lines end only at CRLF, so a bare CR or LF stays inside the line
 * where the session can see it (RFC 5321 §2.3.8, and CVE-2023-51764 "SMTP smuggling").
 * Lines longer than a limit are not kept in memory: they are cut and flagged.
 */
export type LineEnding = 'lf' | 'crlf';

export interface Line {
  bytes: Uint8Array;
  /** The line was longer than the limit; `bytes` holds only its start. */
  tooLong: boolean;
}

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;

export class LineBuffer {
  private buf = new Uint8Array(1024);
  private start = 0;
  private end = 0;
  private scanned = 0;
  /** The ending `scanned` was scanned for: a crlf scan skips bare LFs an lf read must see. */
  private scannedFor: LineEnding = 'lf';
  private overflowed = false;

  get pending(): number {
    return this.end - this.start;
  }

  push(chunk: Uint8Array): void {
    if (this.end + chunk.length > this.buf.length) this.makeRoom(chunk.length);
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Take whatever is buffered (used to discard plaintext, or to hand bytes on). */
  drain(): Uint8Array {
    const out = this.buf.slice(this.start, this.end);
    this.start = this.end = this.scanned = 0;
    this.overflowed = false;
    return out;
  }

  /**
   * Up to `max` raw octets, line endings and all: a BDAT chunk (RFC 3030 §2) is counted in
   * octets, not read as lines.
   */
  take(max: number): Uint8Array {
    const n = Math.min(max, this.end - this.start);
    const out = this.buf.slice(this.start, this.start + n);
    this.start += n;
    this.scanned = this.start; // rescan what is left: the ending it is read with may change
    this.overflowed = false;
    if (this.start === this.end) this.start = this.end = this.scanned = 0;
    return out;
  }

  /**
   * The longest run of complete, ordinary message lines at the front of the buffer, endings
   * included, taken as one copy: lines that end in CRLF, hold no other CR or LF, do not start
   * with a dot, and fit in `maxLine` octets. It stops before any other line, which the caller
   * reads with next() — the fast path for the bulk of a message (RFC 5321 §4.5.2).
   */
  takePlainLines(maxLine: number): { bytes: Uint8Array; lines: number } | undefined {
    // A line next() has begun scanning (it arrives in pieces) is finished by next(): rescanning
    // it here on every piece would cost the square of its length.
    if (this.overflowed || this.scannedFor !== 'crlf' || this.scanned > this.start)
      return undefined;
    let at = this.start;
    let lines = 0;
    while (at < this.end && this.buf[at] !== DOT) {
      const lf = this.buf.indexOf(LF, at);
      if (lf < 0 || lf >= this.end || lf === at || this.buf[lf - 1] !== CR) break;
      if (lf + 1 - at > maxLine) break;
      const cr = this.buf.indexOf(CR, at);
      if (cr !== lf - 1) break; // a bare CR inside the line
      at = lf + 1;
      lines++;
    }
    if (lines === 0) return undefined;
    const bytes = this.buf.slice(this.start, at);
    this.start = this.scanned = at;
    if (this.start === this.end) this.start = this.end = this.scanned = 0;
    return { bytes, lines };
  }

  /** The next complete line without its ending, or undefined if none is complete yet. */
  next(ending: LineEnding, limit: number): Line | undefined {
    if (ending !== this.scannedFor) {
      if (ending === 'lf') this.scanned = this.start;
      this.scannedFor = ending;
    }
    // indexOf is native: much faster than a byte loop over a long message line. Bytes past
    // `end` are stale, so a hit there counts as none.
    const buf = this.buf;
    const end = this.end;
    for (
      let i = buf.indexOf(LF, Math.max(this.scanned, this.start));
      i >= 0 && i < end;
      i = buf.indexOf(LF, i + 1)
    ) {
      const hasCR = i > this.start && this.buf[i - 1] === CR;
      if (ending === 'crlf' && !hasCR) continue;
      const stop = hasCR ? i - 1 : i;
      // Limits count the line with its CRLF.
      const tooLong = this.overflowed || stop - this.start + 2 > limit;
      const bytes = this.buf.slice(this.start, Math.min(stop, this.start + limit));
      this.start = this.scanned = i + 1;
      this.overflowed = false;
      if (this.start === this.end) this.start = this.end = this.scanned = 0;
      return { bytes, tooLong };
    }
    this.scanned = this.end;
    // Keep no more than the limit of an unfinished line (plus a CR that may start CRLF).
    if (this.end - this.start > limit + 1) {
      const keep = this.buf.slice(this.start, this.start + limit);
      const last = this.buf[this.end - 1]!;
      this.buf.set(keep, 0);
      this.buf[limit] = last;
      this.start = 0;
      this.end = this.scanned = limit + 1;
      this.overflowed = true;
    }
    return undefined;
  }

  private makeRoom(extra: number): void {
    const live = this.end - this.start;
    if (live + extra <= this.buf.length) {
      this.buf.copyWithin(0, this.start, this.end);
    } else {
      const grown = new Uint8Array(Math.max(this.buf.length * 2, live + extra));
      grown.set(this.buf.subarray(this.start, this.end));
      this.buf = grown;
    }
    this.scanned = Math.max(0, this.scanned - this.start);
    this.start = 0;
    this.end = live;
  }
}
