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
