/**
 * The text alternatives: the transcript read out to screen readers (one line per command,
 * reply and connection step, named by host, capped in length, bounded in number with a
 * note when a burst is cut short) and the descriptions of the sequence and topology
 * diagrams (every host, every message, the outcomes: bounces, failed connections, hosts
 * down).
 */
import { describe, expect, it } from 'vitest';
import { describeSequence, describeTopology } from '../../../src/ui/a11y/describe';
import {
  LINES,
  MAX_LINE,
  SKIPPED,
  transcriptBatch,
  transcriptLine,
} from '../../../src/ui/a11y/transcript';
import {
  describeSequenceModel,
  journeyDiagram,
  sessionDiagram,
} from '../../../src/ui/diagram/sequence';
import { buildTopology } from '../../../src/ui/diagram/topology';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { loadScenario } from '../../../src/store/scenarios';
import { run, submission } from './support';

describe('the transcript', () => {
  const rt = run('default', [
    ...submission('bob@beta.example'),
    'telnet mx1.beta.example 26',
    'telnet mx1.beta.example 25',
    `NOOP ${'x'.repeat(400)}`,
    'QUIT',
  ]);
  const events = rt.lab.world.trace.events;
  const index = traceIndex(rt.lab.world);
  const all = events.flatMap((e) => transcriptLine(e, index) ?? []);

  it('reads each step of the conversation, hosts by their short names', () => {
    expect(all.slice(0, 3)).toEqual([
      'laptop connects to mail port 587',
      'mail to laptop: 220 mail.alpha.example ESMTP SMTP Lab',
      'laptop to mail: EHLO laptop.alpha.example',
    ]);
    expect(all).toContain('laptop to mail: AUTH PLAIN ****');
    expect(all).toContain('laptop to mail: message text, 3 lines, then a dot');
    expect(all).toContain('mail and mx1 start TLS (TLSv1.3)');
    expect(all).toContain('laptop cannot connect to mx1: port closed');
    expect(all).toContain('connection laptop to mx1 closed by mx1');
    // A multi-line reply is one line, its lines joined.
    expect(all).toContain(
      'mx1 to mail: 250-mx1.beta.example / 250-PIPELINING / 250-SIZE 10240000 / 250-STARTTLS / ' +
        '250-ENHANCEDSTATUSCODES / 250-8BITMIME / 250-DSN / 250-SMTPUTF8 / 250 CHUNKING',
    );
    // DNS, queue and delivery events are not part of the conversation.
    const dns = events.find((e) => e.type === 'dns.query')!;
    expect(transcriptLine(dns, index)).toBeUndefined();
    expect(events.some((e) => e.type === 'mail.delivered')).toBe(true);
    expect(all.some((l) => l.includes('delivered'))).toBe(false);
  });

  it('cuts a long line short, with an ellipsis', () => {
    const long = all.find((l) => l.startsWith('laptop to mx1: NOOP '))!;
    expect(long).toHaveLength(MAX_LINE);
    expect(long.endsWith('x…')).toBe(true);
    expect(all.every((l) => l.length <= MAX_LINE)).toBe(true);
  });

  it('gives the new lines as they are, when there are few', () => {
    const at = events.length - 3;
    const fresh = events.slice(at).flatMap((e) => transcriptLine(e, index) ?? []);
    expect(fresh.length).toBeGreaterThan(0);
    expect(transcriptBatch(events, at, index)).toEqual(fresh);
    expect(transcriptBatch(events, events.length, index)).toEqual([]);
  });

  it('reads out at most LINES of a burst, the latest, after a note that some were skipped', () => {
    const batch = transcriptBatch(events, 0, index);
    expect(all.length).toBeGreaterThan(LINES);
    expect(batch).toHaveLength(LINES);
    expect(batch[0]).toBe(SKIPPED);
    expect(batch.slice(1)).toEqual(all.slice(-(LINES - 1)));
    // Kept with older lines, as the live region keeps them, the note is not the one dropped.
    expect([...all.slice(0, 5), ...batch].slice(-LINES)).toEqual(batch);
  });
});

describe('the sequence diagram, in words', () => {
  it('names both hosts of every message and note, the angle brackets decoded', () => {
    const rt = run('default', submission('bob@beta.example'));
    const index = traceIndex(rt.lab.world);
    const own = index.conns.get('c1')!.events.map((i) => rt.events[i]!);
    const lines = describeSequenceModel(sessionDiagram(own, 'c1'));
    expect(lines.slice(0, 3)).toEqual([
      'laptop.alpha.example to mail.alpha.example: TCP connect to port 587',
      'mail.alpha.example to laptop.alpha.example: 220 mail.alpha.example ESMTP SMTP Lab',
      'laptop.alpha.example to mail.alpha.example: EHLO laptop.alpha.example',
    ]);
    expect(lines).toContain(
      'laptop.alpha.example to mail.alpha.example: MAIL FROM:<alice@alpha.example>',
    );
    expect(lines).toContain(
      'Note at laptop.alpha.example and mail.alpha.example: AUTH: AUTH PLAIN ****',
    );
    expect(lines.some((l) => /: 250 2\.0\.0 Ok: queued as [0-9A-F]{10}$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe(
      'Note at laptop.alpha.example and mail.alpha.example: connection closed by mail.alpha.example',
    );
    // Nothing of the Mermaid syntax is left.
    expect(lines.join('\n')).not.toMatch(/#\d+;|<br\/>|->>|-->>|\bP\d\b/);
  });

  it('tells the outcome of a bounce: the rejection, the DSN and where it went', () => {
    const rt = run('default', submission('nobody@beta.example'), 120_000);
    const index = traceIndex(rt.lab.world);
    const lines = describeSequenceModel(journeyDiagram(index, index.origins()[0]!));
    expect(lines).toContain(
      'mx1.beta.example to mail.alpha.example: 550 5.1.1 <nobody@beta.example>: Recipient address rejected: User unknown in local recipient table',
    );
    const bounce = lines.findIndex((l) =>
      /^Note at mail\.alpha\.example: bounce \(DSN [0-9A-F]{10}\) to alice@alpha\.example: nobody@beta\.example 5\.1\.1$/.test(
        l,
      ),
    );
    expect(bounce).toBeGreaterThan(0);
    expect(lines[bounce + 1]).toBe(
      'mail.alpha.example to mailbox alice@mail: bounce delivered to /var/mail/alice',
    );
  });

  it('marks a connection that failed, and says why and what happened next', () => {
    const rt = run('mx-fallback', submission('bob@beta.example'), 120_000);
    const index = traceIndex(rt.lab.world);
    const lines = describeSequenceModel(journeyDiagram(index, index.origins()[0]!));
    const failed = lines.indexOf(
      'mail.alpha.example to mx1.beta.example (failed): TCP connect to port 25',
    );
    expect(failed).toBeGreaterThan(0);
    const why = lines.indexOf(
      'Note at mail.alpha.example and mx1.beta.example: no answer within 30 s (Connection timed out)',
    );
    expect(why).toBeGreaterThan(failed);
    expect(
      lines.indexOf('mail.alpha.example to mx2.beta.example: TCP connect to port 25'),
    ).toBeGreaterThan(why);
    expect(
      lines.some((l) =>
        /^Note at mx2\.beta\.example: [0-9A-F]{10} deferred \(4\.4\.1\), stays in the queue/.test(
          l,
        ),
      ),
    ).toBe(true);
  });

  it("reads a lesson's Mermaid source, multi-line labels on one line", () => {
    const source = [
      'sequenceDiagram',
      '  participant A as one#46;example',
      '  participant B as two',
      '  A->>B: first<br/>second',
      '  Note over B: a #60;note#62;',
    ].join('\n');
    expect(describeSequence(source)).toEqual([
      'one.example to two: first / second',
      'Note at two: a <note>',
    ]);
  });
});

describe('the topology, in words', () => {
  const scenario = loadScenario('mx-fallback');
  const lines = describeTopology(scenario, buildTopology(scenario));

  it('names every host with its role and address, and which are down', () => {
    for (const host of scenario.hosts)
      expect(lines.some((l) => l.startsWith(`${host.name}: `) && l.includes(host.address))).toBe(
        true,
      );
    expect(lines).toContain('mx1.beta.example: MX server, 203.0.113.25, DOWN.');
    expect(lines).toContain('mx2.beta.example: MX server, 203.0.113.26.');
    expect(lines.filter((l) => l.includes('DOWN'))).toHaveLength(1);
  });

  it('lists the mailboxes, the paths mail takes, and the name server', () => {
    expect(lines).toContain('Mailboxes on mx1.beta.example: bob, carol, postmaster.');
    expect(lines).toContain('mail.alpha.example and mx2.beta.example exchange mail (SMTP).');
    expect(lines).toContain('mx2.beta.example and mx1.beta.example exchange mail (SMTP).');
    expect(lines).toContain('mx1.beta.example delivers into the mailboxes on mx1.beta.example.');
    expect(lines.at(-1)).toBe('Every other host asks ns.example for DNS.');
  });

  it('follows the hosts down now, not only those the scenario starts down', () => {
    const now = describeTopology(
      scenario,
      buildTopology(scenario, [], new Set(['mx2.beta.example'])),
    );
    expect(now).toContain('mx2.beta.example: MX server, 203.0.113.26, DOWN.');
    expect(now).toContain('mx1.beta.example: MX server, 203.0.113.25.');
  });
});
