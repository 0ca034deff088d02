/**
 * Composing a message as a mail client does (RFC 5322): Date, From, To, Cc, Subject and a
 * Message-ID, and MIME headers (RFC 2045) only when the text needs them — non-ASCII goes
 * as UTF-8 with 8bit transfer encoding, and a non-ASCII subject as an RFC 2047 word.
 */
import { base64Encode } from '../base64';
import { text, utf8 } from '../bytes';

const LF = 0x0a;
const CR = 0x0d;

export interface Draft {
  from: string;
  to: string[];
  cc?: string[];
  subject: string;
  body: string;
  /** RFC 5322 date of composition. */
  date: string;
  /** Without angle brackets: "id@host". */
  messageId: string;
}

/** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters; fold long address lists. */
const FOLD_AT = 78;

export function composeMessage(d: Draft): string {
  const headers = [
    `Date: ${d.date}`,
    `From: ${d.from}`,
    foldList('To', d.to),
    ...(d.cc && d.cc.length > 0 ? [foldList('Cc', d.cc)] : []),
    `Subject: ${encodeWord(d.subject)}`,
    `Message-ID: <${d.messageId}>`,
  ];
  const ascii = /^[\x00-\x7f]*$/.test(d.body);
  if (!ascii) {
    headers.push(
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
    );
  }
  const body = d.body.replace(/\r?\n/g, '\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${body}${body.endsWith('\r\n') || body === '' ? '' : '\r\n'}`;
}

/** RFC 2047 §4.1: a B-encoded word for text that is not plain ASCII. */
export function encodeWord(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return text;
  return `=?UTF-8?B?${base64Encode(utf8(text))}?=`;
}

function foldList(name: string, addresses: string[]): string {
  let line = `${name}: `;
  const lines: string[] = [];
  addresses.forEach((address, i) => {
    const piece = address + (i < addresses.length - 1 ? ',' : '');
    if (line.length + piece.length > FOLD_AT && line.trim() !== `${name}:`) {
      lines.push(line.trimEnd());
      line = ' ';
    }
    line += piece + ' ';
  });
  lines.push(line.trimEnd());
  return lines.join('\r\n');
}

/** The header block of a message (up to the first empty line), unfolded. */
export function headerFields(raw: string): { name: string; value: string }[] {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end < 0 ? raw : raw.slice(0, end);
  return head
    .replace(/\r?\n[ \t]+/g, ' ')
    .split(/\r?\n/)
    .filter((line) => line.includes(':'))
    .map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
    });
}

/** The header block of raw message bytes, decoded without the body (which can be large). */
export function headerText(content: Uint8Array): string {
  for (let i = content.indexOf(LF); i >= 0; i = content.indexOf(LF, i + 1)) {
    const next = content[i + 1] === CR ? i + 2 : i + 1;
    if (content[next] === LF) return text(content.subarray(0, i + 1));
  }
  return text(content);
}

export function headerValue(raw: string, name: string): string | undefined {
  return headerFields(raw).find((f) => f.name.toLowerCase() === name.toLowerCase())?.value;
}
