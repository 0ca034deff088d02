import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/world';
import { parseScenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import type { LookupOptions, LookupResult } from '../../../src/engine/dns/resolver';
import type { RecordType } from '../../../src/engine/dns/records';

const world = (extra: Partial<typeof defaultScenario> = {}) =>
  new World(parseScenario({ ...defaultScenario, ...extra }, 'test scenario'));

function lookup(w: World, name: string, type: RecordType, options?: LookupOptions): LookupResult {
  let result: LookupResult | undefined;
  w.resolver('laptop.alpha.example').lookup(name, type, (r) => (result = r), options);
  w.settle();
  if (!result) throw new Error('no answer');
  return result;
}

const queries = (w: World) => w.trace.events.filter((e) => e.type === 'dns.query');

describe('resolver lookup options (what dig, host and nslookup need)', () => {
  it('reports the message id, the AA bit and the query time of a network answer', () => {
    const w = world();
    const result = lookup(w, 'beta.example', 'MX');
    const [query] = queries(w);
    expect(result).toMatchObject({ ok: true, authoritative: false, queryTime: 20, cached: false });
    expect(result.ok && result.id).toBe(query?.type === 'dns.query' && query.qid);
  });

  it('with cache: false neither reads nor fills the cache', () => {
    const w = world();
    lookup(w, 'beta.example', 'MX', { cache: false });
    lookup(w, 'beta.example', 'MX', { cache: false });
    expect(queries(w)).toHaveLength(2);
    // The stub cache is still empty: a normal lookup asks the server too.
    expect(lookup(w, 'beta.example', 'MX')).toMatchObject({ cached: false });
    // …and fills it, while cache: false still bypasses it.
    expect(lookup(w, 'beta.example', 'MX')).toMatchObject({ cached: true, id: 0, queryTime: 0 });
    expect(lookup(w, 'beta.example', 'MX', { cache: false })).toMatchObject({ cached: false });
    expect(queries(w)).toHaveLength(4);
  });

  it('marks cached answers non-authoritative and keeps the SOA of a negative answer', () => {
    const w = world();
    const first = lookup(w, 'nosuch.example', 'A');
    const again = lookup(w, 'nosuch.example', 'A');
    expect(first.ok && first.authority.map((r) => r.type)).toEqual(['SOA']);
    expect(again).toMatchObject({ cached: true, authoritative: false, rcode: 'NXDOMAIN' });
    expect(again.ok && again.authority).toHaveLength(1);
  });

  it('asks another server when told to, and a host with no name server times out', () => {
    const w = world();
    let result: LookupResult | undefined;
    w.resolver('laptop.alpha.example').lookup('beta.example', 'MX', (r) => (result = r), {
      server: '203.0.113.25',
      attempts: 3,
      timeout: 1000,
    });
    w.advance(3000);
    expect(result).toEqual({ ok: false, error: 'timeout' });
    const timeouts = w.trace.events.filter((e) => e.type === 'dns.timeout');
    expect(timeouts.map((e) => [e.t, e.type === 'dns.timeout' && e.server])).toEqual([
      [1000, 'mx1.beta.example'],
      [2000, 'mx1.beta.example'],
      [3000, 'mx1.beta.example'],
    ]);
  });

  it('names an unknown server by its address in the trace', () => {
    const w = world();
    w.resolver('laptop.alpha.example').lookup('beta.example', 'MX', () => {}, {
      server: '192.0.2.99',
      attempts: 1,
    });
    expect(queries(w)[0]).toMatchObject({ server: '192.0.2.99' });
  });
});
