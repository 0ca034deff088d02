/** Envelope paths, RFC 5321 §4.1.2 (syntax) and §4.5.3.1 (sizes). */
import { describe, expect, it } from 'vitest';
import {
  formatMailbox,
  isDomain,
  parsePath,
  type PathOptions,
  type PathResult,
} from '../../../src/engine/smtp/address';

const mailbox = (local: string, domain: string, rest = ''): PathResult => ({
  ok: true,
  mailbox: { local, domain },
  rest,
});
const BAD: PathResult = { ok: false };

interface Case {
  input: string;
  options?: PathOptions;
  expected: PathResult;
}

function table(title: string, cases: Case[]): void {
  describe(title, () => {
    for (const { input, options, expected } of cases) {
      const label = `${JSON.stringify(input.length > 70 ? `${input.slice(0, 70)}…` : input)}${
        options ? ` ${JSON.stringify(options)}` : ''
      }`;
      it(`${label} → ${expected.ok ? JSON.stringify(expected.mailbox) : 'rejected'}`, () => {
        expect(parsePath(input, options)).toEqual(expected);
      });
    }
  });
}

table('parsePath: ordinary mailboxes', [
  { input: '<bob@beta.example>', expected: mailbox('bob', 'beta.example') },
  { input: '<Bob.Smith+tag@Beta.Example>', expected: mailbox('Bob.Smith+tag', 'Beta.Example') },
  {
    input: "<o'hara!#$%&*/=?^_`{|}~-@x.example>",
    expected: mailbox("o'hara!#$%&*/=?^_`{|}~-", 'x.example'),
  },
  { input: '<a@b>', expected: mailbox('a', 'b') },
  { input: '<a@1.2.example>', expected: mailbox('a', '1.2.example') },
  { input: '<a@x-y.example>', expected: mailbox('a', 'x-y.example') },
]);

table('parsePath: what follows the path is returned as rest', [
  { input: '<bob@beta.example> SIZE=10', expected: mailbox('bob', 'beta.example', ' SIZE=10') },
  { input: '<bob@beta.example>junk', expected: mailbox('bob', 'beta.example', 'junk') },
  {
    input: '<> BODY=8BITMIME',
    options: { allowNull: true },
    expected: { ok: true, mailbox: null, rest: ' BODY=8BITMIME' },
  },
]);

table('parsePath: the null path and <postmaster>', [
  { input: '<>', options: { allowNull: true }, expected: { ok: true, mailbox: null, rest: '' } },
  { input: '<>', expected: BAD },
  { input: '<postmaster>', options: { postmaster: true }, expected: mailbox('postmaster', '') },
  { input: '<POSTMASTER>', options: { postmaster: true }, expected: mailbox('postmaster', '') },
  { input: '<postmaster>', expected: BAD },
  { input: '<postmaster@beta.example>', expected: mailbox('postmaster', 'beta.example') },
]);

table('parsePath: source routes are accepted and dropped (§4.1.1.3, appendix C)', [
  { input: '<@a.example:bob@beta.example>', expected: mailbox('bob', 'beta.example') },
  {
    input: '<@a.example,@b.example:bob@beta.example>',
    expected: mailbox('bob', 'beta.example'),
  },
  { input: '<@a.example,b.example:bob@beta.example>', expected: BAD },
  { input: '<@-bad-:bob@beta.example>', expected: BAD },
  { input: '<@a.example>', expected: BAD },
]);

table('parsePath: quoted local parts', [
  { input: '<"john doe"@x.example>', expected: mailbox('"john doe"', 'x.example') },
  { input: '<"a@b"@x.example>', expected: mailbox('"a@b"', 'x.example') },
  { input: '<"a>b"@x.example>', expected: mailbox('"a>b"', 'x.example') },
  { input: '<"a\\"b"@x.example>', expected: mailbox('"a\\"b"', 'x.example') },
  { input: '<"a\\\\"@x.example>', expected: mailbox('"a\\\\"', 'x.example') },
  { input: '<""@x.example>', expected: mailbox('""', 'x.example') },
  { input: '<"a"b"@x.example>', expected: BAD },
  { input: '<"a\\"@x.example>', expected: BAD },
  { input: '<"unterminated@x.example>', expected: BAD },
  { input: '<"tab\there"@x.example>', expected: BAD },
  { input: '<"caf\u00e9"@x.example>', expected: BAD },
  {
    input: '<"caf\u00e9"@x.example>',
    options: { utf8: true },
    expected: mailbox('"caf\u00e9"', 'x.example'),
  },
]);

table('parsePath: address literals (§4.1.3)', [
  { input: '<postmaster@[192.0.2.1]>', expected: mailbox('postmaster', '[192.0.2.1]') },
  { input: '<a@[IPv6:2001:db8::1]>', expected: mailbox('a', '[IPv6:2001:db8::1]') },
  { input: '<a@[256.0.0.1]>', expected: BAD },
  { input: '<a@[192.0.2]>', expected: BAD },
  { input: '<a@[]>', expected: BAD },
  { input: '<a@192.0.2.1]>', expected: BAD },
]);

table('parsePath: malformed paths are rejected', [
  { input: 'bob@beta.example', expected: BAD },
  { input: '<bob@beta.example', expected: BAD },
  { input: ' <bob@beta.example>', expected: BAD },
  { input: '<bob>', expected: BAD },
  { input: '<@beta.example>', expected: BAD },
  { input: '<bob@>', expected: BAD },
  { input: '<bob@@beta.example>', expected: BAD },
  { input: '<bo b@beta.example>', expected: BAD },
  { input: '<.bob@beta.example>', expected: BAD },
  { input: '<bob.@beta.example>', expected: BAD },
  { input: '<bo..b@beta.example>', expected: BAD },
  { input: '<bob@beta..example>', expected: BAD },
  { input: '<bob@beta.example.>', expected: BAD },
  { input: '<bob@-beta.example>', expected: BAD },
  { input: '<bob@beta-.example>', expected: BAD },
  { input: '<bob@beta_x.example>', expected: BAD },
  { input: '<b\u00f6b@beta.example>', expected: BAD },
  {
    input: '<b\u00f6b@beta.example>',
    options: { utf8: true },
    expected: mailbox('b\u00f6b', 'beta.example'),
  },
  { input: '<bob@b\u00fccher.example>', expected: BAD },
  {
    input: '<bob@b\u00fccher.example>',
    options: { utf8: true },
    expected: mailbox('bob', 'b\u00fccher.example'),
  },
  { input: '<bob@beta.example\r\n>', expected: BAD },
]);

describe('parsePath: size limits of §4.5.3.1', () => {
  it('a local part of 64 octets is accepted, 65 rejected (§4.5.3.1.1)', () => {
    expect(parsePath(`<${'a'.repeat(64)}@x.example>`)).toEqual(
      mailbox('a'.repeat(64), 'x.example'),
    );
    expect(parsePath(`<${'a'.repeat(65)}@x.example>`)).toEqual(BAD);
  });

  it('the local-part limit counts octets, not characters', () => {
    const local = '\u00e9'.repeat(32); // 64 octets in UTF-8
    expect(parsePath(`<${local}@x.example>`, { utf8: true })).toEqual(mailbox(local, 'x.example'));
    expect(parsePath(`<${local}e@x.example>`, { utf8: true })).toEqual(BAD);
  });

  it('a domain label of 63 octets is accepted, 64 rejected', () => {
    expect(parsePath(`<a@${'d'.repeat(63)}.example>`).ok).toBe(true);
    expect(parsePath(`<a@${'d'.repeat(64)}.example>`)).toEqual(BAD);
  });

  it('a path of 256 octets with its brackets is accepted, 257 rejected (§4.5.3.1.3)', () => {
    const domainOf = (n: number) => {
      const labels: string[] = [];
      while (n > 0) {
        const take = Math.min(n, 63);
        labels.push('d'.repeat(take));
        n -= take + 1; // the dot
      }
      return labels.join('.');
    };
    // '<' + 'a' + '@' + domain + '>' = 256 → domain of 252 octets.
    const domain252 = domainOf(252);
    expect(domain252).toHaveLength(252);
    expect(parsePath(`<a@${domain252}>`)).toEqual(mailbox('a', domain252));
    expect(parsePath(`<ab@${domain252}>`)).toEqual(BAD);
  });
});

describe('isDomain', () => {
  it.each([
    ['beta.example', true],
    ['localhost', true],
    ['a', true],
    ['xn--bcher-kva.example', true],
    ['', false],
    ['.example', false],
    ['example.', false],
    ['-a.example', false],
    ['a_b.example', false],
    [`${'a'.repeat(63)}.example`, true],
    [`${'a'.repeat(64)}.example`, false],
  ])('%j → %s', (domain, valid) => {
    expect(isDomain(domain, false)).toBe(valid);
  });

  it('a domain of 255 octets is accepted, 256 rejected (§4.5.3.1.2)', () => {
    const d255 = `a${'.a'.repeat(127)}`;
    const d256 = `ab${'.a'.repeat(127)}`;
    expect([d255.length, d256.length]).toEqual([255, 256]);
    expect(isDomain(d255, false)).toBe(true);
    expect(isDomain(d256, false)).toBe(false);
  });
});

describe('formatMailbox', () => {
  it('joins local part and domain', () => {
    expect(formatMailbox({ local: 'bob', domain: 'beta.example' })).toBe('bob@beta.example');
  });
  it('the null path is the empty string', () => {
    expect(formatMailbox(null)).toBe('');
  });
  it('a domainless <postmaster> is just "postmaster"', () => {
    expect(formatMailbox({ local: 'postmaster', domain: '' })).toBe('postmaster');
  });
  it('round-trips through parsePath', () => {
    for (const address of ['bob@beta.example', '"a b"@x.example', 'a@[192.0.2.1]']) {
      const parsed = parsePath(`<${address}>`);
      expect(parsed.ok && formatMailbox(parsed.mailbox)).toBe(address);
    }
  });
});
