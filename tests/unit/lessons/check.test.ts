import { describe, expect, it } from 'vitest';
import { describeCheck, evaluateCheck, parseCheck } from '../../../src/lessons/check';
import { EVENT_TYPES } from '../../../src/lessons/events';
import { formatIssue } from '../../../src/lessons/issues';
import { check, session, trace } from './support';

/** The validation messages for a check, as `path: message`. */
const problems = (input: unknown) => parseCheck(input).issues.map(formatIssue);

describe('check validation', () => {
  it('accepts every form', () => {
    expect(problems({ event: 'smtp.reply', match: { code: 250 } })).toEqual([]);
    expect(problems({ event: ['net.close', 'net.reset'] })).toEqual([]);
    expect(
      problems({
        all: [
          { any: [{ event: 'net.close' }, { not: { event: 'net.reset' } }] },
          { count: { event: 'smtp.reply', match: { code: { gte: 500 } } }, atLeast: 2, atMost: 3 },
          {
            event: 'smtp.reply',
            after: { event: 'smtp.command', after: { event: 'net.connect' } },
          },
        ],
      }),
    ).toEqual([]);
  });

  it('names unknown event types and lists the known ones', () => {
    const [message] = problems({ event: 'smtp.replies' });
    expect(message).toBe(
      `event: unknown event type "smtp.replies" (known: ${EVENT_TYPES.join(', ')})`,
    );
    expect(message).toContain('net.connect, net.established');
    expect(problems({ event: ['net.close', 'net.rst'] })[0]).toMatch(
      /^event\[1\]: unknown event type "net.rst"/,
    );
  });

  it('names unknown fields with the fields the event has, derived ones included', () => {
    expect(problems({ event: 'smtp.reply', match: { colour: 'red' } })).toEqual([
      'match.colour: smtp.reply has no field "colour" (fields: conn, server, code, lines, client, port, command)',
    ]);
    expect(problems({ event: 'dns.query', match: { client: 'x' } })).toEqual([
      'match.client: dns.query has no field "client" (fields: host, server, qid, name, qtype)',
    ]);
    // A field must exist on every listed type.
    expect(problems({ event: ['smtp.reply', 'net.close'], match: { code: 250 } })).toEqual([
      'match.code: net.close has no field "code" (fields: conn, by, client, port, server)',
    ]);
    expect(problems({ event: 'net.connect', match: { 'from.name': 'x' } })[0]).toMatch(
      /^match\.from\.name: net\.connect has no field "from\.name"/,
    );
  });

  it('wants values of the field’s kind', () => {
    expect(problems({ event: 'smtp.reply', match: { code: '250' } })).toEqual([
      'match.code: expected number',
    ]);
    expect(problems({ event: 'smtp.reply', match: { server: 25 } })).toEqual([
      'match.server: expected string',
    ]);
    expect(problems({ event: 'dns.answer', match: { cached: 'yes' } })).toEqual([
      'match.cached: expected boolean',
    ]);
    expect(problems({ event: 'smtp.reply', match: { code: { in: [250, '251'] } } })).toEqual([
      'match.code.in[1]: expected number',
    ]);
    expect(problems({ event: 'smtp.reply', match: { code: { in: [] } } })).toEqual([
      'match.code.in: expected at least 1 item(s)',
    ]);
    expect(problems({ event: 'smtp.reply', match: { code: { gte: 'x' } } })).toEqual([
      'match.code.gte: expected number',
    ]);
  });

  it('refuses operators that do not fit the field', () => {
    expect(problems({ event: 'smtp.reply', match: { code: { regex: '^2' } } })).toEqual([
      'match.code: regex matches text; code is a number',
    ]);
    expect(problems({ event: 'smtp.command', match: { verb: { gte: 1 } } })).toEqual([
      'match.verb: gte, gt, lte and lt compare numbers; verb is a string',
    ]);
    expect(problems({ event: 'smtp.command', match: { verb: { like: 'MA%' } } })).toEqual([
      'match.verb: unknown operator "like" (use regex, in, gte, gt, lte or lt)',
    ]);
    expect(problems({ event: 'smtp.command', match: { verb: { regex: '(' } } })[0]).toMatch(
      /^match\.verb\.regex: not a valid regular expression: /,
    );
    expect(
      problems({ event: 'smtp.command', match: { verb: { regex: 'a', flags: 'g' } } }),
    ).toEqual(['match.verb.flags: flags may be i, m, s and u']);
    expect(problems({ event: 'net.connect', match: { from: 'laptop.alpha.example' } })).toEqual([
      'match.from: from is an object: match from.host, from.address or from.port',
    ]);
  });

  it('explains malformed structure', () => {
    expect(problems('smtp.reply')).toEqual([
      'expected a check: an event spec (event: …) or one of all, any, not, count',
    ]);
    expect(problems({ event: 'net.close', all: [] })).toEqual([
      'a check has exactly one of event, all, any, not, count (found event, all)',
    ]);
    expect(problems({ event: 'net.close', matches: {} })).toEqual(['unknown field "matches"']);
    expect(problems({ all: [] })).toEqual(['all: expected at least 1 item(s)']);
    expect(
      problems({ all: [{ event: 'net.close' }, { event: 'smtp.reply', match: { code: 'x' } }] }),
    ).toEqual(['all[1].match.code: expected number']);
    expect(problems({ not: { any: [{}] } })).toEqual([
      'not.any[0]: expected a check: an event spec (event: …) or one of all, any, not, count',
    ]);
    expect(problems({ count: { event: 'net.close' } })).toEqual([
      'count needs atLeast, atMost or both',
    ]);
    expect(problems({ count: { event: 'net.close' }, atLeast: 3, atMost: 1 })).toEqual([
      'atMost: must not be less than atLeast',
    ]);
    expect(problems({ count: { all: [] }, atLeast: 1 })).toEqual([
      'count: expected an event spec (event: …)',
    ]);
    expect(problems({ count: { event: 'net.close' }, atLeast: 1.5 })).toEqual([
      'atLeast: expected a whole number',
    ]);
    expect(problems({ event: 'smtp.reply', after: 'smtp.command' })).toEqual([
      'after: expected an event spec (event: …)',
    ]);
    expect(
      problems({ event: 'smtp.reply', after: { event: 'smtp.command', match: { code: 1 } } }),
    ).toEqual([
      'after.match.code: smtp.command has no field "code" (fields: conn, server, verb, line, client, port)',
    ]);
  });
});

describe('check evaluation', () => {
  const events = trace(...session('c1', 'laptop.alpha.example'));
  const holds = (input: unknown, since = 0) => evaluateCheck(check(input), events, since);

  it('matches plain values exactly', () => {
    expect(holds({ event: 'smtp.reply', match: { code: 550 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { code: 551 } })).toBe(false);
    expect(holds({ event: 'smtp.command', match: { verb: 'QUIT' } })).toBe(true);
    expect(holds({ event: 'smtp.command', match: { verb: 'quit' } })).toBe(false);
    expect(
      holds({ event: 'mail.delivered', match: { user: 'bob', mailbox: '/var/mail/bob' } }),
    ).toBe(true);
    expect(holds({ event: 'net.refused' })).toBe(false);
  });

  it('matches booleans', () => {
    const dns = trace({
      type: 'dns.answer',
      host: 'laptop.alpha.example',
      server: 'ns.example',
      qid: 0,
      name: 'mx1.beta.example',
      qtype: 'A',
      rcode: 'NOERROR',
      answers: ['mx1.beta.example. 300 IN A 203.0.113.25'],
      cached: true,
    });
    expect(evaluateCheck(check({ event: 'dns.answer', match: { cached: true } }), dns)).toBe(true);
    expect(evaluateCheck(check({ event: 'dns.answer', match: { cached: false } }), dns)).toBe(
      false,
    );
    expect(
      evaluateCheck(
        check({ event: 'dns.answer', match: { answers: { regex: 'IN A 203\\.0\\.113\\.25$' } } }),
        dns,
      ),
    ).toBe(true);
  });

  it('matches regular expressions, with flags', () => {
    expect(holds({ event: 'smtp.command', match: { line: { regex: '^rcpt to:<bob@' } } })).toBe(
      false,
    );
    expect(
      holds({ event: 'smtp.command', match: { line: { regex: '^rcpt to:<bob@', flags: 'i' } } }),
    ).toBe(true);
    // Unanchored: found anywhere.
    expect(holds({ event: 'smtp.command', match: { line: { regex: 'nobody' } } })).toBe(true);
  });

  it('matches any element of a list field', () => {
    expect(holds({ event: 'smtp.reply', match: { lines: { regex: '^250[- ]PIPELINING$' } } })).toBe(
      true,
    );
    expect(holds({ event: 'smtp.reply', match: { lines: { regex: '^250[- ]STARTTLS$' } } })).toBe(
      false,
    );
    expect(holds({ event: 'smtp.reply', match: { lines: '250 SIZE 10240000' } })).toBe(true);
    expect(holds({ event: 'mail.accepted', match: { to: 'bob@beta.example' } })).toBe(true);
    expect(holds({ event: 'mail.accepted', match: { to: { in: ['carol@beta.example'] } } })).toBe(
      false,
    );
  });

  it('matches one of several values with in', () => {
    expect(holds({ event: 'smtp.reply', match: { code: { in: [551, 550] } } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { code: { in: [551, 552] } } })).toBe(false);
    expect(holds({ event: 'smtp.command', match: { verb: { in: ['HELO', 'EHLO'] } } })).toBe(true);
  });

  it('compares numbers with gte, gt, lte and lt', () => {
    expect(
      holds({
        count: { event: 'smtp.reply', match: { code: { gte: 500, lte: 599 } } },
        atLeast: 1,
        atMost: 1,
      }),
    ).toBe(true);
    expect(
      holds({
        count: { event: 'smtp.reply', match: { code: { gte: 250, lt: 300 } } },
        atLeast: 4,
        atMost: 4,
      }),
    ).toBe(true);
    expect(
      holds({
        count: { event: 'smtp.reply', match: { code: { gt: 250 } } },
        atLeast: 2,
        atMost: 2,
      }),
    ).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { code: { gt: 550 } } })).toBe(false);
    expect(holds({ event: 'smtp.reply', match: { code: { lt: 220 } } })).toBe(false);
    expect(holds({ event: 'smtp.reply', match: { code: { lte: 220 } } })).toBe(true);
  });

  it('matches inside objects with dotted paths', () => {
    expect(
      holds({
        event: 'net.connect',
        match: { 'to.port': 25, 'from.host': 'laptop.alpha.example' },
      }),
    ).toBe(true);
    expect(holds({ event: 'net.connect', match: { 'to.port': 587 } })).toBe(false);
    const bounce = trace({
      type: 'mail.bounce',
      host: 'mail.alpha.example',
      queueId: 'Q1',
      dsnId: 'D1',
      action: 'failed',
      to: 'alice@alpha.example',
      recipients: [
        { rcpt: 'bob@beta.example', status: '5.1.1' },
        { rcpt: 'carol@beta.example', status: '4.4.1' },
      ],
    });
    expect(
      evaluateCheck(
        check({ event: 'mail.bounce', match: { 'recipients.status': '4.4.1' } }),
        bounce,
      ),
    ).toBe(true);
    expect(
      evaluateCheck(check({ event: 'mail.bounce', match: { 'recipients.rcpt': 'x@y' } }), bounce),
    ).toBe(false);
  });

  it('derives client, port and server from the connection', () => {
    const two = trace(
      ...session('c1', 'laptop.alpha.example'),
      ...session('c2', 'mail.alpha.example', 587),
    );
    const on = (input: unknown) => evaluateCheck(check(input), two);
    expect(
      on({ event: 'smtp.reply', match: { code: 550, client: 'laptop.alpha.example', port: 25 } }),
    ).toBe(true);
    expect(
      on({ event: 'smtp.reply', match: { code: 550, client: 'mail.alpha.example', port: 587 } }),
    ).toBe(true);
    expect(
      on({ event: 'smtp.reply', match: { code: 550, client: 'laptop.alpha.example', port: 587 } }),
    ).toBe(false);
    expect(
      on({
        event: 'net.close',
        match: { server: 'mx1.beta.example', client: 'mail.alpha.example' },
      }),
    ).toBe(true);
    expect(on({ event: 'mail.accepted', match: { server: 'mx1.beta.example', port: 587 } })).toBe(
      true,
    );
    expect(on({ event: 'smtp.data', match: { client: 'ns.example' } })).toBe(false);
  });

  it('derives the command a reply answers', () => {
    expect(holds({ event: 'smtp.reply', match: { command: '', code: 220 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { command: 'EHLO', code: 250 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { command: 'DATA', code: 354 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { command: 'DATA', code: 250 } })).toBe(false);
    expect(holds({ event: 'smtp.reply', match: { command: '.', code: 250 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { command: 'RCPT', code: 550 } })).toBe(true);
    expect(holds({ event: 'smtp.reply', match: { command: 'MAIL', code: 550 } })).toBe(false);
    // Each connection has its own conversation.
    const interleaved = trace(
      ...session('c1', 'laptop.alpha.example').slice(0, 6),
      ...session('c2', 'mail.alpha.example').slice(0, 4),
      ...session('c1', 'laptop.alpha.example').slice(6, 7),
    );
    // c1's `250 2.1.0` answers c1's MAIL even though c2's EHLO came in between.
    expect(
      evaluateCheck(
        check({ event: 'smtp.reply', match: { conn: 'c1', command: 'MAIL', code: 250 } }),
        interleaved,
      ),
    ).toBe(true);
  });

  it('requires an earlier event in the same connection with after', () => {
    const rcptAfter550 = {
      event: 'smtp.reply',
      match: { command: 'RCPT', code: 250 },
      after: { event: 'smtp.reply', match: { command: 'RCPT', code: 550 } },
    };
    expect(holds(rcptAfter550)).toBe(true);
    // The other way round: no 550 comes after the 250 to RCPT.
    expect(
      holds({
        event: 'smtp.reply',
        match: { command: 'RCPT', code: 550 },
        after: { event: 'smtp.reply', match: { command: 'RCPT', code: 250 } },
      }),
    ).toBe(false);
    // The 550 in another connection does not count.
    const c1 = session('c1', 'laptop.alpha.example');
    const withoutReject = c1.filter((e) => !(e.type === 'smtp.reply' && e.code === 550));
    const rejectOnly = session('c2', 'laptop.alpha.example').slice(0, 9); // up to the 550
    const split = trace(...rejectOnly, ...withoutReject);
    expect(evaluateCheck(check(rcptAfter550), split)).toBe(false);
    // Nested: the end of data, after the 354, after the greeting.
    expect(
      holds({
        event: 'smtp.reply',
        match: { command: '.' },
        after: {
          event: 'smtp.reply',
          match: { code: 354 },
          after: { event: 'smtp.reply', match: { code: 220 } },
        },
      }),
    ).toBe(true);
  });

  it('orders events without a connection by the trace alone', () => {
    expect(holds({ event: 'mail.delivered', after: { event: 'smtp.data' } })).toBe(true);
    expect(holds({ event: 'smtp.data', after: { event: 'mail.delivered' } })).toBe(false);
  });

  it('combines checks with all, any and not', () => {
    const yes = { event: 'smtp.reply', match: { code: 221 } };
    const no = { event: 'smtp.reply', match: { code: 421 } };
    expect(holds({ all: [yes, yes] })).toBe(true);
    expect(holds({ all: [yes, no] })).toBe(false);
    expect(holds({ any: [no, yes] })).toBe(true);
    expect(holds({ any: [no, no] })).toBe(false);
    expect(holds({ not: no })).toBe(true);
    expect(holds({ not: yes })).toBe(false);
    expect(holds({ all: [yes, { not: { event: 'net.reset' } }] })).toBe(true);
  });

  it('counts events with atLeast and atMost', () => {
    const replies = (atLeast?: number, atMost?: number) =>
      holds({
        count: { event: 'smtp.reply' },
        ...(atLeast === undefined ? {} : { atLeast }),
        ...(atMost === undefined ? {} : { atMost }),
      });
    // The session has 8 replies.
    expect(replies(8)).toBe(true);
    expect(replies(9)).toBe(false);
    expect(replies(undefined, 8)).toBe(true);
    expect(replies(undefined, 7)).toBe(false);
    expect(replies(8, 8)).toBe(true);
    expect(replies(1, 7)).toBe(false);
    expect(replies(0, 0)).toBe(false);
    expect(holds({ count: { event: 'net.reset' }, atMost: 0 })).toBe(true);
  });

  it('looks only at events since the step began', () => {
    const greeting = { event: 'smtp.reply', match: { code: 220 } };
    expect(holds(greeting, 0)).toBe(true);
    expect(holds(greeting, 3)).toBe(false); // the greeting is event 3
    expect(holds(greeting, 2)).toBe(true);
    // At the start of a step (nothing since): only negative checks hold.
    expect(holds({ event: 'smtp.reply' }, events.length)).toBe(false);
    expect(holds({ not: { event: 'smtp.reply' } }, events.length)).toBe(true);
    expect(holds({ count: { event: 'smtp.reply' }, atMost: 2 }, events.length)).toBe(true);
    // Counting is windowed too: 2 replies after the end of data (ids 16 and 19).
    expect(holds({ count: { event: 'smtp.reply' }, atLeast: 2, atMost: 2 }, 14)).toBe(true);
    // `after` and the derived fields still look before the window.
    const lastReply = {
      event: 'smtp.reply',
      match: { code: 221, client: 'laptop.alpha.example', port: 25 },
      after: { event: 'smtp.reply', match: { code: 220 } },
    };
    expect(holds(lastReply, events.length - 2)).toBe(true);
  });

  it('works on ids, not positions, so a trace can be given from any point', () => {
    const tail = events.slice(10);
    expect(evaluateCheck(check({ event: 'smtp.reply', match: { code: 221 } }), tail, 15)).toBe(
      true,
    );
    expect(
      evaluateCheck(
        check({ event: 'smtp.reply', match: { code: 250, command: 'RCPT' } }),
        tail,
        12,
      ),
    ).toBe(false);
  });
});

describe('describeCheck', () => {
  it('reads a check as a sentence', () => {
    expect(
      describeCheck(
        check({
          all: [
            {
              event: 'smtp.reply',
              match: { code: { gte: 500, lt: 600 }, command: 'RCPT' },
              after: { event: 'smtp.data' },
            },
            { not: { event: ['net.reset', 'net.close'] } },
            {
              count: { event: 'smtp.command', match: { verb: { in: ['HELO', 'EHLO'] } } },
              atLeast: 2,
              atMost: 2,
            },
            { any: [{ event: 'smtp.command', match: { line: { regex: '^mail', flags: 'i' } } }] },
          ],
        }),
      ),
    ).toBe(
      'all of (smtp.reply with code ≥ 500 and < 600, command = "RCPT", after smtp.data; ' +
        'not (net.reset or net.close); exactly 2 × smtp.command with verb in ["HELO", "EHLO"]; ' +
        'any of (smtp.command with line ~ /^mail/i))',
    );
  });
});
