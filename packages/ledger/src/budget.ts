/**
 * The daily budget check: billed API dollars over the last 24 hours against a limit, and the
 * small state file that makes an alarm go out once per day, not once per run (a check run from
 * cron every 15 minutes would otherwise mail the owner 96 times on a bad day).
 *
 * Only real money counts: `api` and `remote` rows. Subscription work (`path: 'subscription'`)
 * is what the API would have charged, not a charge, so it never trips the budget.
 */
import { readFile } from 'node:fs/promises';
import { LedgerError, optionError } from './errors.ts';
import { dateOption } from './internal/checks.ts';
import { checkTimeZone, keyOf } from './internal/group-key.ts';
import { writeFileAtomic } from './internal/atomic-write.ts';
import { createSummarizer, type Group } from './report.ts';
import type { LedgerRow } from './row.ts';

/** Options of {@link checkDailyBudget}. */
export interface BudgetCheckOptions {
  /** The limit in USD for the window (> 0). */
  budgetUsd: number;
  /** The end of the window (injected: tests pass a fixed clock). */
  now: Date;
  /** Window length. Default 24 hours. */
  windowMs?: number | undefined;
}

/** The outcome of a check. */
export interface BudgetCheck {
  budgetUsd: number;
  /** Known billed dollars (`api` + `remote`) in the window, summed exactly. */
  spentUsd: number;
  /** Billed rows whose cost is unknown (`usd: null`): not in `spentUsd`; say so beside it. */
  unknownCalls: number;
  /** Billed calls in the window. */
  calls: number;
  /** True when `spentUsd` is above `budgetUsd`. */
  over: boolean;
  /** The window, `(since, until]`, as ISO strings. */
  since: string;
  until: string;
  /** Billed spend per app in the window, largest first (for the notice). */
  byApp: Group[];
}

/**
 * Sums the billed rows of the last `windowMs` before `now` (rows may be the whole ledger or a
 * pre-filtered stream; rows outside the window are ignored here either way).
 * @throws LedgerError `EOPTION` for a bad budget, clock or window.
 */
export async function checkDailyBudget(
  rows: AsyncIterable<LedgerRow> | Iterable<LedgerRow>,
  options: BudgetCheckOptions,
): Promise<BudgetCheck> {
  const budgetUsd = options?.budgetUsd;
  if (typeof budgetUsd !== 'number' || !Number.isFinite(budgetUsd) || budgetUsd <= 0) {
    throw optionError('budgetUsd', budgetUsd, 'a positive number of US dollars');
  }
  const until = dateOption('now', options.now);
  const windowMs = options.windowMs ?? 86_400_000;
  if (!Number.isFinite(windowMs) || windowMs <= 0) throw optionError('windowMs', windowMs, 'a positive number of milliseconds');
  const since = until - windowMs;
  const summary = createSummarizer({ by: 'app' });
  for await (const row of rows) {
    if (row.path === 'subscription') continue;
    const t = Date.parse(row.ts);
    if (t <= since || t > until) continue;
    summary.add(row);
  }
  const { groups, totals } = summary.result();
  return {
    budgetUsd,
    spentUsd: totals.billedUsd,
    unknownCalls: totals.billedUnknownCalls,
    calls: totals.calls,
    over: totals.billedUsd > budgetUsd,
    since: new Date(since).toISOString(),
    until: new Date(until).toISOString(),
    byApp: groups.sort((a, b) => b.billedUsd - a.billedUsd),
  };
}

/** What the notice state file holds: the last day a notice went out. */
export interface NoticeState {
  /** Calendar day (YYYY-MM-DD, in the zone the caller chose) of the last notice. */
  day: string;
  /** When it was sent (ISO). */
  sentAt: string;
  spentUsd: number;
  budgetUsd: number;
  /** The notice's Message-ID, to find it in a mailbox. */
  messageId: string | null;
}

/** The calendar day of `now` in `timeZone` (IANA; default UTC): the unit of "once per day". */
export function noticeDay(now: Date, timeZone = 'UTC'): string {
  dateOption('now', now);
  const tz = checkTimeZone(timeZone);
  return keyOf('day', tz)({ ts: now.toISOString() } as LedgerRow);
}

/** True when no notice went out on `day` yet. */
export function noticeDue(state: NoticeState | null, day: string): boolean {
  return state === null || state.day !== day;
}

/**
 * Reads the notice state file; `null` when it does not exist.
 * @throws LedgerError `EREAD` when it exists but cannot be read or is not a notice state (a
 *   damaged file is an error, not "no notice yet": guessing would mail the owner twice).
 */
export async function readNoticeState(path: string): Promise<NoticeState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new LedgerError('EREAD', `Could not read the budget notice state ${path}: ${String((cause as Error).message)}.`, {
      path,
      cause,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new LedgerError('EREAD', `The budget notice state ${path} is not JSON: delete it to reset the once-a-day notice.`, {
      path,
      cause,
    });
  }
  const v = value as Partial<NoticeState> | null;
  if (v === null || typeof v !== 'object' || typeof v.day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.day)) {
    throw new LedgerError('EREAD', `The budget notice state ${path} has no valid day: delete it to reset the once-a-day notice.`, {
      path,
    });
  }
  return {
    day: v.day,
    sentAt: typeof v.sentAt === 'string' ? v.sentAt : '',
    spentUsd: typeof v.spentUsd === 'number' ? v.spentUsd : 0,
    budgetUsd: typeof v.budgetUsd === 'number' ? v.budgetUsd : 0,
    messageId: typeof v.messageId === 'string' ? v.messageId : null,
  };
}

/**
 * Records that a notice went out: the file is replaced atomically and created 0600 (its parent
 * folders 0700). Call it only after the mail server accepted the notice, so a failed send is
 * retried by the next run.
 * @throws LedgerError `EWRITE`.
 */
export async function writeNoticeState(path: string, state: NoticeState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state)}\n`);
}
