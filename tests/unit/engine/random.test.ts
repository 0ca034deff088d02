/** The seeded generator: the engine's only source of chance (DESIGN.md, principle 2). */
import { describe, expect, it } from 'vitest';
import { Random } from '../../../src/engine/random';

const draw = (seed: number, n: number) => {
  const r = new Random(seed);
  return Array.from({ length: n }, () => r.next());
};

describe('Random', () => {
  it('is mulberry32: seed 1 starts 0.6270739405881613 … (saved replays depend on it)', () => {
    expect(draw(1, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it('the same seed gives the same sequence', () => {
    expect(draw(12345, 1000)).toEqual(draw(12345, 1000));
  });

  it('different seeds give different sequences', () => {
    const sequences = [0, 1, 2, 3, 42, 2 ** 31].map((s) => draw(s, 5).join());
    expect(new Set(sequences).size).toBe(sequences.length);
  });

  it('seeds are taken as unsigned 32-bit integers', () => {
    expect(draw(-1, 5)).toEqual(draw(0xffffffff, 5));
    expect(draw(2 ** 32 + 7, 5)).toEqual(draw(7, 5));
  });

  it('next() stays in [0, 1) and is roughly uniform', () => {
    const values = draw(7, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)]!++;
    for (const count of buckets) expect(Math.abs(count - 2_000)).toBeLessThan(200);
  });

  it('int(n) stays in [0, n) and reaches both ends', () => {
    const r = new Random(3);
    const seen = new Set<number>();
    for (let i = 0; i < 2_000; i++) {
      const v = r.int(6);
      expect(Number.isInteger(v) && v >= 0 && v < 6).toBe(true);
      seen.add(v);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('hex(n) gives n upper-case hex digits, deterministically (Postfix-like queue ids)', () => {
    const r = new Random(1);
    expect([r.hex(10), r.hex(10)]).toEqual(['A08FF49B6F', '772632716C']);
    expect(new Random(99).hex(32)).toMatch(/^[0-9A-F]{32}$/);
    expect(new Random(99).hex(0)).toBe('');
  });

  it('shuffle is an in-place, deterministic permutation', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const same = new Random(42).shuffle(items);
    expect(same).toBe(items);
    expect([...items].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(items).toEqual([3, 8, 2, 1, 7, 6, 4, 5]);
    expect(new Random(42).shuffle([1, 2, 3, 4, 5, 6, 7, 8])).toEqual(items);
  });

  it('shuffle reaches every ordering of three items', () => {
    const r = new Random(5);
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) seen.add(r.shuffle(['a', 'b', 'c']).join(''));
    expect(seen.size).toBe(6);
  });

  it('shuffle of zero or one item is a no-op that draws nothing', () => {
    const r = new Random(9);
    expect(r.shuffle([])).toEqual([]);
    expect(r.shuffle(['x'])).toEqual(['x']);
    expect(r.next()).toBe(new Random(9).next());
  });
});
