/** Byte helpers shared by the network and protocol code. */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/**
 * Most of what the engine encodes is a short ASCII protocol line; below this length a
 * plain loop is about three times faster than calling into TextEncoder (decoding has no
 * such gap, so `text` always uses TextDecoder).
 */
const SHORT = 256;

export function utf8(text: string): Uint8Array {
  const n = text.length;
  if (n > SHORT) return encoder.encode(text);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) return encoder.encode(text);
    out[i] = c;
  }
  return out;
}

/** Decode as UTF-8; invalid sequences become U+FFFD rather than throwing. */
export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
