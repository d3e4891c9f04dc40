/**
 * The HTML cost report: one self-contained page (inline CSS and SVG, no script, nothing fetched)
 * with spend per day stacked by app, for billed API dollars and for the subscription's
 * API-equivalent dollars side by side, and tables per model, app and call site.
 *
 * Feed it rows as they stream (`add`), then `render()`: memory grows with the number of groups
 * (days x apps, models, call sites), not with the ledger.
 */
import { optionError } from './errors.ts';
import { dateOption } from './internal/checks.ts';
import { checkTimeZone, keyOf } from './internal/group-key.ts';
import { renderPage } from './internal/html/page.ts';
import { createSummarizer } from './report.ts';
import type { LedgerRow } from './row.ts';

/** Options of {@link createHtmlReport}. */
export interface HtmlReportOptions {
  /** Start of the range (inclusive). */
  since: Date;
  /** End of the range (exclusive). */
  until: Date;
  /** IANA zone whose calendar days the chart uses. Default `'UTC'`. */
  timeZone?: string | undefined;
}

/** Options of `render`. */
export interface RenderOptions {
  /** Page title. Default "Claude spend". */
  title?: string | undefined;
  /** Shown in the header. Default: now. */
  generatedAt?: Date | undefined;
  /** Footer lines saying where the numbers came from. */
  sources?: readonly string[] | undefined;
}

/** A report being collected. */
export interface HtmlReport {
  /** The calendar days of the range, in order: the chart has one bar for each. */
  readonly days: readonly string[];
  /** Adds a row (rows outside the range are ignored). */
  add(row: LedgerRow): void;
  /** The page, as a complete HTML document. */
  render(options?: RenderOptions): string;
}

/** Most days a chart is drawn for (ten years). */
const MAX_DAYS = 3660;

/**
 * The calendar days (YYYY-MM-DD in `timeZone`) touched by `[since, until)`, in order.
 * @throws LedgerError `EOPTION` for invalid dates, an empty range or more than ten years.
 */
export function daysInRange(since: Date, until: Date, timeZone = 'UTC'): string[] {
  const from = dateOption('since', since);
  if (dateOption('until', until) <= from) throw optionError('until', until, 'a Date after since');
  const day = keyOf('day', checkTimeZone(timeZone));
  const first = day({ ts: since.toISOString() } as LedgerRow);
  const last = day({ ts: new Date(until.getTime() - 1).toISOString() } as LedgerRow);
  const days: string[] = [];
  // Walk calendar dates (not 24 h steps, which skip or repeat a day across DST changes).
  for (let t = Date.parse(`${first}T00:00:00Z`); ; t += 86_400_000) {
    const d = new Date(t).toISOString().slice(0, 10);
    days.push(d);
    if (d >= last) break;
    if (days.length > MAX_DAYS) throw optionError('since', since, `a range of at most ${MAX_DAYS} days`);
  }
  return days;
}

/**
 * Starts an HTML report over `[since, until)`.
 * @throws LedgerError `EOPTION` for a bad range or time zone.
 */
export function createHtmlReport(options: HtmlReportOptions): HtmlReport {
  const timeZone = options?.timeZone ?? 'UTC';
  const days = daysInRange(options?.since, options?.until, timeZone);
  const since = options.since.getTime();
  const until = options.until.getTime();
  const byDayApp = createSummarizer({ by: ['day', 'app'], timeZone });
  const byModel = createSummarizer({ by: 'model', timeZone });
  const byApp = createSummarizer({ by: 'app', timeZone });
  const byCallSite = createSummarizer({ by: 'call_site', timeZone });
  return {
    days,
    add(row) {
      const t = Date.parse(row.ts);
      if (t < since || t >= until) return;
      byDayApp.add(row);
      byModel.add(row);
      byApp.add(row);
      byCallSite.add(row);
    },
    render(opts = {}) {
      return renderPage({
        title: opts.title ?? 'Claude spend',
        rangeLabel: `${days[0]} – ${days[days.length - 1]} (${timeZone})`,
        days,
        byDayApp: byDayApp.result(),
        byModel: byModel.result(),
        byApp: byApp.result(),
        byCallSite: byCallSite.result(),
        generatedAt: opts.generatedAt ?? new Date(),
        sources: opts.sources ?? [],
      });
    },
  };
}
