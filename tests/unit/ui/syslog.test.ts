import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/engine/trace';
import { logSeverity, shortHost, syslogLine, type LogEvent } from '../../../src/ui/model/syslog';
import { clockTime, duration, syslogTime } from '../../../src/ui/model/time';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

const EPOCH = Date.parse('2026-01-05T09:00:00Z');
const log = (text: string, t = 0): LogEvent =>
  ({
    id: 1,
    t,
    type: 'log',
    host: 'mail.alpha.example',
    program: 'postfix/smtp',
    pid: 1234,
    text,
  }) as LogEvent;

describe('mail log formatting', () => {
  it('writes syslog lines', () => {
    expect(syslogLine(log('4F2A: removed'), EPOCH)).toBe(
      'Jan  5 09:00:00 mail postfix/smtp[1234]: 4F2A: removed',
    );
    expect(syslogLine(log('x', 12 * 86_400_000 + 61_500), EPOCH)).toBe(
      'Jan 17 09:01:01 mail postfix/smtp[1234]: x',
    );
    expect(syslogTime(EPOCH, 0)).toBe('Jan  5 09:00:00');
    expect(shortHost('mx1.beta.example')).toBe('mx1');
  });

  it('keeps one event on one line', () => {
    expect(syslogLine(log('a\r\nJan  5 09:00:00 mail forged: b'), EPOCH)).toBe(
      'Jan  5 09:00:00 mail postfix/smtp[1234]: a Jan  5 09:00:00 mail forged: b',
    );
  });

  it('tells sent, deferred and bounced lines apart', () => {
    expect(logSeverity(log('Q: to=<a@b>, relay=x, dsn=2.0.0, status=sent (250 ok)'))).toBe('sent');
    expect(
      logSeverity(log('Q: to=<a@b>, relay=none, dsn=4.4.1, status=deferred (connect …)')),
    ).toBe('deferred');
    expect(logSeverity(log('Q: to=<a@b>, relay=x, dsn=5.1.1, status=bounced (…)'))).toBe('bounced');
    expect(logSeverity(log('Q: sender non-delivery notification: R'))).toBe('bounced');
    expect(logSeverity(log('Q: removed'))).toBe('info');
  });

  it('formats a real run like Postfix', () => {
    const rt = run('default', submission('bob@beta.example'));
    const index = traceIndex(rt.lab.world);
    const lines = index.logs.map((i) => syslogLine(rt.events[i] as LogEvent, rt.lab.world.epoch));
    expect(
      lines.some((l) =>
        /^Jan {2}5 09:00:0\d mail postfix\/smtp\[\d+\]: [0-9A-F]{10}: to=<bob@beta\.example>, relay=mx1\.beta\.example\[203\.0\.113\.25\]:25, delay=[\d.]+, dsn=2\.0\.0, status=sent/.test(
          l,
        ),
      ),
    ).toBe(true);
    expect(
      index.logsByHost
        .get('mx1.beta.example')!
        .every((i) => (rt.events[i] as TraceEvent & { host: string }).host === 'mx1.beta.example'),
    ).toBe(true);
  });

  it('formats times and durations', () => {
    expect(clockTime(EPOCH, 15_250)).toBe('09:00:15.250');
    expect(duration(250)).toBe('250 ms');
    expect(duration(30_000)).toBe('30 s');
    expect(duration(270_000)).toBe('4 min 30 s');
    expect(duration(7_500_000)).toBe('2 h 5 min');
  });
});
