/** Formatting shared by the HTML and text renderers: dates in the owner's time zone, names. */
import type { MailAddress } from '@jobs/mail/message';

/** Formats dates in one IANA time zone. */
export interface DateFormat {
  /** "Mon 23 Nov, 07:30" */
  short(date: Date | null): string;
  /** "Monday 23 November 2026" */
  day(date: Date): string;
  /** "morning" before noon, else "afternoon" (AM and PM runs). */
  partOfDay(date: Date): 'morning' | 'afternoon';
}

/** A formatter for `timeZone` (throws RangeError for an unknown zone: checked in config). */
export function dateFormat(timeZone: string): DateFormat {
  const short = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  const day = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: 'numeric', hour12: false });
  return {
    short: (d) => (d ? short.format(d) : 'undated'),
    day: (d) => day.format(d),
    partOfDay: (d) => (Number(hour.format(d)) % 24 < 12 ? 'morning' : 'afternoon'),
  };
}

/** "Name" or the address. */
export function displayName(a: MailAddress | null | undefined): string {
  if (!a) return 'unknown sender';
  return a.name || a.address || 'unknown sender';
}
