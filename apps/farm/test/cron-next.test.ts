// Covers src/cron/ (farm status's next run without node-cron) against node-cron itself, by brute
// force: for random five-field expressions (lists, ranges, wrapping ranges, steps, names,
// nicknames, day of month AND day of week) our reader accepts only what node-cron's validate
// accepts, and for random instants and zones (America/New_York and Europe/Paris around their DST
// changes, Asia/Kolkata's half-hour offset, UTC) the next fire equals the first minute that
// node-cron's task.match() accepts, walking minute by minute (up to 8 days). Seeded: a failure
// prints the seed, the expression, the zone and the instant.
import { createTask, validate } from 'node-cron';
import { describe, expect, it } from 'vitest';
import { nextMatch } from '../src/cron/next.ts';
import { parseCron } from '../src/cron/parse.ts';

const SEED = Number(process.env.CRON_TEST_SEED ?? 20261205);
const MINUTE = 60_000;
const ZONES = ['America/New_York', 'Europe/Paris', 'Asia/Kolkata', 'UTC'];
// Instants around the 2026 DST changes (UTC): New York at 02:00 local, Paris at 02:00/03:00.
const DST = ['2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z', '2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z'].map(Date.parse);

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const r = rng(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;

/** One field of random shape, sometimes out of range or in a form node-cron refuses. */
function fieldOf(lo: number, hi: number, names: readonly string[], hot: readonly number[]): string {
  const n = (): string => (names.length > 0 && r() < 0.2 ? pick(names) : String(r() < 0.5 ? pick(hot) : int(lo, hi)));
  const item = (): string => {
    const k = r();
    if (k < 0.2) return n();
    if (k < 0.35) return `*/${int(1, 20)}`;
    if (k < 0.55) return `${n()}-${n()}`; // may wrap (22-2) or go past the end
    if (k < 0.7) return `${int(lo, hi)}-${int(lo, hi)}/${int(1, 7)}`;
    if (k < 0.75) return pick([`${hi + int(1, 5)}`, `${int(lo, hi)}/${int(2, 9)}`, 'L', '?', `${int(1, 5)}#2`, 'x']);
    return '*';
  };
  const count = r() < 0.3 ? int(2, 3) : 1;
  return Array.from({ length: count }, item).join(',');
}

const MONTHS = ['jan', 'Feb', 'MAR', 'april', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'Mon', 'fri', 'SAT', 'tuesday'];
function expression(): string {
  if (r() < 0.05) return pick(['@daily', '@hourly', '@weekly', '@monthly', '@yearly']);
  const dom = r() < 0.6 ? '*' : r() < 0.1 ? '?' : fieldOf(1, 31, [], [1, 15, 28, 29, 30, 31]);
  const dow = r() < 0.6 ? '*' : fieldOf(0, 7, DAYS, [0, 1, 5, 7]);
  const month = r() < 0.7 ? '*' : fieldOf(1, 12, MONTHS, [2, 3, 10, 11]);
  // Hours 0-3 often: the DST changes happen there.
  return [fieldOf(0, 59, [], [0, 15, 30, 45]), fieldOf(0, 23, [], [0, 1, 2, 3]), dom, month, dow].join(' ');
}

/** node-cron's answer: the first minute after `from` its matcher accepts, within 8 days. */
function bruteForce(expr: string, zone: string, from: number): number | null {
  const task = createTask(expr, () => {}, { timezone: zone });
  try {
    let t = Math.floor(from / MINUTE) * MINUTE + MINUTE;
    for (let i = 0; i < 8 * 24 * 60; i++, t += MINUTE) if (task.match(new Date(t))) return t;
    return null;
  } finally {
    void task.destroy();
  }
}

describe('farm status cron evaluator against node-cron', () => {
  it('accepts only what node-cron validates, and most of the generated expressions', () => {
    let accepted = 0;
    for (let i = 0; i < 3000; i++) {
      const expr = expression();
      if (parseCron(expr) === undefined) continue;
      accepted++;
      expect(validate(expr), `seed ${SEED}: we read ${JSON.stringify(expr)}, node-cron refuses it`).toBe(true);
    }
    expect(accepted).toBeGreaterThan(1000);
    // What node-cron accepts and we leave to it: a seconds field, L, W, #.
    for (const expr of ['0 0 6 * * *', '0 0 L * *', '0 0 15W * *', '0 0 * * 1#2', '0 0 * * 5L']) {
      expect(validate(expr)).toBe(true);
      expect(parseCron(expr)).toBeUndefined();
    }
  });

  it('gives the first minute node-cron matches, in every zone, across DST changes', () => {
    let compared = 0;
    const found = { some: 0, none: 0 };
    while (compared < 240) {
      const expr = expression();
      const fields = parseCron(expr);
      if (fields === undefined) continue;
      const zone = pick(ZONES);
      const from = r() < 0.5 ? pick(DST) + int(-180, 180) * MINUTE + int(0, 59_999) : Date.parse('2026-01-01T00:00:00Z') + int(0, 730 * 24 * 60) * MINUTE + int(0, 1) * 30_000;
      const want = bruteForce(expr, zone, from);
      const got = nextMatch(fields, zone, new Date(from))?.getTime() ?? null;
      const what = `seed ${SEED}: ${JSON.stringify(expr)} in ${zone} after ${new Date(from).toISOString()}`;
      if (want !== null) expect(got === null ? null : new Date(got).toISOString(), what).toBe(new Date(want).toISOString());
      // node-cron found nothing within 8 days: nor may we (a later answer is fine).
      else expect(got === null || got > from + 8 * 24 * 60 * MINUTE, what).toBe(true);
      found[want === null ? 'none' : 'some']++;
      compared++;
    }
    expect(found.some).toBeGreaterThan(150);
  });

  it('skips a time the DST change removes and takes the first of a time it repeats', () => {
    const at = (expr: string, zone: string, from: string) => nextMatch(parseCron(expr)!, zone, new Date(from))?.toISOString();
    // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT; 02:30 does not exist that day.
    expect(at('30 2 * * *', 'America/New_York', '2026-03-08T06:00:00Z')).toBe('2026-03-09T06:30:00.000Z');
    // 1 November 2026: 01:30 happens twice (EDT, then EST); the next after the first is the second.
    expect(at('30 1 * * *', 'America/New_York', '2026-11-01T04:00:00Z')).toBe('2026-11-01T05:30:00.000Z');
    expect(at('30 1 * * *', 'America/New_York', '2026-11-01T05:30:00Z')).toBe('2026-11-01T06:30:00.000Z');
    // Kolkata is UTC+05:30: 06:00 there is 00:30 UTC.
    expect(at('0 6 * * *', 'Asia/Kolkata', '2026-06-01T00:00:00Z')).toBe('2026-06-01T00:30:00.000Z');
    // node-cron wants the day of month AND the day of week: the next Friday the 13th.
    expect(at('0 0 13 * 5', 'UTC', '2026-12-05T00:00:00Z')).toBe('2027-08-13T00:00:00.000Z');
  });
});
