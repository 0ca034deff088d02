/**
 * Base64 (RFC 4648 §4), written out because the engine may use neither Node's Buffer nor
 * the DOM's btoa/atob. SMTP AUTH (RFC 4954 §4) carries SASL data in this encoding.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/** Encode bytes as base64 with '=' padding and no line breaks. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]!;
    out += ALPHABET[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

/**
 * Decode canonical padded base64; undefined for anything else (wrong length, stray
 * characters, misplaced '=', or non-zero bits in the last character, RFC 4648 §3.5).
 */
export function base64Decode(input: string): Uint8Array | undefined {
  if (input.length % 4 !== 0) return undefined;
  const pad = input.endsWith('==') ? 2 : input.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((input.length / 4) * 3 - pad);
  let at = 0;
  for (let i = 0; i < input.length; i += 4) {
    let n = 0;
    for (let j = 0; j < 4; j++) {
      const c = input[i + j]!;
      const last = i + 4 === input.length;
      const v = c === '=' && last && j >= 4 - pad ? 0 : VALUES.get(c);
      if (v === undefined) return undefined;
      n = (n << 6) | v;
    }
    if (i + 4 === input.length && pad > 0 && (n & (pad === 2 ? 0xffff : 0xff)) !== 0) {
      return undefined;
    }
    out[at++] = n >> 16;
    if (at < out.length) out[at++] = (n >> 8) & 0xff;
    if (at < out.length) out[at++] = n & 0xff;
  }
  return out;
}
