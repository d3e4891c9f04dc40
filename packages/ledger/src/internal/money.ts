/**
 * Money without float drift. Adding thousands of values like 0.000123 as doubles drifts in the
 * last digits (0.1 + 0.2 !== 0.3), and a report whose total differs from the sum of its rows
 * looks wrong even when the error is a billionth of a cent. So each row's dollars are rounded
 * once to integer nano-dollars (1e-9 USD, finer than any per-token price: a cached read on the
 * cheapest model is a few nano-dollars per token) and summed as a BigInt, which cannot overflow.
 * The total is turned back into dollars in one correctly rounded step: the result is the double
 * nearest the exact decimal total.
 */

/** Nano-dollars per dollar. */
export const NANOS_PER_USD = 1_000_000_000n;

/** A row's dollars as integer nano-dollars (the exact double rounded to the nearest nano-dollar). */
export function toNanoUsd(usd: number): bigint {
  // toFixed rounds the exact binary value in decimal (no multiply, so no extra rounding step)
  // and is exact for anything below 1e21.
  return BigInt(usd.toFixed(9).replace('.', ''));
}

/** Nano-dollars back to dollars, rounded once (to the double nearest the exact decimal). */
export function nanoUsdToUsd(nanos: bigint): number {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  // Number() of a decimal string is correctly rounded at any size, unlike Number(bigint) / 1e9,
  // which rounds twice once the total passes 2^53 nano-dollars (~$9M).
  return Number(`${sign}${abs / NANOS_PER_USD}.${(abs % NANOS_PER_USD).toString().padStart(9, '0')}`);
}

/**
 * The same as {@link toNanoUsd}, as a Number, without a string round trip where it is safe:
 * `usd * 1e9` is off from the exact product by at most half a unit in its last place (about
 * 1e-4 below $1,000), so rounding it gives the exact answer unless the product sits next to a
 * half; those cases, and large amounts, take the exact decimal path.
 */
export function toNanoUsdNumber(usd: number): number {
  const scaled = usd * 1e9;
  if (scaled < 1e12) {
    const frac = scaled - Math.floor(scaled);
    if (Math.abs(frac - 0.5) > 1e-3) return Math.round(scaled);
  }
  return Number(toNanoUsd(usd));
}

/** Exact sum of nano-dollars: a Number while it is exact, spilling into a BigInt beyond. */
export class NanoSum {
  private small = 0;
  private big = 0n;
  add(nanos: number): void {
    this.small += nanos;
    // Below 2^53 every integer sum is exact; spill well before (each addend is below 2^53 too).
    if (this.small > 2 ** 52) {
      this.big += BigInt(this.small);
      this.small = 0;
    }
  }
  total(): bigint {
    return this.big + BigInt(this.small);
  }
}
