import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/world';
import { builtInScenario, loadScenario, scenarioNames } from '../../../src/engine/scenario';
import { utf8 } from '../../../src/engine/bytes';
import { DEFAULT_RETRY } from '../../../src/engine/agents/mta';
import { submit, type SubmitResult } from '../../../src/engine/agents/mua';
import type { TraceEvent } from '../../../src/engine/trace';

const MSA = 'mail.alpha.example';

function relay(w: World, to: string[], body = 'hello\r\n') {
  w.mta(MSA)!.enqueue({
    id: 'Q1',
    from: { local: 'alice', domain: 'alpha.example' },
    recipients: to.map((a) => {
      const [local, domain] = a.split('@') as [string, string];
      return { mailbox: { local, domain } };
    }),
    content: utf8(`Subject: test\r\n\r\n${body}`),
  });
  w.settle();
}

/** What became of each recipient, leaving out the delivery of bounces to alice. */
const results = (w: World) =>
  w.trace.events.flatMap((e) =>
    e.type === 'queue.result' && e.rcpt !== 'alice@alpha.example'
      ? [`${e.host} ${e.rcpt} ${e.status} ${e.dsn}`]
      : [],
  );
const replies = (w: World, server: string) =>
  w.trace.events.flatMap((e: TraceEvent) =>
    e.type === 'smtp.reply' && e.server === server ? [e.lines.join('|')] : [],
  );

describe('built-in scenarios', () => {
  it.each(scenarioNames())('%s is valid and describes itself', (name) => {
    const scenario = builtInScenario(name);
    expect(scenario.name).toBe(name);
    expect(scenario.description.length).toBeGreaterThan(20);
  });

  it('mx-fallback: mx1 is down, mx2 takes the mail, queues it, and relays it when mx1 returns', () => {
    const w = new World(builtInScenario('mx-fallback'));
    relay(w, ['bob@beta.example']);
    w.advance(90_000);
    expect(results(w)).toContain('mail.alpha.example bob@beta.example sent 2.0.0');
    expect(w.mta('mx2.beta.example')!.entries()).toHaveLength(1);
    // mx1 is back after 20 minutes; mx2's next retry relays the message to it.
    w.advance(40 * 60_000);
    w.settle();
    expect(w.mta('mx2.beta.example')!.entries()).toEqual([]);
    expect(w.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('the host name of a mail host is one of its local domains (postmaster@mx1…)', () => {
    const w = new World(builtInScenario('default'));
    relay(w, ['postmaster@mx1.beta.example']);
    expect(w.mailstore('mx1.beta.example')!.messages('postmaster')).toHaveLength(1);
  });

  it('unknown-user: carol is rejected at RCPT and the message bounces to alice', () => {
    const w = new World(builtInScenario('unknown-user'));
    relay(w, ['carol@beta.example']);
    expect(results(w)).toContain('mail.alpha.example carol@beta.example bounced 5.1.1');
    expect(w.mailstore(MSA)!.messages('alice')[0]!.raw).toContain('Status: 5.1.1');
  });

  it('greylisting: 451 4.7.1 first, accepted on the retry five minutes later', () => {
    const w = new World(builtInScenario('greylisting'));
    relay(w, ['bob@beta.example']);
    expect(results(w)).toEqual([
      expect.stringMatching(/^mail\.alpha\.example bob@beta\.example deferred 4\.7\.1$/),
    ]);
    w.advance(DEFAULT_RETRY.first);
    w.settle();
    expect(results(w).at(-1)).toBe('mail.alpha.example bob@beta.example sent 2.0.0');
    expect(w.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });

  it('null-mx: mail to gamma.example bounces at once with 5.1.10', () => {
    const w = new World(builtInScenario('null-mx'));
    relay(w, ['anyone@gamma.example']);
    expect(results(w)).toEqual(['mail.alpha.example anyone@gamma.example bounced 5.1.10']);
  });

  it('open-relay: an outside host relays through mx1 to alpha.example', () => {
    const w = new World(builtInScenario('open-relay'));
    const host = 'spammer.outside.example';
    let result: SubmitResult | undefined;
    submit(
      w,
      {
        host,
        server: { host: 'mx1.beta.example', port: 25 },
        starttls: 'opportunistic',
        from: 'mallory@outside.example',
        to: ['alice@alpha.example'],
        subject: 'cheap watches',
        body: 'buy now',
      },
      (r) => (result = r),
    );
    w.settle();
    expect(result?.ok).toBe(true);
    expect(w.mailstore(MSA)!.messages('alice')).toHaveLength(1);
  });

  it('size-limit: SIZE 10000 is advertised and a larger message is refused with 552', () => {
    const w = new World(builtInScenario('size-limit'));
    relay(w, ['bob@beta.example'], `${'x'.repeat(76)}\r\n`.repeat(200));
    expect(replies(w, 'mx1.beta.example').some((r) => r.includes('250-SIZE 10000'))).toBe(true);
    expect(results(w)).toEqual([expect.stringMatching(/bob@beta\.example bounced 5\.3\.4$/)]);
  });

  it('dns-failure: SERVFAIL for beta.example defers the mail', () => {
    const w = new World(builtInScenario('dns-failure'));
    relay(w, ['bob@beta.example']);
    expect(results(w)).toEqual(['mail.alpha.example bob@beta.example deferred 4.4.3']);
  });

  it('slow-link: the same delivery takes longer, and the same seed takes exactly as long', () => {
    const time = (name: string) => {
      const w = new World(builtInScenario(name));
      relay(w, ['bob@beta.example']);
      return w.trace.events.find((e) => e.type === 'mail.delivered')!.t;
    };
    expect(time('slow-link')).toBeGreaterThan(10 * time('default'));
    expect(time('slow-link')).toBe(time('slow-link'));
  });
});

describe('extends', () => {
  it('merges hosts by name and services by port, and removes entries on request', () => {
    const s = loadScenario(
      {
        name: 'mine',
        extends: 'default',
        hosts: [{ name: 'mx1.beta.example', smtp: [{ port: 25, maxMessageSize: 5000 }] }],
        users: [{ address: 'bob@beta.example', remove: true }],
      },
      'mine.json',
    );
    expect(s.hosts.find((h) => h.name === 'mx1.beta.example')!.smtp[0]!.maxMessageSize).toBe(5000);
    expect(s.hosts).toHaveLength(5);
    expect(s.users.map((u) => u.address)).not.toContain('bob@beta.example');
  });

  it('names the file and the field when extends is wrong', () => {
    expect(() => loadScenario({ name: 'x', extends: 'nope' }, 'x.json')).toThrow(
      'x.json: extends: no scenario named "nope"',
    );
    expect(() =>
      loadScenario(
        { name: 'x', extends: 'default', users: [{ address: 'zed@beta.example', remove: true }] },
        'x.json',
      ),
    ).toThrow(
      'x.json: invalid scenario\n  users.0.remove: nothing inherited has address zed@beta.example',
    );
  });
});

describe('the delivery agent: aliases and quotas', () => {
  it('expands an alias to its mailboxes and accepts it at RCPT time', () => {
    const w = new World(
      loadScenario(
        {
          name: 'aliases',
          extends: 'default',
          aliases: [
            { address: 'team@beta.example', to: ['bob@beta.example', 'carol@beta.example'] },
          ],
        },
        'aliases.json',
      ),
    );
    relay(w, ['team@beta.example']);
    expect(w.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
    expect(w.mailstore('mx1.beta.example')!.messages('carol')).toHaveLength(1);
  });

  it('a full mailbox answers 452 4.2.2 at RCPT time, and the sender retries later', () => {
    const w = new World(
      loadScenario(
        {
          name: 'quota',
          extends: 'default',
          users: [{ address: 'bob@beta.example', mailHost: 'mx1.beta.example', quotaBytes: 250 }],
        },
        'quota.json',
      ),
    );
    relay(w, ['bob@beta.example']);
    relay(w, ['bob@beta.example']);
    expect(w.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
    expect(results(w)).toEqual([
      'mx1.beta.example bob@beta.example sent 2.0.0',
      'mail.alpha.example bob@beta.example sent 2.0.0',
      'mail.alpha.example bob@beta.example deferred 4.2.2',
    ]);
    expect(replies(w, 'mx1.beta.example')).toContain(
      '452 4.2.2 <bob@beta.example>: Recipient address rejected: Mailbox full',
    );
  });
});

describe('network faults', () => {
  it('a reset mid-session defers the mail, and the retry delivers it', () => {
    const w = new World(
      loadScenario(
        {
          name: 'reset',
          extends: 'default',
          hosts: [
            {
              name: 'mx1.beta.example',
              smtp: [{ port: 25, resets: [{ command: 'DATA', times: 1 }] }],
            },
          ],
        },
        'reset.json',
      ),
    );
    relay(w, ['bob@beta.example']);
    expect(w.trace.events.some((e) => e.type === 'net.reset' && e.by === 'mx1.beta.example')).toBe(
      true,
    );
    // mx1 reset the connection; the backup MX takes the mail instead.
    expect(results(w)[0]).toMatch(/^mail\.alpha\.example bob@beta\.example sent/);
    w.advance(DEFAULT_RETRY.first);
    w.settle();
    expect(w.mailstore('mx1.beta.example')!.messages('bob')).toHaveLength(1);
  });
});
