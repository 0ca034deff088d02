import { describe, expect, it } from 'vitest';
import {
  journeyDiagram,
  sessionDiagram,
  latestSmtpConnection,
} from '../../../src/ui/diagram/sequence';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

/** Message and note texts of a diagram source, in order (labels decoded enough to read). */
function statements(source: string): string[] {
  return source
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => !l.startsWith('participant') && l !== 'end' && !l.startsWith('rect'))
    .map((l) => l.replace(/#(\d+);/g, (_, c: string) => String.fromCodePoint(Number(c))));
}

describe('session diagrams', () => {
  const rt = run('default', submission('bob@beta.example'));
  const index = traceIndex(rt.lab.world);
  const events = (conn: string) => index.conns.get(conn)!.events.map((i) => rt.events[i]!);

  it('draws one connection: commands and replies in order, AUTH as a note', () => {
    const { source, total, shown } = sessionDiagram(events('c1'), 'c1');
    expect(total).toBe(shown);
    expect(source).toContain('participant C as laptop.alpha.example');
    expect(source).toContain('participant S as mail.alpha.example');
    const lines = statements(source);
    const expected = [
      'C->>S: TCP connect to port 587',
      'S-->>C: 220 mail.alpha.example ESMTP SMTP Lab',
      'C->>S: EHLO laptop.alpha.example',
      'Note over C,S: AUTH: AUTH PLAIN ****',
      'S-->>C: 235 2.7.0 Authentication successful',
      'C->>S: MAIL FROM:<alice@alpha.example>',
      'C->>S: RCPT TO:<bob@beta.example>',
      'C->>S: DATA',
      'C->>S: QUIT',
    ];
    const at = expected.map((e) => lines.indexOf(e));
    expect(
      at.every((i) => i >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('shows STARTTLS as a note on the relay session', () => {
    const relay = index.sessions.find(
      (c) => index.conns.get(c)!.from.host === 'mail.alpha.example',
    )!;
    const lines = statements(sessionDiagram(events(relay), relay).source);
    expect(lines).toContain(
      'Note over C,S: STARTTLS: TLSv1.3 TLS_AES_256_GCM_SHA384, encrypted from here',
    );
    // The submission session ends last (its QUIT comes after the relay).
    expect(latestSmtpConnection(rt.events)).toBe('c1');
  });

  it('windows long sessions to the last steps and says how many are hidden', () => {
    const full = sessionDiagram(events('c1'), 'c1');
    const windowed = sessionDiagram(events('c1'), 'c1', { window: 5 });
    expect(windowed.total).toBe(full.total);
    expect(windowed.shown).toBe(5);
    const lines = statements(windowed.source);
    expect(lines[0]).toBe(`Note over C,S: … ${full.total - 5} earlier steps not shown`);
    expect(lines.slice(1)).toEqual(statements(full.source).slice(-5));
  });

  it('escapes every label: no raw markup, directive or arrow can get through', () => {
    const hostile = run('default', [
      'telnet mx1.beta.example 25',
      'EHLO <b>x</b> %%{init: {"theme":"forest"}}%% ->> S: fake',
      'QUIT',
    ]);
    const conn = traceIndex(hostile.lab.world).sessions[0]!;
    const source = sessionDiagram(
      traceIndex(hostile.lab.world)
        .conns.get(conn)!
        .events.map((i) => hostile.events[i]!),
      conn,
    ).source;
    const body = source.split('\n').slice(3).join('\n');
    expect(body).not.toMatch(/<b>|%%|\{|->> S: fake/);
    expect(body).toContain('#60;b#62;x#60;/b#62;');
  });
});

describe('journey diagrams', () => {
  it('follows a message across hops to the mailbox', () => {
    const rt = run('default', submission('bob@beta.example'));
    const index = traceIndex(rt.lab.world);
    const [origin] = index.origins();
    const journey = journeyDiagram(index, origin!);
    expect(journey.participants).toEqual([
      'laptop.alpha.example',
      'mail.alpha.example',
      'mx1.beta.example',
      'mailbox bob@mx1',
    ]);
    const lines = statements(journey.source);
    const submitted = lines.indexOf('P0->>P1: MAIL FROM:<alice@alpha.example>');
    const dns = lines.indexOf(
      'Note over P1: DNS: MX beta.example → 10 mx1.beta.example, 20 mx2.beta.example',
    );
    const relayed = lines.findIndex((l) =>
      l.startsWith('P1->>P2: MAIL FROM:<alice@alpha.example> SIZE='),
    );
    const delivered = lines.indexOf('P2->>P3: delivered to /var/mail/bob');
    expect(submitted).toBeGreaterThanOrEqual(0);
    expect(dns).toBeGreaterThan(submitted);
    expect(relayed).toBeGreaterThan(dns);
    expect(delivered).toBeGreaterThan(relayed);
    // Any hop's queue id finds the same journey.
    const later = [...index.queueIds].find((id) => id !== origin)!;
    expect(journeyDiagram(index, later).source).toBe(journey.source);
  });

  it('shows a failed MX as a lost message and a note, then the backup MX', () => {
    const rt = run('mx-fallback', submission('bob@beta.example'), 120_000);
    const index = traceIndex(rt.lab.world);
    const lines = statements(journeyDiagram(index, index.origins()[0]!).source);
    const lost = lines.indexOf('P1-xP2: TCP connect to port 25');
    expect(lost).toBeGreaterThan(0);
    const why = lines.indexOf('Note over P1,P2: no answer within 30 s (Connection timed out)');
    expect(why).toBeGreaterThan(lost);
    expect(lines.findIndex((l) => l.startsWith('P1->>P3: MAIL FROM:'))).toBeGreaterThan(why);
    expect(journeyDiagram(index, index.origins()[0]!).participants).toContain('mx2.beta.example');
    expect(lines.some((l) => /^Note over P3: [0-9A-F]{10} deferred \(4\.4\.1\)/.test(l))).toBe(
      true,
    );
  });

  it('draws a bounce in a red block and follows the DSN home', () => {
    const rt = run('default', submission('nobody@beta.example'));
    const index = traceIndex(rt.lab.world);
    const journey = journeyDiagram(index, index.origins()[0]!);
    const { participants } = journey;
    const source = journey.source.replace(/#(\d+);/g, (_, c: string) =>
      String.fromCodePoint(Number(c)),
    );
    expect(participants).toContain('mailbox alice@mail');
    expect(source).toMatch(
      /rect rgba\(248, 81, 73, 0\.18\)\n\s+Note over P1: bounce \(DSN [0-9A-F]{10}\) to alice@alpha\.example: nobody@beta\.example 5\.1\.1\n\s+end/,
    );
    expect(source).toMatch(
      /rect rgba\(248, 81, 73, 0\.18\)\n\s+P1->>P\d: bounce delivered to \/var\/mail\/alice\n\s+end/,
    );
  });
});
