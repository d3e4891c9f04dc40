/** The key a row is grouped under, for each way of grouping a report. */
import { LedgerError, optionError } from '../errors.ts';
import type { LedgerRow } from '../row.ts';

/** Ways of grouping a report. */
export const GROUP_BY = ['app', 'job', 'model', 'day', 'path', 'call_site', 'instance'] as const;
/** A way of grouping a report. */
export type GroupBy = (typeof GROUP_BY)[number];

/** The key of a row without an instance (a run from the single-instance setup). */
export const NO_INSTANCE = '(none)';

/** Returns a function from a row to its key under `by`; `day` is the calendar date in `timeZone`. */
export function keyOf(by: GroupBy, timeZone: string): (row: LedgerRow) => string {
  if (by === 'instance') return (row) => row.instance ?? NO_INSTANCE;
  if (by !== 'day') return (row) => row[by];
  // A ts written in UTC ('Z', as the writer does) already starts with its UTC date.
  if (timeZone === 'UTC') return (row) => (row.ts.endsWith('Z') ? row.ts.slice(0, 10) : new Date(row.ts).toISOString().slice(0, 10));
  const format = dayFormat(timeZone);
  return (row) => {
    const parts = format.formatToParts(new Date(row.ts));
    const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${part('year')}-${part('month')}-${part('day')}`;
  };
}

/** Checks the `by` option: one key or a non-empty list of distinct keys. */
export function checkBy(by: unknown): readonly GroupBy[] {
  const list = Array.isArray(by) ? by : [by];
  const ok =
    list.length > 0 &&
    list.every((b) => (GROUP_BY as readonly unknown[]).includes(b)) &&
    new Set(list).size === list.length;
  if (!ok) throw optionError('by', by, `one of ${GROUP_BY.join(', ')}, or a list of distinct ones`);
  return list as GroupBy[];
}

/** Checks a `timeZone` option against the runtime's IANA zone data. */
export function checkTimeZone(timeZone: unknown): string {
  if (typeof timeZone !== 'string' || timeZone === '') {
    throw optionError('timeZone', timeZone, 'an IANA time zone such as "UTC" or "Europe/Berlin"');
  }
  if (timeZone !== 'UTC') dayFormat(timeZone);
  return timeZone;
}

function dayFormat(timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  } catch (cause) {
    const err = optionError('timeZone', timeZone, 'an IANA time zone such as "UTC" or "Europe/Berlin"');
    throw new LedgerError('EOPTION', err.message, { option: 'timeZone', cause });
  }
}
