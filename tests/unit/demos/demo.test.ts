/**
 * Demo files: the header, captions cut by pauses, expectations, and a clear error naming
 * the file and the line for each mistake; the script form's caption directives, and what
 * `lab run` prints for them.
 */
import { describe, expect, it } from 'vitest';
import { parseDemo, type Demo } from '../../../src/demos/demo';
import { parseExpectation, runDemo } from '../../../src/demos/check';
import { Lab } from '../../../src/shell/lab';
import { parseScript, runScript, ScriptError } from '../../../src/shell/script';

const FILE = 'demos/test.demo';

const GOOD = `#! id hello
#! title Hello, mx1
#! scenario default
#! summary alice says hello to mx1.

#! caption alice connects to bob's server.
telnet mx1.beta.example 25
#! expect {event: smtp.reply, match: {server: mx1.beta.example, code: 220}}
#! pause
EHLO laptop.alpha.example
#! caption She leaves.
QUIT
#! host mx1.beta.example
#! wait 90s
date
`;

function errorsOf(text: string): string[] {
  const parsed = parseDemo(FILE, text);
  if (parsed.ok) throw new Error('expected the demo to be refused');
  return parsed.errors;
}

function demoOf(text: string): Demo {
  const parsed = parseDemo(FILE, text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.demo;
}

describe('parseDemo', () => {
  it('reads the header, the captions, their parts and steps with their lines', () => {
    const demo = demoOf(GOOD);
    expect(demo).toMatchObject({
      file: FILE,
      id: 'hello',
      title: 'Hello, mx1',
      scenario: 'default',
      summary: 'alice says hello to mx1.',
    });
    expect(demo.captions.map((c) => [c.text, c.line, c.parts.length])).toEqual([
      ["alice connects to bob's server.", 6, 2],
      ['She leaves.', 11, 1],
    ]);
    expect(demo.captions[0]!.parts).toEqual([
      [
        { kind: 'type', text: 'telnet mx1.beta.example 25', line: 7 },
        {
          kind: 'expect',
          check: '{event: smtp.reply, match: {server: mx1.beta.example, code: 220}}',
          line: 8,
        },
      ],
      [{ kind: 'type', text: 'EHLO laptop.alpha.example', line: 10 }],
    ]);
    expect(demo.captions[1]!.parts[0]).toEqual([
      { kind: 'type', text: 'QUIT', line: 12 },
      { kind: 'host', host: 'mx1.beta.example', line: 13 },
      { kind: 'wait', ms: 90_000, line: 14 },
      { kind: 'type', text: 'date', line: 15 },
    ]);
  });

  it('keeps blank lines after the first caption: they are typed (a message body needs them)', () => {
    const demo = demoOf(
      GOOD.replace('EHLO laptop.alpha.example\n', 'EHLO laptop.alpha.example\n\n'),
    );
    expect(demo.captions[0]!.parts[1]).toContainEqual({ kind: 'type', text: '', line: 11 });
  });

  it('names the file and line of a bad directive, of each kind', () => {
    expect(errorsOf(GOOD.replace('#! wait 90s', '#! wait soon'))).toEqual([
      `${FILE}:14: bad duration "soon" (such as 90s, 30m or 2h)`,
    ]);
    expect(errorsOf(GOOD.replace('#! pause', '#! jump 3'))[0]).toMatch(
      new RegExp(`^${FILE}:9: unknown directive "#! jump 3" \\(a demo has #! id, #! title`),
    );
    expect(errorsOf(GOOD.replace('#! host mx1.beta.example', '#! host nowhere.example'))).toEqual([
      `${FILE}:13: no host named "nowhere.example" in scenario "default"`,
    ]);
    expect(errorsOf(GOOD.replace('#! caption She leaves.', '#! caption'))).toEqual([
      `${FILE}:11: "#! caption" needs the text to show`,
    ]);
    expect(errorsOf(GOOD.replace('#! pause', '#! pause now'))).toEqual([
      `${FILE}:9: "#! pause" takes no arguments`,
    ]);
    expect(errorsOf(GOOD.replace('#! expect {event', '#! expect\n#! x {event'))[0]).toBe(
      `${FILE}:8: "#! expect" needs a check`,
    );
  });

  it('refuses a header that is incomplete, repeated, misplaced or names no such scenario', () => {
    expect(errorsOf(GOOD.replace('#! title Hello, mx1\n', ''))).toEqual([
      `${FILE}:1: the header needs "#! title"`,
    ]);
    expect(errorsOf(GOOD.replace('#! id hello', '#! id Hello World'))).toEqual([
      `${FILE}:1: "#! id Hello World": use lower-case letters, digits and dashes`,
    ]);
    expect(errorsOf(GOOD.replace('#! summary', '#! title Again\n#! summary'))).toEqual([
      `${FILE}:4: a second "#! title"`,
    ]);
    expect(errorsOf(GOOD.replace('date\n', 'date\n#! scenario greylisting\n'))).toEqual([
      `${FILE}:16: "#! scenario" belongs in the header, before the first caption`,
    ]);
    expect(errorsOf(GOOD.replace('#! scenario default', '#! scenario atlantis'))[0]).toMatch(
      new RegExp(`^${FILE}:1: unknown scenario "atlantis"`),
    );
  });

  it('refuses typing before the first caption, a demo without captions or expectations', () => {
    expect(errorsOf(GOOD.replace('\n#! caption alice', '\nhostname\n#! caption alice'))).toEqual([
      `${FILE}:6: everything after the header belongs to a caption`,
    ]);
    expect(errorsOf(GOOD.slice(0, GOOD.indexOf('#! caption')))).toEqual([
      `${FILE}:1: a demo needs at least one "#! caption"`,
    ]);
    expect(errorsOf(GOOD.replace(/#! expect .*\n/, ''))).toEqual([
      `${FILE}:1: a demo states its outcome with at least one "#! expect"`,
    ]);
  });

  it('refuses a pause with nothing before or after it in its caption', () => {
    expect(errorsOf(GOOD.replace('QUIT\n', '#! pause\nQUIT\n'))).toEqual([
      `${FILE}:12: "#! pause" with nothing before it`,
    ]);
    expect(errorsOf(`${GOOD}#! pause\n`)).toEqual([
      `${FILE}:11: the caption "She leaves." ends with "#! pause": nothing follows it`,
    ]);
  });

  it('reports every problem, not only the first', () => {
    const errors = errorsOf(
      GOOD.replace('#! wait 90s', '#! wait soon').replace('#! pause', '#! stop'),
    );
    expect(errors.map((e) => e.split(':')[1])).toEqual(['9', '14']);
  });
});

describe('expectations', () => {
  it('are checks of the lesson language, on one line of YAML', () => {
    expect(parseExpectation('{event: mail.delivered, match: {user: bob}}')).toHaveProperty('check');
    expect(parseExpectation('{event: mail.teleported}')).toEqual({
      error: expect.stringMatching(/mail\.teleported/),
    });
    expect(parseExpectation('{event: [')).toEqual({ error: expect.stringMatching(/^not YAML/) });
  });

  it('hold or fail where they stand, naming the file and the line', () => {
    const good = runDemo(demoOf(GOOD));
    expect(good.failure).toBeUndefined();
    expect(good.passed).toBe(1);
    const wrong = demoOf(GOOD.replace('code: 220', 'code: 554'));
    const run = runDemo(wrong);
    expect(run.failure?.line).toBe(8);
    expect(run.failure?.message).toMatch(
      new RegExp(
        `^${FILE}:8: expected smtp\\.reply with .*code = 554.*, but it did not happen under the caption "alice connects to bob's server\\."`,
      ),
    );
    // What the terminals showed up to the failure, for the teacher to read.
    expect(run.output).toContain('220 mx1.beta.example ESMTP');
  });

  it('look only at what happened since their caption began', () => {
    const late = demoOf(
      GOOD.replace(/#! expect .*\n/, '').replace(
        'date\n',
        'date\n#! expect {event: smtp.reply, match: {server: mx1.beta.example, code: 220}}\n',
      ),
    );
    // The 220 came under the first caption; the expectation stands under the second.
    expect(runDemo(late).failure?.line).toBe(15);
  });
});

describe('captions in the script form', () => {
  it('parses #! caption and #! pause with their lines', () => {
    expect(
      parseScript('#! caption Hello there\nhostname\n#! pause\n#!caption  x  y \n', 's'),
    ).toEqual([
      { kind: 'caption', text: 'Hello there', line: 1 },
      { kind: 'type', text: 'hostname', line: 2 },
      { kind: 'pause', line: 3 },
      { kind: 'caption', text: 'x  y', line: 4 },
    ]);
  });

  it('names the source and line of a bad caption or pause', () => {
    expect(() => parseScript('hostname\n#! caption   \n', 'talk.script')).toThrow(
      new ScriptError('talk.script:2: "#! caption" needs the text to show'),
    );
    expect(() => parseScript('#! pause 5s\n', 'talk.script')).toThrow(
      new ScriptError('talk.script:1: "#! pause" takes no arguments'),
    );
    expect(() => parseScript('#! host a b\n', 'talk.script')).toThrow(
      new ScriptError('talk.script:1: "#! host" takes one host name'),
    );
  });

  it('lab run prints each caption on a line of its own and goes straight on at a pause', () => {
    const out = runScript(
      new Lab(),
      '#! caption Who am I?\nhostname\n#! pause\n#! caption And where?\n#! host mx1.beta.example\nhostname\n',
      'talk.script',
    );
    expect(out).toBe(
      [
        '[caption] Who am I?',
        'alice@laptop:~$ hostname',
        'laptop',
        'alice@laptop:~$',
        '[caption] And where?',
        'alice@laptop:~$',
        '== mx1.beta.example ==',
        'root@mx1:~# hostname',
        'mx1',
        'root@mx1:~#',
        '',
      ].join('\n'),
    );
  });
});
