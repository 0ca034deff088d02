import { describe, expect, it } from 'vitest';
import { explainResolution, MxTracker, parseMxAnswer } from '../../../src/ui/diagram/mx';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

describe('MX lookup view', () => {
  it('parses MX answers', () => {
    expect(parseMxAnswer('beta.example. 300 IN MX 10 mx1.beta.example.')).toEqual({
      preference: 10,
      host: 'mx1.beta.example',
    });
    expect(parseMxAnswer('beta.example. 300 IN A 203.0.113.25')).toBeUndefined();
  });

  it('shows the first MX accepting', () => {
    const rt = run('default', submission('bob@beta.example'));
    const [r, ...rest] = traceIndex(rt.lab.world).mx.resolutions;
    expect(rest).toEqual([]); // mx1 delivers locally: no routing
    expect(r).toMatchObject({ host: 'mail.alpha.example', domain: 'beta.example', done: true });
    expect(r!.answer!.records).toEqual([
      { preference: 10, host: 'mx1.beta.example' },
      { preference: 20, host: 'mx2.beta.example' },
    ]);
    expect(r!.tries.map((t) => [t.host, t.outcome])).toEqual([['mx1.beta.example', 'accepted']]);
    const steps = explainResolution(r!);
    expect(steps.map((s) => s.kind)).toEqual(['lookup', 'try', 'result']);
    expect(steps[0]!.text).toBe(
      'mail.alpha.example asked DNS (MX beta.example): 10 mx1.beta.example, 20 mx2.beta.example. Lower preference is tried first (RFC 5321 §5.1).',
    );
    expect(steps[1]!.text).toMatch(
      /^Tried first mx1\.beta\.example \(preference 10\) \[203\.0\.113\.25\]: accepted: 250 2\.0\.0 Ok: queued as [0-9A-F]{10}\./,
    );
  });

  it('shows a timed-out primary, the backup accepting, and the backup deferring', () => {
    const rt = run('mx-fallback', submission('bob@beta.example'), 120_000);
    const [alpha, backup] = traceIndex(rt.lab.world).mx.resolutions;
    expect(alpha!.tries.map((t) => [t.host, t.outcome])).toEqual([
      ['mx1.beta.example', 'timed-out'],
      ['mx2.beta.example', 'accepted'],
    ]);
    expect(alpha!.results.map((x) => x.status)).toEqual(['sent']);
    const a = explainResolution(alpha!).map((s) => s.text);
    expect(a[1]).toBe(
      'Tried first mx1.beta.example (preference 10) [203.0.113.25]: no answer within 30 s (Connection timed out): the host is down or unreachable. Next MX.',
    );
    expect(a[2]).toMatch(
      /^Tried second, after mx1\.beta\.example failed, mx2\.beta\.example \(preference 20\)/,
    );

    expect(backup).toMatchObject({ host: 'mx2.beta.example', done: true });
    expect(backup!.retryAt).toBeGreaterThan(rt.events.at(-1)!.t - 1);
    const b = explainResolution(backup!);
    expect(b.map((s) => s.kind)).toEqual(['lookup', 'self', 'try', 'result']);
    expect(b[2]!.text).toContain('No MX host left to try.');
    expect(b[3]).toMatchObject({ outcome: 'deferred' });
  });

  it('shows a refused port and a permanent rejection', () => {
    const noListener = run(
      {
        name: 'mx1-closed',
        hosts: [
          ...(run('default', []).scenario.hosts as unknown as Record<string, unknown>[]).map((h) =>
            h.name === 'mx1.beta.example' ? { ...h, smtp: [] } : h,
          ),
        ] as never,
      },
      submission('bob@beta.example'),
    );
    const [r] = traceIndex(noListener.lab.world).mx.resolutions;
    expect(r!.tries.map((t) => [t.host, t.outcome])).toEqual([
      ['mx1.beta.example', 'refused'],
      ['mx2.beta.example', 'accepted'],
    ]);

    const unknown = run('default', submission('nobody@beta.example'));
    const [u] = traceIndex(unknown.lab.world).mx.resolutions;
    expect(u!.tries[0]).toMatchObject({ outcome: 'permanent', inReplyTo: 'RCPT' });
    expect(
      explainResolution(u!)
        .map((s) => s.text)
        .join('\n'),
    ).toContain('a permanent refusal, so the message bounces');
  });

  it('ignores lookups by hosts that do not route mail', () => {
    const tracker = new MxTracker(() => false);
    const rt = run('default', ['dig MX beta.example']);
    for (const e of rt.events) tracker.add(e);
    expect(tracker.resolutions).toEqual([]);
  });
});
