/** Scenario loading: a broken file is reported with its name and the failing fields. */
import { describe, expect, it } from 'vitest';
import {
  ScenarioError,
  builtInScenario,
  parseScenario,
  scenarioNames,
  type ScenarioInput,
} from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';

const SOURCE = 'scenarios/broken.json';

/** A deep copy of the default scenario, changed by `edit`. */
function variant(edit: (s: ScenarioInput & Record<string, unknown>) => void): unknown {
  const copy = structuredClone(defaultScenario) as ScenarioInput & Record<string, unknown>;
  edit(copy);
  return copy;
}

/** The message parseScenario throws for `input` (and that it is a ScenarioError). */
function problemWith(input: unknown): string {
  try {
    parseScenario(input, SOURCE);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).name).toBe('ScenarioError');
    return (error as Error).message;
  }
  throw new Error('parseScenario accepted the input');
}

describe('built-in scenarios', () => {
  it('lists "default" and parses it, filling in defaults', () => {
    expect(scenarioNames()).toContain('default');
    const s = builtInScenario('default');
    expect(s.name).toBe('default');
    expect(s.seed).toBe(1);
    expect(s.epoch).toBe('2026-01-05T09:00:00Z');
    const laptop = s.hosts.find((h) => h.name === 'laptop.alpha.example');
    expect(laptop).toMatchObject({
      up: true,
      smtp: [],
      localDomains: [],
      relayDomains: [],
      user: 'alice',
    });
    expect(s.links).toEqual([]);
  });

  it('does not change the built-in input when parsing it', () => {
    const before = structuredClone(defaultScenario);
    builtInScenario('default');
    expect(defaultScenario).toEqual(before);
  });

  it('an unknown name is an error that lists the built-in ones', () => {
    expect(() => builtInScenario('nope')).toThrow(
      /^unknown scenario "nope" \(built in: .*default.*\)$/,
    );
  });
});

describe('parseScenario errors name the source and the field', () => {
  it('starts with the source and "invalid scenario"', () => {
    expect(problemWith({})).toMatch(/^scenarios\/broken\.json: invalid scenario\n/);
  });

  it.each<[string, unknown, RegExp]>([
    ['a value that is not an object', 42, /\n {2}\(root\): /],
    ['a missing name', variant((s) => void delete (s as { name?: string }).name), /\n {2}name: /],
    ['an empty name', variant((s) => void (s.name = '')), /\n {2}name: /],
    [
      'a bad IPv4 address',
      variant((s) => void (s.hosts[1]!.address = '192.0.2.300')),
      /\n {2}hosts\.1\.address: must be an IPv4 address(\n|$)/,
    ],
    [
      'a host name with a space',
      variant((s) => void (s.hosts[0]!.name = 'my laptop')),
      /\n {2}hosts\.0\.name: must be a host name(\n|$)/,
    ],
    [
      'an unknown role',
      variant((s) => void ((s.hosts[2] as { role: string }).role = 'router')),
      /\n {2}hosts\.2\.role: /,
    ],
    [
      'a port out of range',
      variant((s) => void (s.hosts[1]!.smtp![0]!.port = 70_000)),
      /\n {2}hosts\.1\.smtp\.0\.port: /,
    ],
    [
      'fewer recipients than RFC 5321 §4.5.3.1.8 allows',
      variant((s) => void (s.hosts[3]!.smtp![0]!.maxRecipients = 50)),
      /\n {2}hosts\.3\.smtp\.0\.maxRecipients: /,
    ],
    [
      'a user address without @',
      variant((s) => void (s.users![0]!.address = 'alice')),
      /\n {2}users\.0\.address: must be local@domain(\n|$)/,
    ],
    ['no hosts at all', variant((s) => void (s.hosts = [])), /\n {2}hosts: /],
    ['a seed that is not an integer', variant((s) => void (s.seed = 1.5)), /\n {2}seed: /],
    [
      'an epoch that is not an ISO date-time',
      variant((s) => void (s.epoch = 'yesterday')),
      /\n {2}epoch: /,
    ],
    [
      'a negative link latency',
      variant(
        (s) => void (s.links = [{ a: 'mx1.beta.example', b: 'mx2.beta.example', latencyMs: -1 }]),
      ),
      /\n {2}links\.0\.latencyMs: /,
    ],
  ])('%s', (_name, input, field) => {
    expect(problemWith(input)).toMatch(field);
  });

  it.each<[string, unknown, string]>([
    [
      'a user on a host that does not exist',
      variant((s) => void (s.users![2]!.mailHost = 'mx9.beta.example')),
      '  users.2.mailHost: no host named mx9.beta.example',
    ],
    [
      'an MX naming a host that does not exist',
      variant((s) => void (s.domains![1]!.mx![1]!.host = 'mx3.beta.example')),
      '  domains.1.mx.1.host: no host named mx3.beta.example',
    ],
    [
      'a link to a host that does not exist',
      variant((s) => void (s.links = [{ a: 'mx1.beta.example', b: 'gone.example', latencyMs: 5 }])),
      '  links.0.b: no host named gone.example',
    ],
  ])('a dangling reference: %s', (_name, input, line) => {
    expect(problemWith(input)).toBe(`${SOURCE}: invalid scenario\n${line}`);
  });

  it('lists every problem, one per line', () => {
    const message = problemWith(
      variant((s) => {
        s.hosts[0]!.address = '192.0.2.256';
        s.users![0]!.address = 'alice';
      }),
    );
    expect(message.split('\n').slice(1)).toEqual([
      '  hosts.0.address: must be an IPv4 address',
      '  users.0.address: must be local@domain',
    ]);
  });
});

describe('SMTP service policies', () => {
  it('the default world: mail.alpha.example is MX on 25, submission on 587, submissions on 465', () => {
    const msa = builtInScenario('default').hosts.find((h) => h.name === 'mail.alpha.example')!;
    expect(msa.smtp.map((s) => [s.port, s.kind])).toEqual([
      [25, 'mx'],
      [587, 'submission'],
      [465, 'submissions'],
    ]);
    // Defaults are filled in.
    expect(msa.smtp[1]).toMatchObject({
      pregreet: 'reject',
      vrfy: 'ambiguous',
      bareNewline: 'reject',
      longLines: 'accept',
      maxHops: 50,
      greetPauseMs: 0,
      rejectClients: [],
      faults: [],
    });
  });

  it('takes every policy a service can have', () => {
    const input = variant((s) => {
      s.hosts[3]!.smtp = [
        {
          port: 25,
          kind: 'mx',
          hostname: 'smtp.beta.example',
          extensions: ['PIPELINING', 'SIZE'],
          tls: 'required',
          auth: { mechanisms: ['LOGIN'], required: false, tlsOnly: true },
          relay: { open: false, networks: ['203.0.113.0/24', '192.0.2.10'] },
          rejectClients: ['198.51.100.0/24'],
          greylisting: {},
          greetPauseMs: 3000,
          pregreet: 'drop',
          vrfy: 'verify',
          expn: { staff: ['bob@beta.example', 'carol@beta.example'] },
          bareNewline: 'disconnect',
          longLines: 'reject',
          maxHops: 100,
          faults: [
            { step: 'RCPT', reply: '451 4.3.0 Try again later', times: 2 },
            { step: 'CONNECT', reply: '421 4.3.2 mx1.beta.example Not now' },
          ],
        },
      ];
      s.faults = [{ type: 'disk-full', host: 'mx1.beta.example' }];
    });
    const s = parseScenario(input, SOURCE);
    expect(s.hosts[3]!.smtp[0]).toMatchObject({
      greylisting: { delaySeconds: 300 },
      relay: { open: false, authenticated: true },
    });
    expect(s.faults).toEqual([{ type: 'disk-full', host: 'mx1.beta.example', freeBytes: 0 }]);
  });

  const withService = (service: Record<string, unknown>) =>
    variant((s) => void (s.hosts[3]!.smtp = [{ port: 25, ...service } as never]));

  it.each<[string, unknown, RegExp]>([
    ['an unknown kind', withService({ kind: 'relay' }), /hosts\.3\.smtp\.0\.kind: /],
    [
      'an unknown extension',
      withService({ extensions: ['XEXPS'] }),
      /hosts\.3\.smtp\.0\.extensions\.0: /,
    ],
    ['an unknown TLS mode', withService({ tls: 'sometimes' }), /hosts\.3\.smtp\.0\.tls: /],
    [
      'an unknown SASL mechanism',
      withService({ auth: { mechanisms: ['CRAM-MD5'] } }),
      /auth\.mechanisms\.0: /,
    ],
    [
      'a bad CIDR block',
      withService({ rejectClients: ['192.0.2.0/33'] }),
      /rejectClients\.0: must be an IPv4 address or CIDR block/,
    ],
    [
      'a fault that is not a reply',
      withService({ faults: [{ step: 'MAIL', reply: 'nope' }] }),
      /faults\.0\.reply: must be a reply such as/,
    ],
    [
      'a fault that is a success',
      withService({ faults: [{ step: 'MAIL', reply: '250 2.0.0 Ok' }] }),
      /faults\.0\.reply: a fault is a 4xx or 5xx reply/,
    ],
    [
      'a CONNECT fault other than 421 or 554',
      withService({ faults: [{ step: 'CONNECT', reply: '451 4.3.0 x' }] }),
      /faults\.0\.reply: at CONNECT the reply is 421 or 554/,
    ],
    [
      'a fault at an unknown step',
      withService({ faults: [{ step: 'HELLO', reply: '451 x' }] }),
      /faults\.0\.step: /,
    ],
    [
      'an enhanced code of another class',
      withService({ faults: [{ step: 'MAIL', reply: '451 5.3.0 x' }] }),
      /faults\.0\.reply: /,
    ],
    ['fewer than one hop', withService({ maxHops: 0 }), /maxHops: /],
  ])('%s', (_name, input, field) => {
    expect(problemWith(input)).toMatch(field);
  });

  it('two services on one port, and a full disk on a host that does not exist', () => {
    const message = problemWith(
      variant((s) => {
        s.hosts[3]!.smtp = [{ port: 25 }, { port: 25 }];
        s.faults = [{ type: 'disk-full', host: 'mx9.beta.example' }];
      }),
    );
    expect(message.split('\n').slice(1)).toEqual([
      '  faults.0.host: no host named mx9.beta.example',
      '  hosts.3.smtp.1.port: 25 is listed twice',
    ]);
  });
});
