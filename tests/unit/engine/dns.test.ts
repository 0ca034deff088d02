import { describe, expect, it } from 'vitest';
import { World } from '../../../src/engine/world';
import { builtInScenario, parseScenario } from '../../../src/engine/scenario';
import { defaultScenario } from '../../../src/engine/scenario/default';
import { planMx, type MxPlan } from '../../../src/engine/dns/mx';
import { QUERY_ATTEMPTS, QUERY_TIMEOUT, type LookupResult } from '../../../src/engine/dns/resolver';
import type { RecordType } from '../../../src/engine/dns/records';

function world(extra: Partial<typeof defaultScenario> = {}) {
  return new World(parseScenario({ ...defaultScenario, ...extra }, 'test scenario'));
}

function lookup(
  w: World,
  name: string,
  type: RecordType,
  from = 'laptop.alpha.example',
): LookupResult {
  let result: LookupResult | undefined;
  w.resolver(from).lookup(name, type, (r) => (result = r));
  w.settle();
  if (!result) throw new Error('no answer');
  return result;
}

function plan(w: World, domain: string, from = 'mail.alpha.example'): MxPlan {
  let result: MxPlan | undefined;
  planMx(w.resolver(from), domain, w.random, (p) => (result = p));
  w.settle();
  if (!result) throw new Error('no plan');
  return result;
}

describe('the name server and stub resolver', () => {
  it('answers A queries over simulated UDP, visible as query and answer in the trace', () => {
    const w = world();
    const result = lookup(w, 'mx1.beta.example', 'A');
    expect(result).toMatchObject({ ok: true, rcode: 'NOERROR', cached: false });
    expect(result.ok && result.answers.map((r) => r.value)).toEqual(['203.0.113.25']);
    const dns = w.trace.events.filter((e) => e.type.startsWith('dns.'));
    expect(dns.map((e) => e.type)).toEqual(['dns.query', 'dns.answer']);
    expect(dns[1]).toMatchObject({
      host: 'laptop.alpha.example',
      server: 'ns.example',
      name: 'mx1.beta.example',
      qtype: 'A',
      answers: ['mx1.beta.example. 300 IN A 203.0.113.25'],
      t: 20, // one round trip of 2 × 10 ms
    });
  });

  it('caches for the TTL in virtual time, then asks again', () => {
    const w = world();
    lookup(w, 'beta.example', 'MX');
    const second = lookup(w, 'beta.example', 'MX');
    expect(second).toMatchObject({ ok: true, cached: true });
    w.advance(301_000);
    expect(lookup(w, 'beta.example', 'MX')).toMatchObject({ ok: true, cached: false });
    expect(w.trace.events.filter((e) => e.type === 'dns.query')).toHaveLength(2);
  });

  it('answers NXDOMAIN for a name that does not exist and caches it negatively', () => {
    const w = world();
    expect(lookup(w, 'nosuch.example', 'A')).toMatchObject({
      ok: true,
      rcode: 'NXDOMAIN',
      answers: [],
    });
    expect(lookup(w, 'nosuch.example', 'A')).toMatchObject({
      ok: true,
      rcode: 'NXDOMAIN',
      cached: true,
    });
  });

  it('follows a CNAME and returns the chain', () => {
    const w = world({
      records: [{ type: 'CNAME', name: 'smtp.beta.example', value: 'mx1.beta.example' }],
    });
    const result = lookup(w, 'smtp.beta.example', 'A');
    expect(result.ok && result.answers.map((r) => `${r.type} ${r.value}`)).toEqual([
      'CNAME mx1.beta.example',
      'A 203.0.113.25',
    ]);
  });

  it('has a PTR for every host', () => {
    const w = world();
    const result = lookup(w, '25.113.0.203.in-addr.arpa', 'PTR');
    expect(result.ok && result.answers[0]?.value).toBe('mx1.beta.example');
  });

  it('times out and retries when the name server is down', () => {
    const w = world({ faults: [{ type: 'host-down', host: 'ns.example' }] });
    let result: LookupResult | undefined;
    w.resolver('laptop.alpha.example').lookup('beta.example', 'MX', (r) => (result = r));
    w.advance(QUERY_TIMEOUT * QUERY_ATTEMPTS);
    expect(result).toEqual({ ok: false, error: 'timeout' });
    expect(w.trace.events.filter((e) => e.type === 'dns.timeout')).toHaveLength(QUERY_ATTEMPTS);
  });
});

describe('MX selection (RFC 5321 §5.1)', () => {
  it('orders by preference', () => {
    expect(plan(world(), 'beta.example')).toEqual({
      kind: 'hosts',
      implicit: false,
      hosts: [
        { host: 'mx1.beta.example', preference: 10 },
        { host: 'mx2.beta.example', preference: 20 },
      ],
    });
  });

  it('shuffles equal preferences with the seeded random source, the same for the same seed', () => {
    const records = ['a', 'b', 'c', 'd'].map((n, i) => ({
      type: 'MX' as const,
      name: 'gamma.example',
      preference: 10,
      value: `mx${i}.gamma.example`,
    }));
    const orders = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const run = () => {
        const p = plan(world({ seed, records }), 'gamma.example');
        return p.kind === 'hosts' ? p.hosts.map((h) => h.host).join(',') : p.kind;
      };
      const first = run();
      expect(run()).toBe(first);
      orders.add(first);
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('uses the A record as an implicit MX only when there is no MX', () => {
    const w = world({ records: [{ type: 'A', name: 'delta.example', value: '192.0.2.99' }] });
    expect(plan(w, 'delta.example')).toEqual({
      kind: 'hosts',
      implicit: true,
      hosts: [{ host: 'delta.example', preference: 0 }],
    });
  });

  it('never uses the domain A record when MX records exist', () => {
    const w = world({ records: [{ type: 'A', name: 'beta.example', value: '192.0.2.98' }] });
    const p = plan(w, 'beta.example');
    expect(p.kind === 'hosts' && p.hosts.map((h) => h.host)).toEqual([
      'mx1.beta.example',
      'mx2.beta.example',
    ]);
  });

  it('recognises a null MX (RFC 7505)', () => {
    const w = world({
      records: [{ type: 'MX', name: 'nomail.example', preference: 0, value: '.' }],
    });
    expect(plan(w, 'nomail.example')).toEqual({ kind: 'null-mx' });
  });

  it('fails a domain that does not exist and defers on a temporary DNS failure', () => {
    expect(plan(world(), 'nosuch.example')).toEqual({ kind: 'no-such-domain' });
    const w = world({ faults: [{ type: 'dns-servfail', name: 'beta.example' }] });
    expect(plan(w, 'beta.example')).toEqual({
      kind: 'temporary',
      reason: 'DNS lookup failed (SERVFAIL)',
    });
  });
});

describe('scenario validation', () => {
  it('names the file and the field of a bad DNS record or fault', () => {
    expect(() =>
      parseScenario(
        { ...defaultScenario, records: [{ type: 'MX', name: 'x.example', value: 'mx.example' }] },
        'lab.json',
      ),
    ).toThrow(/lab\.json: invalid scenario\n {2}records\.0\.preference: /);
    expect(() =>
      parseScenario(
        { ...defaultScenario, faults: [{ type: 'host-down', host: 'ghost.example' }] },
        'lab.json',
      ),
    ).toThrow('lab.json: invalid scenario\n  faults.0.host: no host named ghost.example');
  });

  it('the default scenario is valid', () => {
    expect(builtInScenario('default').hosts).toHaveLength(5);
  });
});
