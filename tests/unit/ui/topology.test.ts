import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/store/scenarios';
import {
  buildTopology,
  nodeFor,
  remoteOf,
  tokensFor,
  type TokenSpec,
  type TopologyNode,
} from '../../../src/ui/diagram/topology';
import { traceIndex } from '../../../src/ui/model/traceIndex';
import { run, submission } from './support';

const hostOrMailbox = (n: TopologyNode) => (n.users ? `mailboxes@${n.host}` : n.host);
const hostOf = (model: ReturnType<typeof buildTopology>, id: string) =>
  hostOrMailbox(model.nodes.find((x) => x.id === id)!);

describe('topology', () => {
  const model = buildTopology(loadScenario('default'));

  it('has a node per host and per host that keeps mailboxes, with fixed ids', () => {
    expect(model.nodes.map((n) => n.id)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4', 'm0', 'm1']);
    expect(model.nodes.map(hostOrMailbox)).toEqual([
      'laptop.alpha.example',
      'mail.alpha.example',
      'ns.example',
      'mx1.beta.example',
      'mx2.beta.example',
      'mailboxes@mail.alpha.example',
      'mailboxes@mx1.beta.example',
    ]);
    expect(model.nodes.find((n) => n.id === 'm1')!.users).toEqual(['bob', 'carol', 'postmaster']);
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
    expect(model.edges.map((e) => e.id)).toEqual(model.edges.map((_, i) => `e${i}`));
  });

  it('adds an edge for a pair seen connecting, once', () => {
    const more = buildTopology(loadScenario('default'), [
      ['laptop.alpha.example', 'mx1.beta.example'],
      ['mx1.beta.example', 'laptop.alpha.example'],
      ['outside.example', 'mx1.beta.example'],
    ]);
    expect(more.edges.length).toBe(model.edges.length + 1);
    expect(more.edges.filter((e) => e.a === 'h0' && e.b === 'h3')).toEqual([
      { id: 'e4', a: 'h0', b: 'h3', kind: 'smtp' },
    ]);
  });

  it('marks a down host: as the scenario starts, or as it is now', () => {
    const down = buildTopology(loadScenario('mx-fallback'));
    expect(down.nodes.filter((n) => n.down).map((n) => n.host)).toEqual(['mx1.beta.example']);
    const now = buildTopology(loadScenario('mx-fallback'), [], new Set(['ns.example']));
    expect(now.nodes.filter((n) => n.down).map((n) => n.host)).toEqual(['ns.example']);
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
