/** ESMTP parameters on MAIL and RCPT, RFC 5321 §4.1.2 (esmtp-param). */
import { describe, expect, it } from 'vitest';
import { decodeXtext, parseParams, type ParamsResult } from '../../../src/engine/smtp/params';

const ok = (...pairs: [string, string | true][]): ParamsResult => ({
  ok: true,
  params: new Map(pairs),
});
const bad = (error: string): ParamsResult => ({ ok: false, error });

describe('parseParams', () => {
  it.each<[string, ParamsResult]>([
    ['', ok()],
    ['   ', ok()],
    [' SIZE=100', ok(['SIZE', '100'])],
    [' SIZE=100 BODY=8BITMIME', ok(['SIZE', '100'], ['BODY', '8BITMIME'])],
    [' size=100   body=8bitmime ', ok(['SIZE', '100'], ['BODY', '8bitmime'])],
    [' SMTPUTF8', ok(['SMTPUTF8', true])],
    [' X-FOO-1=a<b>~', ok(['X-FOO-1', 'a<b>~'])],
    [' AUTH=<>', ok(['AUTH', '<>'])],
  ])('%j → accepted', (rest, expected) => {
    expect(parseParams(rest)).toEqual(expected);
  });

  it.each<[string, ParamsResult]>([
    ['SIZE=1', bad('Bad parameter syntax')],
    [' -X=1', bad('Bad parameter syntax: -X')],
    [' =1', bad('Bad parameter syntax: ')],
    [' A_B=1', bad('Bad parameter syntax: A_B')],
    [' \u00c9T\u00c9=1', bad('Bad parameter syntax: ?T?')],
    [' SIZE=', bad('Bad parameter value: SIZE')],
    [' A=b=c', bad('Bad parameter value: A')],
    [' A=caf\u00e9', bad('Bad parameter value: A')],
    [' A=\u0001', bad('Bad parameter value: A')],
    [' SIZE=1 size=2', bad('Duplicate parameter: SIZE')],
  ])('%j → %j', (rest, expected) => {
    expect(parseParams(rest)).toEqual(expected);
  });

  it('peer text in errors is cut to 32 printable characters', () => {
    const long = 'K'.repeat(400);
    expect(parseParams(` ${long}=a=b`)).toEqual(bad(`Bad parameter value: ${'K'.repeat(32)}`));
    expect(parseParams(` ${long} ${long}`)).toEqual(bad(`Duplicate parameter: ${'K'.repeat(32)}`));
    expect(parseParams(` ${'\u0007'.repeat(50)}`)).toEqual(
      bad(`Bad parameter syntax: ${'?'.repeat(32)}`),
    );
  });
});

describe('decodeXtext (RFC 3461 §4)', () => {
  it.each<[string, string | undefined]>([
    ['', ''],
    ['bob@beta.example', 'bob@beta.example'],
    ['QQ314159+2Bx', 'QQ314159+x'],
    ['a+20b+3Dc', 'a b=c'],
    ['a+2b', undefined], // hex digits are upper case
    ['a+2', undefined],
    ['a+', undefined],
    ['a=b', undefined], // "=" only as +3D
    ['a b', undefined],
    ['caf\u00e9', undefined],
  ])('%j', (input, expected) => {
    expect(decodeXtext(input)).toBe(expected);
  });
});
