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

/**
 * Wire form: every line but the last uses "code-", the last "code " (§4.2.1). The space
 * after the code stays even when the text is empty: an empty SASL challenge is "334 "
 * (RFC 4954 §4), and every line then reads `^\d{3}[ -]`.
 */
export function formatReply(r: Reply): string {
  const texts = replyTexts(r);
  return texts
    .map((t, i) => `${r.code}${i === texts.length - 1 ? ' ' : '-'}${t.trimEnd()}\r\n`)
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
  mailboxFull: (address: string) =>
    reply(452, '4.2.2', `<${address}>: Recipient address rejected: Mailbox full`),
  userUnknown: (address: string) =>
    reply(
      550,
      '5.1.1',
      `<${address}>: Recipient address rejected: User unknown in local recipient table`,
    ),
  relayDenied: (address: string) => reply(554, '5.7.1', `<${address}>: Relay access denied`),

  // §3.1 and §3.8: refusing a client, and closing the channel.
  /** The greeting to a client the policy refuses (§3.1: 554 instead of 220). */
  refused: (address: string) =>
    reply(554, '5.7.1', `Service unavailable; client [${address}] blocked by policy`),
  /** The greeting to a client that talked before it (postscreen's pregreet test). */
  pregreet: () => reply(554, '5.5.1', 'Error: SMTP protocol synchronization'),
  pregreetDrop: (host: string) =>
    reply(521, '5.5.1', `${host} Error: SMTP protocol synchronization`),
  /** §3.1: after a 554 greeting, every command but QUIT gets 503. */
  accessDenied: (client: string) => reply(503, '5.5.1', `Error: access denied for ${client}`),
  shutdown: (host: string) =>
    reply(421, '4.3.2', `${host} Service not available, closing transmission channel`),

  // §3.5 VRFY and EXPN.
  vrfyDisabled: () => reply(502, '5.5.1', 'VRFY command is disabled'),
  vrfyOk: (address: string) => reply(250, '2.1.5', `<${address}>`),
  expanded: (addresses: readonly string[]) =>
    reply(250, '2.1.5', ...addresses.map((a) => `<${a}>`)),
  noSuchList: (name: string) => reply(550, '5.1.1', `Error: ${name}: no such mailing list`),

  // Limits (RFC 1870, RFC 5321 §4.5.3.1.6, §6.3).
  storageFull: () => reply(452, '4.3.1', 'Insufficient system storage'),
  textLineTooLong: () => reply(500, '5.5.0', 'Error: message text line too long'),
  tooManyHops: () => reply(554, '5.4.6', 'Too many hops'),
  bareNewlineClose: (host: string) =>
    reply(521, '5.5.2', `${host} Error: bare <CR> or <LF> received in message data`),

  // RFC 6531 §3.7.4.1: a non-ASCII address in a transaction that did not declare SMTPUTF8.
  utf8Required: () => reply(553, '5.6.7', 'Must declare SMTPUTF8 to send unicode address'),

  // RFC 3207 STARTTLS.
  tlsReady: () => reply(220, '2.0.0', 'Ready to start TLS'),
  tlsActive: () => reply(554, '5.5.1', 'Error: TLS already active'),
  tlsFirst: () => reply(530, '5.7.0', 'Must issue a STARTTLS command first'),

  // RFC 4954 AUTH.
  challenge: (base64: string) => reply(334, '', base64),
  authOk: () => reply(235, '2.7.0', 'Authentication successful'),
  authFailed: () => reply(535, '5.7.8', 'Error: authentication failed: authentication failure'),
  authRequired: () => reply(530, '5.7.0', 'Authentication required'),
  authAborted: () => reply(501, '5.0.0', 'Authentication aborted'),
  authUndecodable: () => reply(501, '5.5.2', 'Cannot decode response'),
  authMechanism: () => reply(504, '5.5.4', 'Unrecognized authentication type'),
  encryptionRequired: () =>
    reply(538, '5.7.11', 'Encryption required for requested authentication mechanism'),

  // RFC 3030 CHUNKING.
  chunkOk: (octets: number) => reply(250, '2.0.0', `Ok: ${octets} bytes`),

  // Greylisting: a temporary refusal the first time a (client, sender, recipient) is seen.
  greylisted: (address: string) =>
    reply(451, '4.7.1', `<${address}>: Recipient address rejected: Greylisted, try again later`),
} as const;

/**
 * A reply written as text, "451 4.3.0 Try again later" (the enhanced code is optional), as
 * scenarios give injected faults. Undefined when it is not one.
 */
export function parseReply(s: string): Reply | undefined {
  const m = /^([2-5]\d\d)(?: ([2-5]\.\d{1,3}\.\d{1,3}))?(?: ([\x20-\x7e]*))?$/.exec(s);
  if (!m) return undefined;
  const status = m[2] ?? '';
  if (status && status[0] !== m[1]![0]) return undefined; // RFC 3463 §2: same class
  return reply(Number(m[1]), status, m[3] ?? '');
}
