/**
 * The one escaping sink for the terminal. Everything that came from the network, a message
 * or a learner's typing is shown through it: control characters and escape sequences are
 * made visible (caret notation), never interpreted, so no received byte can move the
 * cursor, retitle the window, reach the clipboard (OSC 52) or disguise a link (OSC 8).
 */

/** Direction overrides and isolates can make text read differently from what it is. */
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

function visible(ch: string): string {
  const c = ch.codePointAt(0)!;
  if (c < 0x20) return '^' + String.fromCharCode(c + 0x40); // ESC → ^[, NUL → ^@
  if (c === 0x7f) return '^?';
  if (c >= 0x80 && c <= 0x9f) return `<${c.toString(16).toUpperCase()}>`; // C1 controls (CSI …)
  return `<U+${c.toString(16).toUpperCase().padStart(4, '0')}>`;
}

const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * Make `untrusted` safe to write: CRLF and LF become the terminal's CRLF, TAB stays, a lone
 * CR and every other control is shown in caret notation.
 */
export function escapeForTerminal(untrusted: string): string {
  return untrusted
    .split(/\r?\n/)
    .map((line) => line.replace(UNSAFE, visible))
    .join('\r\n');
}

/** True when `ch` is something a person can type into a line: printable, not a control. */
export function isPrintable(ch: string): boolean {
  return !/[\x00-\x1f\x7f-\x9f]/.test(ch) && !BIDI.test(ch);
}

/**
 * Escapes a stream of received text chunk by chunk: a CR at the end of one chunk may be
 * the first half of a CRLF completed by the next.
 */
export class TerminalTextStream {
  private pendingCR = false;

  push(chunk: string): string {
    let s = (this.pendingCR ? '\r' : '') + chunk;
    this.pendingCR = s.endsWith('\r');
    if (this.pendingCR) s = s.slice(0, -1);
    return escapeForTerminal(s);
  }

  /** The stream ended: show a CR that never got its LF. */
  end(): string {
    const out = this.pendingCR ? '^M' : '';
    this.pendingCR = false;
    return out;
  }
}
