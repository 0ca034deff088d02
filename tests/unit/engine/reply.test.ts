/** Reply formatting, RFC 5321 §4.2, with enhanced status codes (RFC 2034, RFC 3463). */
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../../src/engine/bytes';
import { MAX_REPLY_LINE } from '../../../src/engine/smtp/limits';
import {
  R,
  formatReply,
  parseReply,
  reply,
  replyTexts,
  type Reply,
} from '../../../src/engine/smtp/reply';

describe('formatReply (§4.2.1)', () => {
  it.each<[string, Reply, string]>([
    ['one line with status', reply(250, '2.1.0', 'Ok'), '250 2.1.0 Ok\r\n'],
    ['one line without status', reply(220, '', 'mx ESMTP'), '220 mx ESMTP\r\n'],
    [
      'several lines: "code-" on all but the last',
      reply(250, '', 'mx', 'PIPELINING', '8BITMIME'),
      '250-mx\r\n250-PIPELINING\r\n250 8BITMIME\r\n',
    ],
    [
      'the status code is repeated on every line',
      reply(550, '5.7.1', 'first', 'second'),
      '550-5.7.1 first\r\n550 5.7.1 second\r\n',
    ],
    [
      'no text at all: the code and its space (an empty SASL challenge, RFC 4954 §4)',
      reply(334, ''),
      '334 \r\n',
    ],
    ['trailing spaces are not sent', reply(250, '', 'Ok   '), '250 Ok\r\n'],
    [
      'an empty middle line keeps its hyphen',
      reply(250, '', 'a', '', 'b'),
      '250-a\r\n250-\r\n250 b\r\n',
    ],
  ])('%s', (_name, r, wire) => {
    expect(formatReply(r)).toBe(wire);
  });

  it('reply() with no lines has a single empty line', () => {
    expect(reply(250, '2.0.0')).toEqual({ code: 250, status: '2.0.0', lines: [''] });
    expect(replyTexts(reply(250, '2.0.0'))).toEqual(['2.0.0']);
  });

  it('replyTexts prefixes the status code', () => {
    expect(replyTexts(reply(452, '4.5.3', 'Error: too many recipients'))).toEqual([
      '4.5.3 Error: too many recipients',
    ]);
  });
});

describe('the replies in R', () => {
  // Sample arguments for the replies that take one.
  const samples: Record<string, Reply> = {
    greeting: R.greeting('mx1.beta.example', 'ESMTP SMTP Lab'),
    closing: R.closing(),
    ok: R.ok(),
    senderOk: R.senderOk(),
    recipientOk: R.recipientOk(),
    queued: R.queued('ABCDEF0001'),
    helo: R.helo('mx1.beta.example'),
    startData: R.startData(),
    vrfy: R.vrfy(),
    help: R.help(),
    tooManyErrors: R.tooManyErrors('mx1.beta.example'),
    tooManyRecipients: R.tooManyRecipients(),
    notRecognized: R.notRecognized(),
    badSyntax: R.badSyntax(),
    lineTooLong: R.lineTooLong(),
    syntax: R.syntax('HELO hostname'),
    badSender: R.badSender(),
    badRecipient: R.badRecipient(),
    badParameter: R.badParameter('Bad parameter syntax'),
    notImplemented: R.notImplemented('EXPN'),
    sequence: R.sequence('need MAIL command'),
    noValidRecipients: R.noValidRecipients(),
    sizeExceeded: R.sizeExceeded(),
    bareNewline: R.bareNewline(),
    unsupportedOption: R.unsupportedOption('SIZE'),
    userUnknown: R.userUnknown('carol@beta.example'),
    mailboxFull: R.mailboxFull('bob@beta.example'),
    relayDenied: R.relayDenied('bob@beta.example'),
    refused: R.refused('192.0.2.10'),
    pregreet: R.pregreet(),
    pregreetDrop: R.pregreetDrop('mx1.beta.example'),
    accessDenied: R.accessDenied('laptop.alpha.example[192.0.2.10]'),
    shutdown: R.shutdown('mx1.beta.example'),
    vrfyDisabled: R.vrfyDisabled(),
    vrfyOk: R.vrfyOk('bob@beta.example'),
    expanded: R.expanded(['alice@alpha.example', 'bob@beta.example']),
    noSuchList: R.noSuchList('staff'),
    storageFull: R.storageFull(),
    textLineTooLong: R.textLineTooLong(),
    tooManyHops: R.tooManyHops(),
    bareNewlineClose: R.bareNewlineClose('mx1.beta.example'),
    utf8Required: R.utf8Required(),
    tlsReady: R.tlsReady(),
    tlsActive: R.tlsActive(),
    tlsFirst: R.tlsFirst(),
    challenge: R.challenge('VXNlcm5hbWU6'),
    authOk: R.authOk(),
    authFailed: R.authFailed(),
    authRequired: R.authRequired(),
    authAborted: R.authAborted(),
    authUndecodable: R.authUndecodable(),
    authMechanism: R.authMechanism(),
    encryptionRequired: R.encryptionRequired(),
    chunkOk: R.chunkOk(1024),
    greylisted: R.greylisted('bob@beta.example'),
  };

  it('every reply in R has a sample here', () => {
    expect(Object.keys(samples).sort()).toEqual(Object.keys(R).sort());
  });

  it.each(Object.entries(samples))('%s: enhanced status class matches the reply code', (_k, r) => {
    expect(r.code).toBeGreaterThanOrEqual(200);
    expect(r.code).toBeLessThan(600);
    // RFC 3463 §2: the class digit of the enhanced code equals the first digit of the reply.
    if (r.status)
      expect(r.status).toMatch(new RegExp(`^${String(r.code)[0]}\\.\\d{1,3}\\.\\d{1,3}$`));
  });

  it.each(Object.entries(samples))('%s: wire form is well formed', (_k, r) => {
    for (const line of formatReply(r).split('\r\n').slice(0, -1)) {
      expect(line).toMatch(/^\d{3}[ -]/);
      expect(utf8(line).length + 2).toBeLessThanOrEqual(MAX_REPLY_LINE);
    }
  });

  it('golden texts (Postfix wording)', () => {
    expect(formatReply(R.greeting('mx1.beta.example', 'ESMTP SMTP Lab'))).toBe(
      '220 mx1.beta.example ESMTP SMTP Lab\r\n',
    );
    expect(formatReply(R.closing())).toBe('221 2.0.0 Bye\r\n');
    expect(formatReply(R.queued('ABCDEF0001'))).toBe('250 2.0.0 Ok: queued as ABCDEF0001\r\n');
    expect(formatReply(R.startData())).toBe('354 End data with <CR><LF>.<CR><LF>\r\n');
    expect(formatReply(R.tooManyErrors('mx1.beta.example'))).toBe(
      '421 4.7.0 mx1.beta.example Error: too many errors\r\n',
    );
    expect(formatReply(R.userUnknown('carol@beta.example'))).toBe(
      '550 5.1.1 <carol@beta.example>: Recipient address rejected: User unknown in local recipient table\r\n',
    );
    expect(formatReply(R.relayDenied('bob@beta.example'))).toBe(
      '554 5.7.1 <bob@beta.example>: Relay access denied\r\n',
    );
    // RFC 4954 §6, RFC 3207 §4, RFC 3463 / RFC 6531 codes.
    expect(formatReply(R.authOk())).toBe('235 2.7.0 Authentication successful\r\n');
    expect(formatReply(R.authFailed())).toBe(
      '535 5.7.8 Error: authentication failed: authentication failure\r\n',
    );
    expect(formatReply(R.authRequired())).toBe('530 5.7.0 Authentication required\r\n');
    expect(formatReply(R.encryptionRequired())).toBe(
      '538 5.7.11 Encryption required for requested authentication mechanism\r\n',
    );
    expect(formatReply(R.tlsReady())).toBe('220 2.0.0 Ready to start TLS\r\n');
    expect(formatReply(R.tooManyHops())).toBe('554 5.4.6 Too many hops\r\n');
    expect(formatReply(R.storageFull())).toBe('452 4.3.1 Insufficient system storage\r\n');
    expect(formatReply(R.utf8Required())).toBe(
      '553 5.6.7 Must declare SMTPUTF8 to send unicode address\r\n',
    );
    expect(formatReply(R.greylisted('bob@beta.example'))).toBe(
      '451 4.7.1 <bob@beta.example>: Recipient address rejected: Greylisted, try again later\r\n',
    );
  });
});

describe('parseReply (scenario faults)', () => {
  it.each<[string, Reply | undefined]>([
    ['451 4.3.0 Try again later', reply(451, '4.3.0', 'Try again later')],
    ['554 No SMTP service here', reply(554, '', 'No SMTP service here')],
    ['421', reply(421, '', '')],
    ['452 4.3.1', reply(452, '4.3.1', '')],
    ['451 5.3.0 class mismatch', undefined],
    ['199 too low', undefined],
    ['45 short', undefined],
    ['451 4.3.0 bad\r\nline', undefined],
  ])('%j', (text, expected) => {
    expect(parseReply(text)).toEqual(expected);
  });
});
