/**
 * Message text on the wire (RFC 5321 §2.3.8, §4.1.1.4, §4.5.2): lines end in CRLF and
 * nothing else, a line that starts with "." gets one more in front ("dot-stuffing"), and the
 * text ends with CRLF "." CRLF. These helpers work on bytes so 8-bit content passes intact.
 */
const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const TERMINATOR = new Uint8Array([DOT, CR, LF]);

/**
 * §2.3.8: turn every bare CR and bare LF into CRLF (CRLF stays as it is), so the output
 * has no CR or LF outside a CRLF pair — nothing the receiver could read as a line end other
 * than the one meant (CVE-2023-51764, "SMTP smuggling").
 */
export function normalizeCrlf(content: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i];
    if (b === CR) {
      if (content[i + 1] === LF) i++;
      else extra++;
    } else if (b === LF) extra++;
  }
  if (extra === 0) return content;
  const out = new Uint8Array(content.length + extra);
  let at = 0;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    if (b === CR || b === LF) {
      out[at++] = CR;
      out[at++] = LF;
      if (b === CR && content[i + 1] === LF) i++;
    } else {
      out[at++] = b;
    }
  }
  return out;
}

/** Offsets where a line starts: 0 and every position just after a CRLF. */
function isLineStart(bytes: Uint8Array, i: number): boolean {
  return i === 0 || (bytes[i - 1] === LF && bytes[i - 2] === CR);
}

/** §4.5.2: double a "." that starts a line (lines are delimited by CRLF). */
export function dotStuff(content: Uint8Array): Uint8Array {
  let extra = 0;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === DOT && isLineStart(content, i)) extra++;
  }
  if (extra === 0) return content;
  const out = new Uint8Array(content.length + extra);
  let at = 0;
  for (let i = 0; i < content.length; i++) {
    if (content[i] === DOT && isLineStart(content, i)) out[at++] = DOT;
    out[at++] = content[i]!;
  }
  return out;
}

/** §4.5.2, the receiver's side: drop the first "." of every line that starts with one. */
export function dotUnstuff(stuffed: Uint8Array): Uint8Array {
  const out = new Uint8Array(stuffed.length);
  let at = 0;
  for (let i = 0; i < stuffed.length; i++) {
    if (stuffed[i] === DOT && isLineStart(stuffed, i)) continue;
    out[at++] = stuffed[i]!;
  }
  return out.subarray(0, at);
}

export interface DataBlock {
  /** What follows the 354 reply on the wire: stuffed text, then "." CRLF. */
  wire: Uint8Array;
  /** RFC 1870 §3 message size: octets of the text with its CRLFs, unstuffed, no terminator. */
  size: number;
  /** Lines of text (not counting the terminator). */
  lines: number;
}

/**
 * Everything the client sends after 354 (§4.1.1.4): the content with CRLF line ends, a
 * final CRLF added when the content does not end with one (the terminator is
 * CRLF "." CRLF, and its first CRLF ends the last line), dot-stuffed, then "." CRLF.
 */
export function dataBlock(content: Uint8Array): DataBlock {
  let text = normalizeCrlf(content);
  if (text.length > 0 && text[text.length - 1] !== LF) {
    const ended = new Uint8Array(text.length + 2);
    ended.set(text);
    ended[text.length] = CR;
    ended[text.length + 1] = LF;
    text = ended;
  }
  let lines = 0;
  for (const b of text) if (b === LF) lines++;
  const stuffed = dotStuff(text);
  const wire = new Uint8Array(stuffed.length + TERMINATOR.length);
  wire.set(stuffed);
  wire.set(TERMINATOR, stuffed.length);
  return { wire, size: text.length, lines };
}
