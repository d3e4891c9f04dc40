/**
 * The first instant after a given one whose wall-clock time in a zone matches parsed cron
 * fields, as node-cron's `match` decides it: minute, hour and month listed, and the day of month
 * AND the day of week listed (node-cron requires both, unlike Vixie cron's either). Day by day,
 * on calendar arithmetic; the zone is read only to place a matching day's times, and each time
 * is checked against the zone on a day whose offset changes (a DST gap has no such time, an
 * overlap has two, the earlier first).
 */
import type { CronFields } from './parse.ts';
import { offsetAt, wallTime } from './zone-clock.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How far to look: node-cron's own bound (a 29 February on a Monday comes every 28 years or so). */
const MAX_DAYS = 366 * 100;

function sorted(s: ReadonlySet<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

/** The first matching minute strictly after `from`, or null when none within a hundred years. */
export function nextMatch(fields: CronFields, zone: string, from: Date): Date | null {
  const after = from.getTime();
  const hours = sorted(fields.hour);
  const minutes = sorted(fields.minute);
  // Start a day early: a fall-back at midnight can give an instant after `from` yesterday's date.
  const start = wallTime(zone, after);
  let day = Date.UTC(start.year, start.month - 1, start.day) - DAY;
  for (let i = 0; i < MAX_DAYS; i++, day += DAY) {
    const d = new Date(day);
    const month = d.getUTCMonth() + 1;
    if (!fields.month.has(month) || !fields.dayOfMonth.has(d.getUTCDate()) || !fields.dayOfWeek.has(d.getUTCDay())) continue;
    const found = firstOnDay(day, hours, minutes, zone, after);
    if (found !== null) return new Date(found);
  }
  return null;
}

/** The earliest instant after `after` on local day `day` (its midnight as a UTC timestamp) at a listed time. */
function firstOnDay(day: number, hours: number[], minutes: number[], zone: string, after: number): number | null {
  // The offsets in force at the day's start and end; equal on all but a transition day.
  const early = offsetAt(zone, day - offsetAt(zone, day));
  const late = offsetAt(zone, day + DAY - MINUTE - offsetAt(zone, day + DAY - MINUTE));
  const offsets = early === late ? [early] : [early, late];
  const latest = Math.max(...offsets);
  let best: number | null = null;
  for (const h of hours) {
    for (const m of minutes) {
      const wall = day + h * 3_600_000 + m * MINUTE;
      // Later wall times only give later instants: stop once none can beat the best.
      if (best !== null && wall - latest > best) return best;
      for (const o of offsets) {
        const t = wall - o;
        if (t <= after || (best !== null && t >= best)) continue;
        if (offsets.length > 1 && !reads(zone, t, wall)) continue;
        best = t;
      }
    }
  }
  return best;
}

/** Whether instant `t` reads as the wall time `wall` (a UTC timestamp of the local time) in `zone`. */
function reads(zone: string, t: number, wall: number): boolean {
  const w = wallTime(zone, t);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) === wall;
}
