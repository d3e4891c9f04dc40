/**
 * Wall-clock reading of instants in one IANA zone through ONE cached Intl.DateTimeFormat per
 * zone (formatToParts): building a formatter maps ICU's zone data and costs far more than a
 * call, so a next-run search that reads thousands of instants builds it once.
 */

/** An instant's local date and time in a zone. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** The local date and time of `ms` in `zone`. */
export function wallTime(zone: string, ms: number): WallTime {
  const w: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const p of formatterOf(zone).formatToParts(ms)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute') w[p.type] = Number(p.value);
  }
  return w;
}

/** The zone's offset from UTC at `ms`, in ms (local = UTC + offset), to the minute. */
export function offsetAt(zone: string, ms: number): number {
  const w = wallTime(zone, ms);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - (ms - (((ms % 60_000) + 60_000) % 60_000));
}
