import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/store/scenarios';
import { parseScenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import {
  buildTopology,
  nodeFor,
  remoteOf,
  tokensFor,
  type TokenSpec,
} from '../../../src/ui/diagram/topology';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

const hostOf = (model: ReturnType<typeof buildTopology>, id: string) => {
  const n = model.nodes.find((x) => x.id === id)!;
  return n.users ? `mailboxes@${n.host}` : n.host;
};

describe('topology', () => {
  const model = buildTopology(loadScenario('default'));

  it('groups hosts by domain with fixed ids', () => {
    expect(model.nodes.map((n) => n.id)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'm0', 'm1']);
    const lines = model.source.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('  subgraph d0["alpha.example"]');
    expect(lines).toContain('  subgraph d1["example"]');
    expect(lines).toContain('  subgraph d2["beta.example"]');
    expect(model.source).toContain(
      'h3["mx1.beta.example<br/>MX server 203.0.113.25<br/>MX 10 for beta.example<br/>ports 25"]',
    );
    expect(model.source).toContain('m1[("mailboxes on mx1<br/>bob carol postmaster")]');
  });

  it('draws the paths mail and lookups take', () => {
    const pairs = model.edges.map((e) => `${hostOf(model, e.a)} ${e.kind} ${hostOf(model, e.b)}`);
    expect(pairs).toEqual([
      'laptop.alpha.example smtp mail.alpha.example',
      'mail.alpha.example smtp mx1.beta.example',
      'mail.alpha.example smtp mx2.beta.example',
      'mx2.beta.example smtp mx1.beta.example',
      'laptop.alpha.example dns ns.example',
      'mail.alpha.example dns ns.example',
      'mx1.beta.example dns ns.example',
      'mx2.beta.example dns ns.example',
      'mail.alpha.example mailbox mailboxes@mail.alpha.example',
      'mx1.beta.example mailbox mailboxes@mx1.beta.example',
    ]);
    for (const e of model.edges)
      expect(model.source).toMatch(new RegExp(`  ${e.a} ${e.id}@(---|-\\.-|-->) ${e.b}\\n`));
  });

  it('adds an edge for a pair seen connecting, once', () => {
    const more = buildTopology(loadScenario('default'), [
      ['laptop.alpha.example', 'mx1.beta.example'],
      ['mx1.beta.example', 'laptop.alpha.example'],
      ['outside.example', 'mx1.beta.example'],
    ]);
    expect(more.edges.length).toBe(model.edges.length + 1);
    expect(more.source).toContain(
      `h0 ${more.edges.find((e) => e.a === 'h0' && e.b === 'h3')!.id}@--- h3`,
    );
  });

  it('marks a down host', () => {
    const down = buildTopology(loadScenario('mx-fallback'));
    expect(down.nodes.find((n) => n.host === 'mx1.beta.example')!.down).toBe(true);
    expect(down.source).toContain('h3["⊘ DOWN&colon; mx1.beta.example');
    expect(down.source).toMatch(/class h3 down/);
  });

  it('escapes labels from the scenario', () => {
    const evil = buildTopology(
      parseScenario(
        {
          ...defaultScenario,
          users: [
            ...defaultScenario.users!,
            { address: '"]%%{init:{}}%%<b>x"@alpha.example', mailHost: 'mail.alpha.example' },
          ],
        },
        'evil',
      ),
    );
    const line = evil.source.split('\n').find((l) => l.includes('mailboxes on mail'))!;
    expect(line).toContain(
      '&quot;&rsqb;&percnt;&percnt;&lbrace;init&colon;&lbrace;&rbrace;&rbrace;&percnt;&percnt;&lt;b&gt;x&quot;',
    );
    const text = line.slice(line.indexOf('"') + 1, line.lastIndexOf('"')).replaceAll('<br/>', ' ');
    expect(text).not.toMatch(/["%<>{}[\]]/);
  });
});

describe('tokens', () => {
  const spec = (t: TokenSpec) =>
    `${t.kind} ${t.from.user ? `${t.from.user}@` : ''}${t.from.host} → ${t.to.user ? `${t.to.user}@` : ''}${t.to.host} ${t.glyph} ${t.label}`;

  it('follow a message: submission, DNS, relay, delivery', () => {
    const rt = run('default', submission('bob@beta.example'));
    const index = traceIndex(rt.lab.world);
    const all = rt.events.flatMap((e) => tokensFor(e, index)).map(spec);
    const expected = [
      /^submission laptop\.alpha\.example → mail\.alpha\.example ⇢ connect :587$/,
      /^submission laptop\.alpha\.example → mail\.alpha\.example ✉ message [0-9A-F]{10}$/,
      /^dns mail\.alpha\.example → ns\.example \? MX\? beta\.example$/,
      /^dns ns\.example → mail\.alpha\.example ! MX 10 mx1\.beta\.example \(\+1\)$/,
      /^relay mail\.alpha\.example → mx1\.beta\.example ⇢ connect :25$/,
      /^relay mail\.alpha\.example → mx1\.beta\.example ✉ message [0-9A-F]{10}$/,
      /^delivery mx1\.beta\.example → bob@mx1\.beta\.example ↓ message to bob$/,
    ];
    const at = expected.map((re) => all.findIndex((s) => re.test(s)));
    expect(
      at.every((i) => i >= 0),
      all.join('\n'),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    const model = buildTopology(rt.scenario);
    expect(nodeFor(model, { host: 'mx1.beta.example', user: 'bob' })!.id).toBe('m1');
  });

  it('show a rejection and the bounce in red, a timeout and retry in amber', () => {
    const bounce = run('default', submission('nobody@beta.example'));
    const bi = traceIndex(bounce.lab.world);
    const b = bounce.events
      .flatMap((e) => tokensFor(e, bi))
      .filter((t) => t.kind === 'bounce')
      .map(spec);
    expect(b[0]).toMatch(/^bounce mx1\.beta\.example → mail\.alpha\.example ✖ 550 5\.1\.1/);
    expect(b).toContain(
      'bounce mail.alpha.example → mail.alpha.example ↩ bounce to alice@alpha.example',
    );
    expect(b.at(-1)).toBe('bounce mail.alpha.example → alice@mail.alpha.example ↩ bounce to alice');

    const down = run('mx-fallback', submission('bob@beta.example'), 120_000);
    const di = traceIndex(down.lab.world);
    const d = down.events
      .flatMap((e) => tokensFor(e, di))
      .filter((t) => t.kind === 'deferral')
      .map(spec);
    expect(d[0]).toBe('deferral mail.alpha.example → mx1.beta.example ⊘ no answer: timed out');
    expect(d).toContain('deferral mx2.beta.example → mx1.beta.example ⊘ no answer: timed out');
    expect(d.at(-1)).toMatch(
      /^deferral mx2\.beta\.example → mx2\.beta\.example ↻ retry [0-9A-F]{10} later$/,
    );
  });

  it('show a closed port coming back as a refusal', () => {
    const rt = run('default', ['telnet mx1.beta.example 2525']);
    const index = traceIndex(rt.lab.world);
    const t = rt.events.flatMap((e) => tokensFor(e, index)).map(spec);
    expect(t).toContain(
      'deferral mx1.beta.example → laptop.alpha.example ✖ port 2525 closed: refused',
    );
    expect([...index.closedPorts.get('mx1.beta.example')!]).toEqual([2525]);
  });

  it('read the remote server from a queue reason', () => {
    expect(remoteOf('host mx1.beta.example[203.0.113.25] said: 550 5.1.1 …')).toBe(
      'mx1.beta.example',
    );
    expect(remoteOf('connect to mx1.beta.example[203.0.113.25]:25: Connection timed out')).toBe(
      'mx1.beta.example',
    );
    expect(remoteOf('Host or domain name not found.')).toBeUndefined();
  });
});
