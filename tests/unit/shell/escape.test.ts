import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeForTerminal, TerminalTextStream } from '../../../src/shell/escape';

describe('the terminal escaping sink', () => {
  it.each([
    ['plain text', 'plain text'],
    ['line\nbreak', 'line\r\nbreak'],
    ['crlf\r\nline', 'crlf\r\nline'],
    ['lone\rcr', 'lone^Mcr'],
    ['\x1b[2J clear screen', '^[[2J clear screen'],
    ['\x1b]0;owned\x07 title', '^[]0;owned^G title'],
    ['\x1b]52;c;aGk=\x07 clipboard', '^[]52;c;aGk=^G clipboard'],
    [
      '\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\',
      '^[]8;;http://evil.example^[\\click^[]8;;^[\\',
    ],
    ['\x9b31m C1 CSI', '<9B>31m C1 CSI'],
    ['nul\x00 del\x7f', 'nul^@ del^?'],
    ['tab\tstays', 'tab\tstays'],
    ['abc\u202Egpj.exe', 'abc<U+202E>gpj.exe'],
    ['UTF-8: café ✉', 'UTF-8: café ✉'],
  ])('shows %j as %j', (input, shown) => {
    expect(escapeForTerminal(input)).toBe(shown);
  });

  it('never lets ESC, a C1 control or a lone CR through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        // The only CRs are the ones the sink puts before each LF; nothing else is a control.
        const out = escapeForTerminal(input);
        expect(out.replace(/\r\n/g, '')).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
      }),
      { seed: 20261122, numRuns: 500 },
    );
  });

  it('keeps a CRLF split across two received chunks as one line break', () => {
    const stream = new TerminalTextStream();
    expect(stream.push('250 Ok\r') + stream.push('\n221 Bye\r\n')).toBe('250 Ok\r\n221 Bye\r\n');
  });

  it('shows a CR that never got its LF when the stream ends', () => {
    const stream = new TerminalTextStream();
    expect(stream.push('abc\r') + stream.end()).toBe('abc^M');
  });
});
