/**
 * The SMTP transaction every SMTP benchmark sends: EHLO, MAIL, RCPT, DATA, a message of
 * an exact size, the terminating dot, and QUIT (or RSET on a reused connection).
 */
import { Buffer } from 'node:buffer';

export const CLIENT_NAME = 'bench.client.example';
export const SENDER = 'alice@alpha.example';
export const RECIPIENT = 'bob@beta.example';

export const EHLO = `EHLO ${CLIENT_NAME}\r\n`;
export const MAIL = `MAIL FROM:<${SENDER}>\r\n`;
export const RCPT = `RCPT TO:<${RECIPIENT}>\r\n`;
export const DATA = 'DATA\r\n';
export const DOT = '.\r\n';
export const RSET = 'RSET\r\n';
export const QUIT = 'QUIT\r\n';

/**
 * A plain-text message of exactly `size` octets (headers, blank line, body), with CRLF line
 * ends, lines under 80 octets, ending in CRLF and with no line starting with a dot, so it
 * goes on the wire unchanged.
 */
export function message(size: number): string {
  const head =
    `From: Alice <${SENDER}>\r\n` +
    `To: Bob <${RECIPIENT}>\r\n` +
    'Subject: benchmark message\r\n' +
    'Date: Mon, 5 Jan 2026 09:00:00 +0000\r\n' +
    'Message-ID: <bench@alpha.example>\r\n' +
    '\r\n';
  const words = 'the quick brown fox jumps over the lazy dog and sends another mail'.split(' ');
  const lines: string[] = [];
  let length = head.length;
  let word = 0;
  while (length < size) {
    const room = size - length - 2; // what a line may hold before its CRLF
    let line = '';
    while (line.length < 70) line += (line ? ' ' : '') + words[word++ % words.length];
    if (room < line.length + 2 + 3) line = 'x'.repeat(Math.max(0, room)); // the last line
    lines.push(line);
    length += line.length + 2;
  }
  const text = head + lines.map((l) => `${l}\r\n`).join('');
  if (Buffer.byteLength(text) !== size) {
    throw new Error(`message(${size}) came out at ${Buffer.byteLength(text)} octets`);
  }
  return text;
}

export interface Step {
  /** What the client sends. */
  send: string;
  /** The reply code the step must end with; undefined when the server says nothing. */
  expect: number | undefined;
}

/**
 * One whole transaction on a fresh connection, after the 220 greeting: every client chunk
 * with the reply it expects. The message text and the terminating dot are separate chunks.
 */
export function freshTransaction(size: number): Step[] {
  return [
    { send: EHLO, expect: 250 },
    { send: MAIL, expect: 250 },
    { send: RCPT, expect: 250 },
    { send: DATA, expect: 354 },
    { send: message(size), expect: undefined },
    { send: DOT, expect: 250 },
    { send: QUIT, expect: 221 },
  ];
}

/** One transaction on a connection that has already said EHLO, leaving it ready again. */
export function reusedTransaction(size: number): Step[] {
  return [
    { send: MAIL, expect: 250 },
    { send: RCPT, expect: 250 },
    { send: DATA, expect: 354 },
    { send: message(size) + DOT, expect: 250 },
    { send: RSET, expect: 250 },
  ];
}
