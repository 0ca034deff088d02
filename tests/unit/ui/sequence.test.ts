import { describe, expect, it } from 'vitest';
import { describeSequence } from '../../../src/ui/a11y/describe';
import {
  describeSequenceModel,
  journeyDiagram,
  mermaidSource,
  sessionDiagram,
  type SequenceModel,
} from '../../../src/ui/diagram/sequence';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

/**
 * Each step on one line: `kind from>to: text` for a message (a multi-line reply's lines
 * joined with " / "), `note kind a-b: text` for a note, `[band]` in front when banded.
 */
function steps(model: SequenceModel): string[] {
  return model.steps.map((s) => {
    const band = s.band ? `[${s.band}] ` : '';
    return s.type === 'message'
      ? `${band}${s.kind} ${s.from}>${s.to}: ${s.lines.join(' / ')}`
      : `${band}note ${s.kind} ${s.over[0]}-${s.over[1]}: ${s.text}`;
  });
}

describe('session diagrams', () => {
  const rt = run('default', submission('bob@beta.example'));
  const index = traceIndex(rt.lab.world);
  const events = (conn: string) => index.conns.get(conn)!.events.map((i) => rt.events[i]!);

  it('draws one connection: commands and replies in order, AUTH as a note', () => {
    const model = sessionDiagram(events('c1'), 'c1');
    expect(model.total).toBe(model.shown);
    expect(model.participants).toEqual(['laptop.alpha.example', 'mail.alpha.example']);
    const lines = steps(model);
    const expected = [
      'connect 0>1: TCP connect to port 587',
      'reply 1>0: 220 mail.alpha.example ESMTP SMTP Lab',
      'command 0>1: EHLO laptop.alpha.example',
      'note auth 0-1: AUTH: AUTH PLAIN ****',
      'reply 1>0: 235 2.7.0 Authentication successful',
      'command 0>1: MAIL FROM:<alice@alpha.example>',
      'command 0>1: RCPT TO:<bob@beta.example>',
      'command 0>1: DATA',
      'data 0>1: message text, 3 lines, 23 bytes, then "."',
      'command 0>1: QUIT',
      'note info 0-1: connection closed by mail.alpha.example',
    ];
    const at = expected.map((e) => lines.indexOf(e));
    expect(
      at.every((i) => i >= 0),
      lines.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('draws a multi-line reply as its first lines and how many more', () => {
    const ehlo = sessionDiagram(events('c1'), 'c1').steps.find(
      (s) => s.type === 'message' && s.lines[0] === '250-mail.alpha.example',
    );
    expect(ehlo?.type === 'message' && ehlo.lines).toEqual([
      '250-mail.alpha.example',
      '250-PIPELINING',
      '250-SIZE 10240000',
      '250-STARTTLS',
      '250-AUTH PLAIN LOGIN',
      '250-ENHANCEDSTATUSCODES',
      '… 4 more lines',
    ]);
  });

  it('shows STARTTLS as a note on the relay session', () => {
    const relay = index.sessions.find(
      (c) => index.conns.get(c)!.from.host === 'mail.alpha.example',
    )!;
    expect(steps(sessionDiagram(events(relay), relay))).toContain(
      'note tls 0-1: STARTTLS: TLSv1.3 TLS_AES_256_GCM_SHA384, encrypted from here',
    );
  });

  it('says the client is typing the message text, between 354 and "."', () => {
    const typing = run('default', submission('bob@beta.example').slice(0, 8));
    const conn = traceIndex(typing.lab.world).sessions[0]!;
    const own = traceIndex(typing.lab.world)
      .conns.get(conn)!
      .events.map((i) => typing.events[i]!);
    expect(steps(sessionDiagram(own, conn)).at(-1)).toBe('note info 0-0: typing message text…');
  });

  it('windows long sessions to the last steps and says how many are hidden', () => {
    const full = sessionDiagram(events('c1'), 'c1');
    const windowed = sessionDiagram(events('c1'), 'c1', { window: 5 });
    expect(windowed.total).toBe(full.total);
    expect(windowed.shown).toBe(5);
    const lines = steps(windowed);
    expect(lines[0]).toBe(`note info 0-1: … ${full.total - 5} earlier steps not shown`);
    expect(lines.slice(1)).toEqual(steps(full).slice(-5));
  });

  it('keeps hostile text as plain text; its Mermaid source escapes it', () => {
    const hostile = run('default', [
      'telnet mx1.beta.example 25',
      'EHLO <b>x</b> %%{init: {"theme":"forest"}}%% ->> S: fake',
      'QUIT',
    ]);
    const index = traceIndex(hostile.lab.world);
    const conn = index.sessions[0]!;
    const model = sessionDiagram(
      index.conns.get(conn)!.events.map((i) => hostile.events[i]!),
      conn,
    );
    const ehlo = steps(model).find((l) => l.startsWith('command 0>1: EHLO'));
    expect(ehlo).toBe('command 0>1: EHLO <b>x</b> %%{init: {"theme":"forest"}}%% ->> S: fake');
    const body = mermaidSource(model).split('\n').slice(3).join('\n');
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
    const lines = steps(journey);
    const submitted = lines.indexOf('command 0>1: MAIL FROM:<alice@alpha.example>');
    const dns = lines.indexOf(
      'note dns 1-1: DNS: MX beta.example → 10 mx1.beta.example, 20 mx2.beta.example',
    );
    const relayed = lines.findIndex((l) =>
      l.startsWith('command 1>2: MAIL FROM:<alice@alpha.example> SIZE='),
    );
    const delivered = lines.indexOf('delivery 2>3: delivered to /var/mail/bob');
    expect(submitted).toBeGreaterThanOrEqual(0);
    expect(dns).toBeGreaterThan(submitted);
    expect(relayed).toBeGreaterThan(dns);
    expect(delivered).toBeGreaterThan(relayed);
    // Any hop's queue id finds the same journey.
    const later = [...index.queueIds].find((id) => id !== origin)!;
    expect(journeyDiagram(index, later)).toEqual(journey);
  });

  it('shows a failed MX as a lost message and a note, then the backup MX', () => {
    const rt = run('mx-fallback', submission('bob@beta.example'), 120_000);
    const index = traceIndex(rt.lab.world);
    const journey = journeyDiagram(index, index.origins()[0]!);
    const lines = steps(journey);
    const lost = lines.indexOf('failed 1>2: TCP connect to port 25');
    expect(lost).toBeGreaterThan(0);
    const why = lines.indexOf('note problem 1-2: no answer within 30 s (Connection timed out)');
    expect(why).toBeGreaterThan(lost);
    expect(lines.findIndex((l) => l.startsWith('command 1>3: MAIL FROM:'))).toBeGreaterThan(why);
    expect(journey.participants).toContain('mx2.beta.example');
    expect(lines.some((l) => /^note deferral 3-3: [0-9A-F]{10} deferred \(4\.4\.1\)/.test(l))).toBe(
      true,
    );
  });

  it('draws a bounce in a band of its own and follows the DSN home', () => {
    const rt = run('default', submission('nobody@beta.example'));
    const index = traceIndex(rt.lab.world);
    const journey = journeyDiagram(index, index.origins()[0]!);
    expect(journey.participants).toContain('mailbox alice@mail');
    const lines = steps(journey);
    const bounce = lines.findIndex((l) =>
      /^\[bounce\] note bounce 1-1: bounce \(DSN [0-9A-F]{10}\) to alice@alpha\.example: nobody@beta\.example 5\.1\.1$/.test(
        l,
      ),
    );
    expect(bounce).toBeGreaterThan(0);
    const mailbox = journey.participants.indexOf('mailbox alice@mail');
    expect(lines[bounce + 1]).toBe(
      `[bounce] delivery 1>${mailbox}: bounce delivered to /var/mail/alice`,
    );
    // Nothing before the bounce is banded.
    expect(lines.slice(0, bounce).some((l) => l.startsWith('['))).toBe(false);
    // In Mermaid source, the band is one red rect around both.
    expect(mermaidSource(journey)).toMatch(
      /\n {2}rect rgba\(248, 81, 73, 0\.18\)\n {4}Note over P1: bounce[^\n]*\n {4}P1->>P\d: bounce delivered[^\n]*\n {2}end/,
    );
  });
});

describe('the model in words and as Mermaid source', () => {
  it('says the same in both: Mermaid source read back gives the text description', () => {
    for (const [scenario, rcpt] of [
      ['default', 'nobody@beta.example'],
      ['mx-fallback', 'bob@beta.example'],
    ] as const) {
      const rt = run(scenario, submission(rcpt), 120_000);
      const index = traceIndex(rt.lab.world);
      const journey = journeyDiagram(index, index.origins()[0]!, { window: 30 });
      expect(describeSequence(mermaidSource(journey))).toEqual(describeSequenceModel(journey));
    }
  });
});
