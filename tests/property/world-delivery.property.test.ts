/**
 * Mail is never lost (issue 4): whatever the faults, every recipient of every message the
 * MSA accepted with 250 ends in exactly one state — delivered once, bounced (a DSN in the
 * sender's mailbox), or still queued with a next attempt — and no bounce goes to <>.
 * The same seed and inputs give the same trace.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { World } from '../../src/engine/world';
import { loadScenario } from '../../src/engine/scenario';
import { submit } from '../../src/engine/agents/mua';
import { text } from '../../src/engine/bytes';
import { DEFAULT_RETRY } from '../../src/engine/agents/mta';

const POOL = [
  'bob@beta.example',
  'carol@beta.example',
  'dave@beta.example', // no such user: 550 5.1.1 at mx1
  'alice@alpha.example', // local to the MSA
  'someone@nosuch.example', // NXDOMAIN
  'anyone@gamma.example', // null MX
];

const FAULTS = {
  mx1Down: { type: 'host-down', host: 'mx1.beta.example' },
  mx2Down: { type: 'host-down', host: 'mx2.beta.example' },
  dnsFailure: { type: 'dns-servfail', name: 'beta.example' },
} as const;

interface Case {
  seed: number;
  faults: (keyof typeof FAULTS)[];
  greylisting: boolean;
  messages: { to: string[]; gap: number }[];
  /** When (virtual ms) mx1 comes back, if it was down. */
  recoverAfter: number;
  /** How long to let the world run after the last message. */
  runFor: number;
}

const caseArb: fc.Arbitrary<Case> = fc.record({
  seed: fc.integer({ min: 1, max: 1_000_000 }),
  faults: fc.subarray(Object.keys(FAULTS) as (keyof typeof FAULTS)[]),
  greylisting: fc.boolean(),
  messages: fc.array(
    fc.record({
      to: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 4 }),
      gap: fc.integer({ min: 0, max: 20 * 60_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  recoverAfter: fc.integer({ min: 0, max: 6 * 3_600_000 }),
  runFor: fc.constantFrom(0, 10 * 60_000, 3_600_000, DEFAULT_RETRY.lifetime + 2 * 3_600_000),
});

function run(c: Case) {
  const world = new World(
    loadScenario(
      {
        name: 'property',
        extends: 'default',
        seed: c.seed,
        records: [{ type: 'MX', name: 'gamma.example', preference: 0, value: '.' }],
        faults: c.faults.map((f) => FAULTS[f]),
        ...(c.greylisting
          ? {
              hosts: [
                {
                  name: 'mx1.beta.example',
                  smtp: [{ port: 25, greylisting: { delaySeconds: 300 } }],
                },
              ],
            }
          : {}),
      },
      'property scenario',
    ),
  );
  if (c.faults.includes('mx1Down')) {
    world.clock.after(c.recoverAfter, () => world.net.setUp('mx1.beta.example', true));
  }
  const accepted: { messageId: string; to: string[] }[] = [];
  c.messages.forEach((m, i) => {
    world.advance(m.gap);
    submit(
      world,
      {
        host: 'laptop.alpha.example',
        server: { host: 'mail.alpha.example', port: 587 },
        account: { username: 'alice', password: 'wonderland' },
        from: 'alice@alpha.example',
        to: m.to,
        subject: `message ${i}`,
        body: `body ${i}\n`,
      },
      (r) => {
        // The MSA answered 250 to the end of data: from now on the mail is its problem.
        if (r.ok) accepted.push({ messageId: r.messageId, to: m.to });
      },
    );
    world.settle();
  });
  world.advance(c.runFor);
  // Let attempts in progress finish (a connect to a down host waits 30 s); retries, minutes
  // ahead, stay in the queue.
  world.clock.settle(2 * 60_000);
  return { world, accepted };
}

function fate(world: World, messageId: string, rcpt: string) {
  const mailboxes = world.scenario.hosts.flatMap((h) => {
    const store = world.mailstore(h.name);
    return store ? store.users().flatMap((u) => store.messages(u)) : [];
  });
  const id = `Message-ID: <${messageId}>`;
  const delivered = mailboxes.filter(
    (m) => m.from !== '' && m.to === rcpt && m.raw.includes(id),
  ).length;
  const bounced = world
    .mailstore('mail.alpha.example')!
    .messages('alice')
    .filter(
      (m) =>
        m.from === '' &&
        m.raw.includes(id) &&
        new RegExp(`Final-Recipient: rfc822; ${rcpt.replace('.', '\\.')}\\r\\nAction: failed`).test(
          m.raw,
        ),
    ).length;
  const queued = world.scenario.hosts
    .flatMap((h) => world.mta(h.name)?.entries() ?? [])
    .filter(
      (e) =>
        e.nextAttempt !== null &&
        text(e.content).includes(id) &&
        e.recipients.some(
          (r) =>
            r.state === 'queued' && `${r.spec.mailbox.local}@${r.spec.mailbox.domain}` === rcpt,
        ),
    ).length;
  return { delivered, bounced, queued };
}

describe('mail is never lost', () => {
  it('every accepted recipient is delivered once, bounced, or queued — never two, never none', () => {
    const seen = { delivered: 0, bounced: 0, queued: 0 };
    fc.assert(
      fc.property(caseArb, (c) => {
        const { world, accepted } = run(c);
        for (const message of accepted) {
          for (const rcpt of message.to) {
            const f = fate(world, message.messageId, rcpt);
            expect(f.delivered, `${rcpt} delivered at most once`).toBeLessThanOrEqual(1);
            expect(f.delivered + f.bounced + f.queued, `${rcpt}: ${JSON.stringify(f)}`).toBe(1);
            seen.delivered += f.delivered;
            seen.bounced += f.bounced;
            seen.queued += f.queued;
          }
        }
        // Bounces go to a real sender, and a bounce (from <>) never causes another.
        const senders = new Map<string, string>();
        for (const e of world.trace.events) {
          if (e.type === 'queue.added') senders.set(`${e.host}/${e.queueId}`, e.from);
          if (e.type === 'mail.bounce') {
            expect(e.to).not.toBe('');
            expect(senders.get(`${e.host}/${e.queueId}`)).not.toBe('');
          }
        }
      }),
      { seed: 5321, numRuns: 60 },
    );
    // The generator reaches every outcome, so the property is not passing vacuously.
    expect(seen.delivered).toBeGreaterThan(20);
    expect(seen.bounced).toBeGreaterThan(20);
    expect(seen.queued).toBeGreaterThan(5);
  });

  it('the same seed and inputs give the same trace, byte for byte', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        expect(JSON.stringify(run(c).world.trace.events)).toBe(
          JSON.stringify(run(c).world.trace.events),
        );
      }),
      { seed: 6531, numRuns: 10 },
    );
  });
});
