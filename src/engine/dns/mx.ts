/**
 * Where to deliver mail for a domain (RFC 5321 §5.1): the MX records sorted by preference,
 * equal preferences shuffled (with the world's seeded random source), the domain itself as
 * an implicit MX only when it has no MX records but has an address, and nowhere for a null
 * MX (RFC 7505). A temporary DNS failure defers; a domain that does not exist fails.
 */
import type { Random } from '../random';
import type { LookupResult, Resolver } from './resolver';

export type MxPlan =
  | { kind: 'hosts'; hosts: { host: string; preference: number }[]; implicit: boolean }
  | { kind: 'null-mx' }
  | { kind: 'no-such-domain' }
  | { kind: 'temporary'; reason: string };

export function planMx(
  resolver: Resolver,
  domain: string,
  random: Random,
  done: (plan: MxPlan) => void,
): void {
  resolver.lookup(domain, 'MX', (result) => {
    const failure = temporary(result);
    if (failure) return done(failure);
    if (!result.ok) return;
    if (result.rcode === 'NXDOMAIN') return done({ kind: 'no-such-domain' });
    const mx = result.answers.filter((r) => r.type === 'MX');
    if (mx.length > 0) {
      // RFC 7505 §3: a single MX with preference 0 and exchange "." means "no mail".
      if (mx.length === 1 && mx[0]!.value === '.') return done({ kind: 'null-mx' });
      return done({ kind: 'hosts', hosts: order(mx, random), implicit: false });
    }
    // RFC 5321 §5.1: no MX records → the domain's own address is the implicit MX.
    resolver.lookup(domain, 'A', (a) => {
      const failure = temporary(a);
      if (failure) return done(failure);
      if (!a.ok) return;
      const hasAddress = a.answers.some((r) => r.type === 'A');
      done(
        hasAddress
          ? { kind: 'hosts', hosts: [{ host: domain, preference: 0 }], implicit: true }
          : { kind: 'no-such-domain' },
      );
    });
  });
}

function temporary(result: LookupResult): MxPlan | undefined {
  if (!result.ok) return { kind: 'temporary', reason: 'DNS lookup timed out' };
  if (result.rcode === 'SERVFAIL' || result.rcode === 'REFUSED') {
    return { kind: 'temporary', reason: `DNS lookup failed (${result.rcode})` };
  }
  return undefined;
}

/** Sort by preference; shuffle within each preference (§5.1: "randomize"). */
function order(mx: { value: string; preference?: number }[], random: Random) {
  const groups = new Map<number, string[]>();
  for (const r of mx) {
    const p = r.preference ?? 0;
    groups.set(p, [...(groups.get(p) ?? []), r.value]);
  }
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .flatMap((p) => random.shuffle([...groups.get(p)!]).map((host) => ({ host, preference: p })));
}
