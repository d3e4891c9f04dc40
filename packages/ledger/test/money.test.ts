// Covers the exact money helpers: the fast Number path of nano-dollar rounding agrees with the
// exact decimal path (seeded values, values next to a half nano-dollar, large amounts), and
// NanoSum stays exact past 2^53 nano-dollars by spilling into a BigInt.
import { describe, expect, it } from 'vitest';
import { NanoSum, toNanoUsd, toNanoUsdNumber } from '../src/internal/money.ts';
import { prng } from './helpers.ts';

describe('money', () => {
  it('rounds to nano-dollars exactly on the fast path', () => {
    const r = prng(77);
    const values: number[] = [0, 1e-9, 5e-10, 1.5e-9, 2.5e-9, 0.1, 0.2, 0.3, 123.4567891235, 999.9999999995, 1e4 + 5e-10, 9e6, 4.5e7];
    for (let i = 0; i < 50_000; i++) {
      values.push(r() * 10 ** Math.floor(r() * 8 - 4));
      values.push(Math.floor(r() * 1e6) / 1e6 + 5e-10); // exactly between two nano-dollars, in decimal
    }
    const wrong = values.filter((v) => BigInt(toNanoUsdNumber(v)) !== toNanoUsd(v));
    expect(wrong).toEqual([]);
  });

  it('sums past 2^53 nano-dollars without losing a unit', () => {
    const sum = new NanoSum();
    let exact = 0n;
    for (let i = 0; i < 5_000; i++) {
      const n = 2 ** 50 + i * 7;
      sum.add(n);
      exact += BigInt(n);
    }
    expect(sum.total()).toBe(exact);
  });
});
