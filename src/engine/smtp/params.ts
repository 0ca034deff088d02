/**
 * ESMTP parameters on MAIL and RCPT (RFC 5321 §4.1.2):
 *   esmtp-param = esmtp-keyword ["=" esmtp-value]
 *   esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")
 *   esmtp-value = 1*(%d33-60 / %d62-126)
 */
export type Params = Map<string, string | true>;

const KEYWORD = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const VALUE = /^[\x21-\x3c\x3e-\x7e]+$/;

export type ParamsResult = { ok: true; params: Params } | { ok: false; error: string };

/** Parse what follows a path: nothing, or space-separated parameters. */
export function parseParams(rest: string): ParamsResult {
  const params: Params = new Map();
  if (rest.trim() === '') return { ok: true, params };
  if (!rest.startsWith(' ')) return { ok: false, error: 'Bad parameter syntax' };
  for (const word of rest.trim().split(/ +/)) {
    const eq = word.indexOf('=');
    const key = (eq < 0 ? word : word.slice(0, eq)).toUpperCase();
    const value = eq < 0 ? true : word.slice(eq + 1);
    if (!KEYWORD.test(key)) return { ok: false, error: `Bad parameter syntax: ${safe(key)}` };
    if (value !== true && !VALUE.test(value)) {
      return { ok: false, error: `Bad parameter value: ${safe(key)}` };
    }
    if (params.has(key)) return { ok: false, error: `Duplicate parameter: ${safe(key)}` };
    params.set(key, value);
  }
  return { ok: true, params };
}

/** Keep peer-supplied text in replies short and printable. */
export function safe(s: string): string {
  return s.replace(/[^\x21-\x7e]/g, '?').slice(0, 32);
}

/**
 * Decode xtext (RFC 3461 §4): printable ASCII except "+" and "=", with "+XX" (two
 * upper-case hex digits) for any other octet. Undefined when `s` is not valid xtext.
 */
export function decodeXtext(s: string): string | undefined {
  if (!/^(?:[\x21-\x2a\x2c-\x3c\x3e-\x7e]|\+[0-9A-F]{2})*$/.test(s)) return undefined;
  return s.replace(/\+([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
