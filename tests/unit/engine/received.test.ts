/** The Received: trace header, RFC 5321 §4.4 (protocol names: RFC 3848). */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/engine/bytes';
import {
  countReceived,
  protocolName,
  receivedHeader,
  type ReceivedFields,
} from '../../../src/engine/smtp/received';

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

describe('protocolName (RFC 3848, RFC 6531 §3.7.3)', () => {
  it.each<[string, Parameters<typeof protocolName>[0]]>([
    ['SMTP', { esmtp: false, tls: false, auth: false, utf8: false }],
    ['ESMTP', { esmtp: true, tls: false, auth: false, utf8: false }],
    ['ESMTPS', { esmtp: true, tls: true, auth: false, utf8: false }],
    ['ESMTPA', { esmtp: true, tls: false, auth: true, utf8: false }],
    ['ESMTPSA', { esmtp: true, tls: true, auth: true, utf8: false }],
    ['UTF8SMTP', { esmtp: true, tls: false, auth: false, utf8: true }],
    ['UTF8SMTPSA', { esmtp: true, tls: true, auth: true, utf8: true }],
  ])('%s', (name, traits) => {
    expect(protocolName(traits)).toBe(name);
  });
});

describe('countReceived (RFC 5321 §6.3)', () => {
  it.each<[string, string, number]>([
    ['none', 'Subject: x\r\n\r\nbody\r\n', 0],
    [
      'two, any case, spaces before the colon',
      'Received: a\r\nRECEIVED : b\r\nSubject: x\r\n\r\n',
      2,
    ],
    ['not a continuation line', 'Received: a\r\n\tReceived: b\r\n\r\n', 1],
    ['not in the body', 'Subject: x\r\n\r\nReceived: a\r\n', 0],
    ['not a longer field name', 'Received-SPF: pass\r\nReceivedX: y\r\n\r\n', 0],
    ['a header section without a body', 'Received: a\r\nReceived: b', 2],
    ['bare LF line ends', 'Received: a\nReceived: b\n\nReceived: c\n', 2],
  ])('%s', (_name, content, count) => {
    expect(countReceived(utf8(content))).toBe(count);
  });
});
