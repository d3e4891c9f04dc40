/**
 * Today's billed spend for `farm status`: the ledger's `api` and `remote` rows since midnight in
 * the farm's zone (subscription rows are what the API would have charged, not money), per app
 * (a job of the single-instance setup) and per instance (rows carrying `instance`).
 */
import { checkDailyBudget } from '@jobs/ledger/budget';
import { readLedger } from '@jobs/ledger/read';
import { summarize } from '@jobs/ledger/report';
import type { LedgerRow } from '@jobs/ledger/row';

/** Billed USD today, by app and by instance. */
export interface TodaySpend {
  byApp: Map<string, number>;
  byInstance: Map<string, number>;
}

/** Milliseconds since midnight of `now` in `timeZone` (plus one, so a row at midnight counts). */
export function sinceMidnight(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return ((n('hour') * 60 + n('minute')) * 60 + n('second')) * 1000 + now.getMilliseconds() + 1;
}

/** Reads the ledger once and sums today's billed rows. */
export async function todaySpend(ledgerPath: string, now: Date, timeZone: string): Promise<TodaySpend> {
  const windowMs = sinceMidnight(now, timeZone);
  const rows: LedgerRow[] = [];
  const since = now.getTime() - windowMs;
  for await (const row of readLedger(ledgerPath)) {
    const t = Date.parse(row.ts);
    if (t > since && t <= now.getTime()) rows.push(row);
  }
  // A job's line is the single-instance setup's runs: an instance's rows are on its own line.
  const spend = await checkDailyBudget(rows.filter((r) => r.instance === undefined), { budgetUsd: Number.MAX_SAFE_INTEGER, now, windowMs });
  const billed = rows.filter((r) => r.path !== 'subscription' && r.instance !== undefined);
  const byInstance = summarize(billed, { by: 'instance' }).groups;
  return { byApp: new Map(spend.byApp.map((g) => [g.key, g.billedUsd])), byInstance: new Map(byInstance.map((g) => [g.key, g.billedUsd])) };
}
