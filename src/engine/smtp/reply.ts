/**
 * SMTP replies (RFC 5321 §4.2) with enhanced status codes (RFC 2034, RFC 3463). Texts are
 * phrased like Postfix's, so a learner meets the same words later on a real server.
 */
export interface Reply {
  code: number;
  /** Enhanced status code such as "2.1.0", or '' for replies that carry none (220, 221 …). */
  status: string;
  lines: string[];
}

export function reply(code: number, status: string, ...lines: string[]): Reply {
  return { code, status, lines: lines.length > 0 ? lines : [''] };
}

/** The text of each line as the client sees it, without code or CRLF. */
export function replyTexts(r: Reply): string[] {
  return r.lines.map((line) => (r.status ? `${r.status} ${line}` : line).trimEnd());
}

/** Wire form: every line but the last uses "code-", the last "code " (§4.2.1). */
export function formatReply(r: Reply): string {
  const texts = replyTexts(r);
  return texts
    .map((t, i) => `${r.code}${i === texts.length - 1 ? ' ' : '-'}${t}`.trimEnd() + '\r\n')
    .join('');
}

/** The replies this server gives, in one place. `host` is the server's own name. */
export const R = {
  greeting: (host: string, banner: string) => reply(220, '', `${host} ${banner}`),
  closing: () => reply(221, '2.0.0', 'Bye'),
  ok: () => reply(250, '2.0.0', 'Ok'),
  senderOk: () => reply(250, '2.1.0', 'Ok'),
  recipientOk: () => reply(250, '2.1.5', 'Ok'),
  queued: (id: string) => reply(250, '2.0.0', `Ok: queued as ${id}`),
  helo: (host: string) => reply(250, '', host),
  startData: () => reply(354, '', 'End data with <CR><LF>.<CR><LF>'),
  vrfy: () => reply(252, '2.0.0', 'Cannot VRFY user, but will accept message and attempt delivery'),
  help: () => reply(214, '2.0.0', 'See RFC 5321 and https://www.rfc-editor.org/rfc/rfc5321'),
  tooManyErrors: (host: string) => reply(421, '4.7.0', `${host} Error: too many errors`),
  tooManyRecipients: () => reply(452, '4.5.3', 'Error: too many recipients'),
  notRecognized: () => reply(500, '5.5.2', 'Error: command not recognized'),
  badSyntax: () => reply(500, '5.5.2', 'Error: bad syntax'),
  lineTooLong: () => reply(500, '5.5.0', 'Error: line too long'),
  syntax: (usage: string) => reply(501, '5.5.4', `Syntax: ${usage}`),
  badSender: () => reply(501, '5.1.7', 'Bad sender address syntax'),
  badRecipient: () => reply(501, '5.1.3', 'Bad recipient address syntax'),
  badParameter: (text: string) => reply(501, '5.5.4', text),
  notImplemented: (verb: string) => reply(502, '5.5.1', `Error: ${verb} not implemented`),
  sequence: (text: string) => reply(503, '5.5.1', `Error: ${text}`),
  noValidRecipients: () => reply(554, '5.5.1', 'Error: no valid recipients'),
  sizeExceeded: () => reply(552, '5.3.4', 'Message size exceeds fixed limit'),
  bareNewline: () => reply(550, '5.5.2', 'Error: bare <CR> or <LF> received in message data'),
  unsupportedOption: (name: string) => reply(555, '5.5.4', `Unsupported option: ${name}`),
  userUnknown: (address: string) =>
    reply(
      550,
      '5.1.1',
      `<${address}>: Recipient address rejected: User unknown in local recipient table`,
    ),
  relayDenied: (address: string) => reply(554, '5.7.1', `<${address}>: Relay access denied`),
} as const;
