/** The Received: trace header, RFC 5321 §4.4 (protocol names: RFC 3848). */
import { describe, expect, it } from 'vitest';
import { receivedHeader, type ReceivedFields } from '../../../src/engine/smtp/received';

const base: ReceivedFields = {
  helo: 'laptop.alpha.example',
  clientName: 'laptop.alpha.example',
  clientAddress: '192.0.2.10',
  by: 'mx1.beta.example',
  protocol: 'ESMTP',
  id: 'ABCDEF0001',
  recipients: ['bob@beta.example'],
  date: 'Mon, 5 Jan 2026 09:00:00 +0000',
};

describe('receivedHeader', () => {
  it('one recipient: a "for" clause, folded onto its own line', () => {
    expect(receivedHeader(base)).toBe(
      'Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])\r\n' +
        '\tby mx1.beta.example (SMTP Lab) with ESMTP id ABCDEF0001\r\n' +
        '\tfor <bob@beta.example>; Mon, 5 Jan 2026 09:00:00 +0000\r\n',
    );
  });

  it('several recipients or none: no "for" clause', () => {
    const expected =
      'Received: from laptop.alpha.example (laptop.alpha.example [192.0.2.10])\r\n' +
      '\tby mx1.beta.example (SMTP Lab) with ESMTP id ABCDEF0001; Mon, 5 Jan 2026 09:00:00 +0000\r\n';
    expect(
      receivedHeader({ ...base, recipients: ['bob@beta.example', 'carol@beta.example'] }),
    ).toBe(expected);
    expect(receivedHeader({ ...base, recipients: [] })).toBe(expected);
  });

  it('no reverse name: "unknown", and the HELO name is shown as claimed', () => {
    const { clientName: _unused, ...rest } = base;
    expect(receivedHeader({ ...rest, helo: 'fake.example' })).toMatch(
      /^Received: from fake\.example \(unknown \[192\.0\.2\.10\]\)\r\n/,
    );
  });

  it('carries the protocol as given (SMTP, ESMTPA …)', () => {
    expect(receivedHeader({ ...base, protocol: 'ESMTPSA' })).toContain(' with ESMTPSA id ');
  });

  it('every line ends in CRLF and continuation lines start with a tab (RFC 5322 folding)', () => {
    const lines = receivedHeader(base).split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(1, -1).every((l) => l.startsWith('\t'))).toBe(true);
    expect(lines.every((l) => !l.includes('\n') && !l.includes('\r'))).toBe(true);
  });
});
