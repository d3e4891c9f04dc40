/**
 * Time arguments: `--since 7d` means the last 7 calendar days including today (so a daily
 * chart shows 7 bars), `--since 36h` a rolling window, and an ISO date or instant an exact
 * start. A bare date (2026-11-17) is midnight in the report's time zone, not in UTC.
 */
import { usageError } from './errors.ts';

/** Parts of `instant` on the wall clock of `timeZone`. */
function wallClock(instant: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number; s: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute'), s: get('second') };
}

/** The instant of local midnight starting `y-m-d` in `timeZone` (DST-safe: corrects by the zone's offset twice). */
export function zonedMidnight(y: number, m: number, d: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d);
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const w = wallClock(new Date(t), timeZone);
    const asUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
    t = guess - (asUtc - t);
  }
  return new Date(t);
}

/** Checks an IANA zone name. */
export function checkZone(flag: string, zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    throw usageError(flag, zone, 'an IANA time zone such as UTC or Europe/Paris');
  }
}

/**
 * Parses `--since` / `--until`: `Nd` (N calendar days including today), `Nh` (N hours back),
 * `YYYY-MM-DD` (midnight in `timeZone`), or an ISO instant with a zone.
 */
export function parseWhen(flag: string, value: string, now: Date, timeZone: string): Date {
  const rel = value.match(/^(\d{1,5})([dh])$/);
  if (rel !== null) {
    const n = Number(rel[1]);
    if (n === 0) throw usageError(flag, value, 'at least 1d or 1h');
    if (rel[2] === 'h') return new Date(now.getTime() - n * 3_600_000);
    const today = wallClock(now, timeZone);
    // Calendar arithmetic in UTC on the wall-clock date, then back to the zone's midnight.
    const start = new Date(Date.UTC(today.y, today.m - 1, today.d - (n - 1)));
    return zonedMidnight(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), timeZone);
  }
  const day = value.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (day !== null) {
    const date = zonedMidnight(Number(day[1]), Number(day[2]), Number(day[3]), timeZone);
    if (!Number.isNaN(date.getTime())) return date;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
    const t = Date.parse(value);
    if (Number.isFinite(t)) return new Date(t);
  }
  throw usageError(flag, value, 'Nd (calendar days including today), Nh (hours), YYYY-MM-DD, or an ISO time with a zone');
}
