import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/world';
import { parseScenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import { DEFAULT_RETRY } from '../../../src/engine/agents/mta';
import { utf8 } from '../../../src/engine/bytes';
import type { RecipientSpec } from '../../../src/engine/smtp/client';
import type { TraceEvent } from '../../../src/engine/trace';

const MSA = 'mail.alpha.example';
const alice = { local: 'alice', domain: 'alpha.example' };
const rcpt = (address: string, extra: Partial<RecipientSpec> = {}): RecipientSpec => {
  const [local, domain] = address.split('@') as [string, string];
  return { mailbox: { local, domain }, ...extra };
};

function world(extra: Partial<typeof defaultScenario> = {}) {
  return new World(parseScenario({ ...defaultScenario, ...extra }, 'test'));
}

function send(w: World, to: RecipientSpec[], from: typeof alice | null = alice, id = 'Q1') {
  w.mta(MSA)!.enqueue({
    id,
    from,
    recipients: to,
    content: utf8('Subject: test\r\n\r\nhello\r\n'),
  });
  w.settle();
}

const logs = (w: World, host = MSA) =>
  w.trace.events.flatMap((e) =>
    e.type === 'log' && e.host === host ? [`${e.program}: ${e.text}`] : [],
  );
const bounces = (w: World) =>
  w.trace.events.filter(
    (e): e is Extract<TraceEvent, { type: 'mail.bounce' }> => e.type === 'mail.bounce',
  );
const inbox = (w: World, host: string, user: string) => w.mailstore(host)!.messages(user);

describe('relaying through MX', () => {
  it('resolves MX, relays to the primary, and logs like Postfix', () => {
    const w = world();
    send(w, [rcpt('bob@beta.example')]);
    expect(inbox(w, 'mx1.beta.example', 'bob')).toHaveLength(1);
    expect(w.mta(MSA)!.entries()).toEqual([]);
    const log = logs(w);
    expect(log[0]).toBe(
      'postfix/qmgr: Q1: from=<alice@alpha.example>, size=24, nrcpt=1 (queue active)',
    );
    expect(log[1]).toMatch(
      /^postfix\/smtp: Q1: to=<bob@beta\.example>, relay=mx1\.beta\.example\[203\.0\.113\.25\]:25, delay=0\.\d+, dsn=2\.0\.0, status=sent \(250 2\.0\.0 Ok: queued as [0-9A-F]{10}\)$/,
    );
    expect(log.at(-1)).toBe('postfix/qmgr: Q1: removed');
    // The MX lookup went over the network.
    expect(
      w.trace.events.some(
        (e) => e.type === 'dns.query' && e.name === 'beta.example' && e.qtype === 'MX',
      ),
    ).toBe(true);
  });

  it('makes one transaction per destination domain and splits the results per recipient', () => {
    const w = world();
    send(w, [rcpt('bob@beta.example'), rcpt('carol@beta.example'), rcpt('alice@alpha.example')]);
    expect(inbox(w, 'mx1.beta.example', 'bob')).toHaveLength(1);
    expect(inbox(w, 'mx1.beta.example', 'carol')).toHaveLength(1);
    expect(inbox(w, MSA, 'alice')).toHaveLength(1);
    const relayed = w.trace.events.filter(
      (e) => e.type === 'mail.accepted' && e.host === 'mx1.beta.example',
    );
    expect(relayed).toHaveLength(1);
    expect(relayed[0]).toMatchObject({ to: ['bob@beta.example', 'carol@beta.example'] });
  });

  it('falls back to the backup MX when the primary is down, which relays when the primary returns', () => {
    const w = world({ faults: [{ type: 'host-down', host: 'mx1.beta.example' }] });
    send(w, [rcpt('bob@beta.example')]);
    w.advance(90_000); // mail.alpha waits 30 s for mx1, then mx2 waits 30 s for it too
    expect(w.mta(MSA)!.entries()).toEqual([]);
    expect(
      logs(w).some(
        (l) => l.includes('relay=mx2.beta.example[203.0.113.26]:25') && l.includes('status=sent'),
      ),
    ).toBe(true);
    const held = w.mta('mx2.beta.example')!.entries();
    expect(held).toHaveLength(1);
    expect(held[0]!.recipients[0]!.lastError).toBe(
      'connect to mx1.beta.example[203.0.113.25]:25: Connection timed out',
    );

    w.net.setUp('mx1.beta.example', true);
    w.advance(DEFAULT_RETRY.first);
    expect(w.mta('mx2.beta.example')!.entries()).toEqual([]);
    expect(inbox(w, 'mx1.beta.example', 'bob')).toHaveLength(1);
  });
});

describe('deferrals and retries (RFC 5321 §4.5.4.1)', () => {
  it('defers on a temporary DNS failure and retries with a doubling back-off', () => {
    const w = world({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });
    send(w, [rcpt('bob@beta.example')]);
    const [entry] = w.mta(MSA)!.entries();
    expect(entry!.recipients[0]!.lastError).toMatch(
      /Name service error for name=beta\.example type=MX: Host not found, try again/,
    );
    expect(entry!.nextAttempt).toBe(w.clock.now + DEFAULT_RETRY.first);
    w.advance(DEFAULT_RETRY.first);
    w.settle();
    expect(w.mta(MSA)!.entries()[0]!.attempts).toBe(2);
    expect(w.mta(MSA)!.entries()[0]!.nextAttempt! - w.clock.now).toBe(2 * DEFAULT_RETRY.first);
  });

  it('warns the sender once after warnAfter, then bounces when the lifetime ends', () => {
    const w = world({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });
    send(w, [rcpt('bob@beta.example')]);
    w.advance(DEFAULT_RETRY.warnAfter + DEFAULT_RETRY.max);
    expect(bounces(w).map((b) => b.action)).toEqual(['delayed']);
    const warning = inbox(w, MSA, 'alice')[0]!.raw;
    expect(warning).toContain('Subject: Delayed Mail (still being retried)');
    expect(warning).toContain('Action: delayed');
    expect(warning).toContain('Will-Retry-Until: Tue, 6 Jan 2026 09:00:00 +0000');

    w.advance(DEFAULT_RETRY.lifetime);
    expect(w.mta(MSA)!.entries()).toEqual([]);
    expect(bounces(w).map((b) => b.action)).toEqual(['delayed', 'failed']);
    const bounce = inbox(w, MSA, 'alice')[1]!.raw;
    expect(bounce).toContain('Action: failed');
    expect(bounce).toContain('Status: 5.4.7');
    expect(logs(w).some((l) => l.includes('status=expired, returned to sender'))).toBe(true);
  });

  it('deferrals are marked in the trace with the next attempt', () => {
    const w = world({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });
    send(w, [rcpt('bob@beta.example')]);
    const deferred = w.trace.events.find((e) => e.type === 'queue.deferred');
    expect(deferred).toMatchObject({
      host: MSA,
      queueId: 'Q1',
      nextAttempt: w.clock.now + DEFAULT_RETRY.first,
    });
  });
});

describe('bounces (RFC 3464, RFC 6522)', () => {
  it('bounces a 5xx at RCPT with a delivery-status report to the envelope sender, from <>', () => {
    const w = world();
    send(w, [rcpt('nobody@beta.example'), rcpt('bob@beta.example')]);
    expect(inbox(w, 'mx1.beta.example', 'bob')).toHaveLength(1);
    const [dsn] = inbox(w, MSA, 'alice');
    expect(dsn!.from).toBe('');
    const raw = dsn!.raw;
    expect(raw).toMatch(/^Return-Path: <>\r\n/);
    expect(raw).toContain('Content-Type: multipart/report; report-type=delivery-status;');
    expect(raw).toContain('Subject: Undelivered Mail Returned to Sender');
    expect(raw).toContain('Reporting-MTA: dns; mail.alpha.example');
    expect(raw).toContain('Arrival-Date: Mon, 5 Jan 2026 09:00:00 +0000');
    expect(raw).toContain(
      'Final-Recipient: rfc822; nobody@beta.example\r\nAction: failed\r\nStatus: 5.1.1\r\nRemote-MTA: dns; mx1.beta.example\r\nDiagnostic-Code: smtp; 550 5.1.1 <nobody@beta.example>: Recipient address rejected: User unknown in local recipient table',
    );
    expect(raw).not.toContain('Final-Recipient: rfc822; bob@beta.example');
    // The part for people says it as Postfix does.
    expect(raw).toContain(
      '<nobody@beta.example>: host mx1.beta.example[203.0.113.25] said: 550 5.1.1 <nobody@beta.example>: Recipient address rejected: User unknown in local recipient table (in reply to RCPT TO command)',
    );
    expect(raw).toContain('Content-Type: message/rfc822\r\n\r\nSubject: test\r\n\r\nhello');
  });

  it('bounces an unknown domain (5.1.2) and a null MX (5.1.10)', () => {
    const w = world({
      records: [{ type: 'MX', name: 'nomail.example', preference: 0, value: '.' }],
    });
    send(w, [rcpt('x@nosuch.example'), rcpt('y@nomail.example')]);
    expect(bounces(w)[0]!.recipients).toEqual([
      { rcpt: 'x@nosuch.example', status: '5.1.2' },
      { rcpt: 'y@nomail.example', status: '5.1.10' },
    ]);
  });

  it('never bounces a message whose sender is <>', () => {
    const w = world();
    send(w, [rcpt('nobody@beta.example')], null);
    expect(bounces(w)).toEqual([]);
    expect(w.mta(MSA)!.entries()).toEqual([]);
    expect(
      logs(w).some((l) => l.includes('to=<nobody@beta.example>') && l.includes('status=bounced')),
    ).toBe(true);
  });

  it('honours NOTIFY=NEVER and NOTIFY=SUCCESS (no failure report)', () => {
    const w = world();
    send(w, [
      rcpt('nobody@beta.example', { notify: 'NEVER' }),
      rcpt('ghost@beta.example', { notify: ['SUCCESS'] }),
    ]);
    expect(bounces(w)).toEqual([]);
  });

  it('returns only the headers when RET=HDRS', () => {
    const w = world();
    w.mta(MSA)!.enqueue({
      id: 'Q9',
      from: alice,
      recipients: [rcpt('nobody@beta.example')],
      content: utf8('Subject: secret\r\n\r\nthe body\r\n'),
      ret: 'HDRS',
    });
    w.settle();
    const raw = inbox(w, MSA, 'alice')[0]!.raw;
    expect(raw).toContain('Content-Type: text/rfc822-headers\r\n\r\nSubject: secret');
    expect(raw).not.toContain('the body');
  });
});

describe('queue administration', () => {
  it('postqueue -f retries now and postsuper -d deletes', () => {
    const w = world({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });
    send(w, [rcpt('bob@beta.example')], alice, 'Q1');
    send(w, [rcpt('carol@beta.example')], alice, 'Q2');
    const mta = w.mta(MSA)!;
    mta.flush();
    w.settle();
    expect(mta.entries().map((e) => e.attempts)).toEqual([2, 2]);
    expect(mta.remove('Q1')).toBe(true);
    expect(mta.remove('Q1')).toBe(false);
    expect(mta.entries().map((e) => e.id)).toEqual(['Q2']);
    expect(logs(w)).toContain('postfix/postsuper: Q1: deleted');
  });
});
