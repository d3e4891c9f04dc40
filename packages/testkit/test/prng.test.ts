// The seeded PRNG: same seed, same sequence; different seeds differ; values stay in [0, 1).
import { describe, expect, it } from 'vitest';
import { prng } from '../src/prng.ts';

describe('prng', () => {
  it('replays a sequence from its seed', () => {
    const a = prng(20241007);
    const b = prng(20241007);
    const xs = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(xs);
    expect(xs[0]).not.toBe(prng(20241008)());
  });

  it('stays in [0, 1) and spreads over it', () => {
    const r = prng(1);
    const buckets = new Array<number>(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]! += 1;
    }
    for (const n of buckets) expect(n).toBeGreaterThan(800);
  });
});
