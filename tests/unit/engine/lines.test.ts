import { describe, expect, it } from 'vitest';
import { text, utf8 } from '../../../src/engine/bytes';
import { LineBuffer, type Line, type LineEnding } from '../../../src/engine/smtp/lines';
import { byteByByte, seededSplits } from './support';

/** Push `input` in the given chunks, taking every line that completes, as text. */
function lines(
  chunks: Uint8Array[],
  ending: LineEnding,
  limit: number,
): { text: string; tooLong: boolean }[] {
  const buffer = new LineBuffer();
  const out: { text: string; tooLong: boolean }[] = [];
  for (const chunk of chunks) {
    buffer.push(chunk);
    for (let line: Line | undefined; (line = buffer.next(ending, limit));) {
      out.push({ text: text(line.bytes), tooLong: line.tooLong });
    }
  }
  return out;
}

/** The same, all three ways (whole, per byte, seeded splits), which must agree. */
function linesAllWays(input: string, ending: LineEnding, limit = 1000) {
  const bytes = utf8(input);
  const whole = lines([bytes], ending, limit);
  expect(lines(byteByByte(bytes), ending, limit), 'one byte at a time').toEqual(whole);
  for (const seed of [1, 2, 3, 99]) {
    expect(lines(seededSplits(bytes, seed, 7), ending, limit), `seed ${seed}`).toEqual(whole);
  }
  return whole;
}

const ok = (t: string) => ({ text: t, tooLong: false });

describe('LineBuffer, command lines ("lf" mode)', () => {
  it('ends a line at LF and drops a CR right before it', () => {
    expect(linesAllWays('EHLO a\r\nNOOP\nQUIT\r\n', 'lf')).toEqual([
      ok('EHLO a'),
      ok('NOOP'),
      ok('QUIT'),
    ]);
  });

  it('keeps a CR that is not right before the LF', () => {
    expect(linesAllWays('a\rb\r\n\r\r\n', 'lf')).toEqual([ok('a\rb'), ok('\r')]);
  });

  it('yields empty lines', () => {
    expect(linesAllWays('\r\n\n', 'lf')).toEqual([ok(''), ok('')]);
  });

  it('returns undefined until a line is complete and keeps the partial bytes', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('NOO'));
    expect(buffer.next('lf', 512)).toBeUndefined();
    expect(buffer.pending).toBe(3);
    buffer.push(utf8('P\r'));
    expect(buffer.next('lf', 512)).toBeUndefined();
    buffer.push(utf8('\nQ'));
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('NOOP');
    expect(buffer.pending).toBe(1);
    expect(buffer.next('lf', 512)).toBeUndefined();
  });
});

describe('LineBuffer, message text ("crlf" mode)', () => {
  it('ends a line only at CRLF; bare LF and bare CR stay inside the line', () => {
    expect(linesAllWays('a\nb\r\nc\rd\r\n\n.\n.\r\n', 'crlf')).toEqual([
      ok('a\nb'),
      ok('c\rd'),
      ok('\n.\n.'),
    ]);
  });

  it('recognises a CRLF split across pushes', () => {
    expect(lines([utf8('line\r'), utf8('\nnext\r'), utf8('\n')], 'crlf', 1000)).toEqual([
      ok('line'),
      ok('next'),
    ]);
  });

  it('can switch modes between lines of one buffer', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('DATA\na\nb\r\n.\r\nQUIT\n'));
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('DATA');
    expect(text(buffer.next('crlf', 1000)!.bytes)).toBe('a\nb');
    expect(text(buffer.next('crlf', 1000)!.bytes)).toBe('.');
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('QUIT');
    expect(buffer.next('lf', 512)).toBeUndefined();
    expect(buffer.pending).toBe(0);
  });

  it('a crlf scan past a bare LF does not hide that LF from a later lf read', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('x\ny'));
    expect(buffer.next('crlf', 1000)).toBeUndefined();
    // Switching modes with a partial line pending: the earlier bare LF still ends a line.
    expect(text(buffer.next('lf', 1000)!.bytes)).toBe('x');
  });
});

describe('LineBuffer limits (counted with the CRLF)', () => {
  it('a line of exactly `limit` octets with CRLF is fine; one more octet is too long', () => {
    expect(linesAllWays(`${'a'.repeat(8)}\r\n${'b'.repeat(9)}\r\n`, 'lf', 10)).toEqual([
      ok('a'.repeat(8)),
      { text: 'b'.repeat(9), tooLong: true },
    ]);
  });

  it('a bare-LF line counts as if it had a CRLF', () => {
    expect(linesAllWays(`${'a'.repeat(8)}\n${'b'.repeat(9)}\n`, 'lf', 10)).toEqual([
      ok('a'.repeat(8)),
      { text: 'b'.repeat(9), tooLong: true },
    ]);
  });

  it('an overlong line is cut to `limit` octets and flagged, then reading carries on', () => {
    const long = 'x'.repeat(100);
    expect(linesAllWays(`${long}\r\nafter\r\n`, 'lf', 10)).toEqual([
      { text: 'x'.repeat(10), tooLong: true },
      ok('after'),
    ]);
  });

  it('the overflow flag belongs to one line only', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('y'.repeat(50)));
    expect(buffer.next('crlf', 10)).toBeUndefined();
    buffer.push(utf8('\r\nshort\r\n'));
    expect(buffer.next('crlf', 10)).toMatchObject({ tooLong: true });
    expect(buffer.next('crlf', 10)).toEqual({ bytes: utf8('short'), tooLong: false });
  });

  it('a CR kept at the cut still pairs with the LF that follows', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8(`${'z'.repeat(40)}\r`));
    expect(buffer.next('crlf', 10)).toBeUndefined();
    buffer.push(utf8('\n'));
    expect(buffer.next('crlf', 10)).toEqual({ bytes: utf8('z'.repeat(10)), tooLong: true });
    expect(buffer.pending).toBe(0);
  });

  it('memory stays bounded for a huge line without a newline', () => {
    const buffer = new LineBuffer();
    const chunk = new Uint8Array(64 * 1024).fill(0x41);
    let most = 0;
    for (let i = 0; i < 160; i++) {
      // 10 MiB in all
      buffer.push(chunk);
      expect(buffer.next('lf', 512)).toBeUndefined();
      most = Math.max(most, buffer.pending);
    }
    // After each read at most `limit` octets plus one (a possible CR) are kept …
    expect(most).toBeLessThanOrEqual(513);
    // … and the backing store never grew beyond one chunk plus that (white-box check).
    const capacity = (buffer as unknown as { buf: Uint8Array }).buf.length;
    expect(capacity).toBeLessThanOrEqual(2 * (chunk.length + 513));
    buffer.push(utf8('\r\n'));
    const line = buffer.next('lf', 512)!;
    expect(line.tooLong).toBe(true);
    expect(line.bytes).toEqual(new Uint8Array(512).fill(0x41));
    expect(buffer.pending).toBe(0);
  });

  it('memory stays bounded one byte at a time, too', () => {
    const buffer = new LineBuffer();
    const one = utf8('q');
    for (let i = 0; i < 20_000; i++) {
      buffer.push(one);
      buffer.next('crlf', 100);
      expect(buffer.pending).toBeLessThanOrEqual(101);
    }
  });
});

describe('LineBuffer.drain', () => {
  it('hands over what is buffered and starts afresh', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('STARTTLS\r\n\x16\x03\x01'));
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('STARTTLS');
    expect(buffer.drain()).toEqual(new Uint8Array([0x16, 0x03, 0x01]));
    expect(buffer.pending).toBe(0);
    expect(buffer.drain()).toEqual(new Uint8Array(0));
    buffer.push(utf8('NOOP\r\n'));
    expect(buffer.next('lf', 512)).toEqual({ bytes: utf8('NOOP'), tooLong: false });
  });

  it('clears a pending overflow flag', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('w'.repeat(30)));
    expect(buffer.next('lf', 10)).toBeUndefined();
    buffer.drain();
    buffer.push(utf8('ok\n'));
    expect(buffer.next('lf', 10)).toEqual({ bytes: utf8('ok'), tooLong: false });
  });
});

describe('LineBuffer growth', () => {
  it('keeps data intact across many reallocations and compactions', () => {
    const buffer = new LineBuffer();
    const expected: string[] = [];
    const got: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const line = `line ${i} ${'#'.repeat(i % 97)}`;
      expected.push(line);
      buffer.push(utf8(`${line}\r\n`));
      if (i % 3 === 0) {
        for (let l: Line | undefined; (l = buffer.next('crlf', 1000));) got.push(text(l.bytes));
      }
    }
    for (let l: Line | undefined; (l = buffer.next('crlf', 1000));) got.push(text(l.bytes));
    expect(got).toEqual(expected);
  });
});

describe('LineBuffer.take (BDAT chunks, RFC 3030)', () => {
  it('takes raw octets, line ends and all, then lines go on after them', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('ab\r\nc\nd\rrest of line\r\nNEXT\r\n'));
    expect(text(buffer.take(8))).toBe('ab\r\nc\nd\r');
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('rest of line');
    expect(text(buffer.next('lf', 512)!.bytes)).toBe('NEXT');
    expect(buffer.pending).toBe(0);
  });

  it('takes no more than is buffered, and nothing from an empty buffer', () => {
    const buffer = new LineBuffer();
    expect(buffer.take(10)).toEqual(new Uint8Array(0));
    buffer.push(utf8('abc'));
    expect(text(buffer.take(10))).toBe('abc');
    expect(buffer.pending).toBe(0);
  });

  it('a line scanned before the take is rescanned after it', () => {
    const buffer = new LineBuffer();
    buffer.push(utf8('12345'));
    expect(buffer.next('crlf', 512)).toBeUndefined(); // scanned to the end
    expect(text(buffer.take(2))).toBe('12');
    buffer.push(utf8('\r\n'));
    expect(text(buffer.next('crlf', 512)!.bytes)).toBe('345');
  });
});

describe('takePlainLines: the fast path for ordinary message lines', () => {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  const buffered = (text: string) => {
    const b = new LineBuffer();
    b.push(enc.encode(text));
    b.next('crlf', 1000); // message text is read in CRLF mode
    return b;
  };

  it('takes a run of CRLF lines in one piece and stops before a dot line', () => {
    const b = buffered('first\r\nsecond\r\n\r\nthird\r\n.\r\n');
    const run = b.takePlainLines(1000)!;
    expect(dec.decode(run.bytes)).toBe('second\r\n\r\nthird\r\n');
    expect(run.lines).toBe(3);
    expect(b.takePlainLines(1000)).toBeUndefined();
    expect(dec.decode(b.next('crlf', 1000)!.bytes)).toBe('.');
  });

  it('leaves lines with a bare CR or LF, unfinished lines and long lines to next()', () => {
    expect(buffered('x\r\na\nb\r\n').takePlainLines(1000)).toBeUndefined();
    expect(buffered('x\r\na\rb\r\n').takePlainLines(1000)).toBeUndefined();
    expect(buffered('x\r\nunfinished\r').takePlainLines(1000)).toBeUndefined();
    expect(buffered(`x\r\n${'y'.repeat(20)}\r\n`).takePlainLines(10)).toBeUndefined();
  });
});
