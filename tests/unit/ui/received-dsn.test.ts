import { describe, expect, it } from 'vitest';
import { explainField, explainStatus, parseDeliveryStatus } from '../../../src/ui/model/dsn';
import { explainHop, protocolMeaning, receivedChain } from '../../../src/ui/model/received';
import { envelopeOf } from '../../../src/ui/inspector/envelope';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

describe('the Received: chain', () => {
  const rt = run('default', submission('bob@beta.example'));
  const [message] = rt.lab.world.mailstore('mx1.beta.example')!.messages('bob');
  const header = message!.raw.split('\r\n\r\n')[0]!;

  it('reads bottom-up, first hop first', () => {
    const chain = receivedChain(header);
    expect(chain.map((h) => [h.hop, h.helo, h.by, h.protocol])).toEqual([
      [1, 'laptop.alpha.example', 'mail.alpha.example', 'ESMTPA'],
      [2, 'mail.alpha.example', 'mx1.beta.example', 'ESMTPS'],
    ]);
    expect(chain[0]).toMatchObject({
      address: '192.0.2.10',
      reverse: 'laptop.alpha.example',
      for: 'bob@beta.example',
    });
    expect(chain[1]!.date).toMatch(/^Mon, 5 Jan 2026 09:00:0\d \+0000$/);
  });

  it('explains each hop', () => {
    const [first] = receivedChain(header);
    const text = explainHop(first!).join(' ');
    expect(text).toContain(
      'mail.alpha.example received the message from laptop.alpha.example at 192.0.2.10.',
    );
    expect(text).toContain('matches its address');
    expect(text).toContain('the client authenticated (SMTP AUTH)');
    expect(protocolMeaning('ESMTPSA')).toBe(
      'ESMTP: the client greeted with EHLO; over TLS; the client authenticated (SMTP AUTH)',
    );
    const liar = explainHop({
      hop: 1,
      raw: '',
      helo: 'bank.example',
      reverse: 'laptop.alpha.example',
      address: '192.0.2.10',
      by: 'mx',
    });
    expect(liar.join(' ')).toContain('only its own claim');
  });

  it('finds the envelope the last server received', () => {
    const index = traceIndex(rt.lab.world);
    const env = envelopeOf(
      rt.events,
      index.accepted.get(message!.queueId),
      (c) => index.conns.get(c)?.events,
    );
    expect(env).toMatchObject({
      client: 'mail.alpha.example',
      server: 'mx1.beta.example',
      rcptTo: ['RCPT TO:<bob@beta.example>'],
    });
    expect(env!.mailFrom).toMatch(/^MAIL FROM:<alice@alpha\.example> SIZE=\d+ RET=FULL$/);
  });
});

describe('delivery status notifications', () => {
  it('parses and explains a bounce', () => {
    const rt = run('default', submission('nobody@beta.example'));
    const [dsn] = rt.lab.world.mailstore('mail.alpha.example')!.messages('alice');
    const part = dsn!.raw
      .split('Content-Type: message/delivery-status\r\n\r\n')[1]!
      .split('\r\n--')[0]!;
    const fields = parseDeliveryStatus(part);
    expect(fields.message[0]).toEqual(['Reporting-MTA', 'dns; mail.alpha.example']);
    const rcpt = Object.fromEntries(fields.recipients[0]!);
    expect(rcpt).toMatchObject({
      'Final-Recipient': 'rfc822; nobody@beta.example',
      Action: 'failed',
      Status: '5.1.1',
      'Remote-MTA': 'dns; mx1.beta.example',
    });
    expect(explainField('Status', '5.1.1')).toBe(
      'permanent failure: will not succeed as sent; addressing status; bad destination mailbox address: the mailbox does not exist',
    );
    expect(explainField('Diagnostic-Code', rcpt['Diagnostic-Code']!)).toMatch(
      /^the remote server's SMTP reply: 550 5\.1\.1/,
    );
  });

  it('explains status codes it knows, classes and subjects of those it does not', () => {
    expect(explainStatus('4.4.1')).toBe(
      'persistent transient failure: may succeed if tried again; network and routing status; no answer from host',
    );
    expect(explainStatus('5.1.10')).toContain('null MX');
    expect(explainStatus('5.9.99')).toBe('permanent failure: will not succeed as sent; subject 9');
    expect(explainStatus('nonsense')).toBe('not an RFC 3463 status code');
  });
});
