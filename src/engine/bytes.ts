/** Byte helpers shared by the network and protocol code. */
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
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
