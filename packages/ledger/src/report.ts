/**
 * Summaries of ledger rows, grouped by app, job, model, day, path or call site (or several at
 * once, e.g. day then app for a stacked chart). Money is summed exactly (integer nano-dollars,
 * see internal/money.ts), and real API dollars are kept apart from the subscription path's
 * "what it would have cost" dollars: the two answer different questions and are never added.
 */
import { optionError } from './errors.ts';
import { checkBy, checkTimeZone, type GroupBy, keyOf } from './internal/group-key.ts';
import { Accumulator, type Totals } from './internal/totals.ts';
import type { LedgerRow } from './row.ts';

export { GROUP_BY, type GroupBy } from './internal/group-key.ts';
export type { Totals } from './internal/totals.ts';

/** Options of {@link summarize}. */
export interface SummarizeOptions {
  /** What to group by; a list groups by each in turn (`['day', 'app']`: one group per day and app). */
  by: GroupBy | readonly GroupBy[];
  /** IANA zone whose calendar days `day` uses. Default `'UTC'`. */
  timeZone?: string | undefined;
}

/** One group of a summary. */
export interface Group extends Totals {
  /** The group's key values joined with ' / ' (just the value when grouping by one field). */
  key: string;
  /** The key value per grouping field, e.g. `{ day: '2026-11-23', app: 'digest' }`. */
  keys: Partial<Record<GroupBy, string>>;
}

/** A summary: groups sorted by key (days in date order), and totals over every row. */
export interface Summary {
  by: readonly GroupBy[];
  timeZone: string;
  groups: Group[];
  totals: Totals;
}

/** An incremental summary, for feeding rows one at a time from a stream. */
export interface Summarizer {
  add(row: LedgerRow): void;
  /** The summary of the rows added so far. */
  result(): Summary;
}

/**
 * Builds an incremental summarizer: memory grows with the number of groups, not of rows.
 * @throws LedgerError `EOPTION` for an unknown `by` or time zone.
 */
export function createSummarizer(options: SummarizeOptions): Summarizer {
  if (options === null || typeof options !== 'object') throw optionError('options', options, 'an object with by');
  const by = checkBy(options.by);
  const timeZone = checkTimeZone(options.timeZone ?? 'UTC');
  const keyFns = by.map((b) => keyOf(b, timeZone));
  const total = new Accumulator();
  const groups = new Map<string, { values: string[]; keys: Partial<Record<GroupBy, string>>; acc: Accumulator }>();
  return {
    add(row) {
      total.add(row);
      const values = keyFns.map((fn) => fn(row));
      // JSON of the tuple: unambiguous even when a value contains the ' / ' display separator.
      const id = JSON.stringify(values);
      let group = groups.get(id);
      if (group === undefined) {
        const keys: Partial<Record<GroupBy, string>> = {};
        by.forEach((b, i) => {
          keys[b] = values[i] ?? '';
        });
        group = { values, keys, acc: new Accumulator() };
        groups.set(id, group);
      }
      group.acc.add(row);
    },
    result() {
      const list = [...groups.values()]
        .sort((a, b) => compareValues(a.values, b.values))
        .map((g) => ({
          key: g.values.join(' / '),
          keys: { ...g.keys },
          ...g.acc.totals(),
        }));
      return { by, timeZone, groups: list, totals: total.totals() };
    },
  };
}

/** Orders groups by their key values, field by field (ISO days sort as dates). */
function compareValues(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * Summarizes rows held in memory.
 * @throws LedgerError `EOPTION` for an unknown `by` or time zone.
 */
export function summarize(rows: Iterable<LedgerRow>, options: SummarizeOptions): Summary {
  const s = createSummarizer(options);
  for (const row of rows) s.add(row);
  return s.result();
}

/**
 * Summarizes a stream of rows, e.g. `summarizeStream(readLedger(path, { since }), { by: 'day' })`.
 * @throws LedgerError `EOPTION` for bad options, or whatever the stream throws.
 */
export async function summarizeStream(rows: AsyncIterable<LedgerRow>, options: SummarizeOptions): Promise<Summary> {
  const s = createSummarizer(options);
  for await (const row of rows) s.add(row);
  return s.result();
}
