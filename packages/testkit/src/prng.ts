/**
 * A seeded pseudo-random number generator for tests that generate data (fuzzed mail, ledger
 * rows, kill schedules): the same seed gives the same sequence on every machine, so a failure
 * that prints its seed can be replayed.
 */

/** Numbers in [0, 1), like Math.random. */
export type Random = () => number;

/**
 * mulberry32: 32 bits of state, fast, and well enough spread for picking cases. Not for
 * anything that needs to be unpredictable.
 */
export function prng(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
