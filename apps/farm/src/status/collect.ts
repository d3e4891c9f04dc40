/**
 * `farm status`'s facts per job, read without side effects: the run history (last run,
 * consecutive failures), the next fire time of its cron in the schedule's zone, today's billed
 * spend from the ledger against the farm's daily API cap, who holds its lock (@jobs/core/lock's
 * holder record) and, with REDIS_URL, the queue's depth.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type LockHolder, parseHolder, pidAlive } from '@jobs/core/lock';
import { checkDailyBudget } from '@jobs/ledger/budget';
import { readLedger } from '@jobs/ledger/read';
import { historyPath, readHistory, type RunRecord } from '../history.ts';
import type { JobName } from '../jobs.ts';
import type { ScheduleEntry } from '../schedule.ts';
import { nextFire } from './next-run.ts';

/** The last run as status shows it; a `running` run whose process is gone is `interrupted`. */
export interface LastRun {
  startedAt: string;
  endedAt: string | null;
  outcome: 'running' | 'ok' | 'failed' | 'interrupted';
  exitCode: number | null;
  durationMs: number | null;
  reason: string | null;
  trigger: string;
}

/** One job's line. */
export interface JobStatus {
  job: JobName;
  cron: string;
  lastRun: LastRun | null;
  nextRun: string | null;
  consecutiveFailures: number;
  spentTodayUsd: number;
  budgetUsd: number | null;
  lock: (LockHolder & { path: string; alive: boolean | null }) | null;
}

/** Inputs of collectStatus. */
export interface StatusInputs {
  farmDir: string;
  ledgerPath: string;
  entries: ScheduleEntry[];
  timezone: string;
  now: Date;
  /** FARM_DAILY_API_BUDGET_USD. */
  dailyBudgetUsd?: number | undefined;
  host?: string;
}

function lastRunOf(r: RunRecord, host: string): LastRun {
  // A run on this host whose pid is gone was killed (systemd timeout, reboot) before closing.
  const outcome = r.outcome === 'running' && r.host === host && !pidAlive(r.pid) ? 'interrupted' : r.outcome;
  const reason = r.code ? `${r.code}${r.reason ? `: ${r.reason}` : ''}` : outcome === 'interrupted' ? `pid ${r.pid} is gone` : null;
  return { startedAt: r.startedAt, endedAt: r.endedAt ?? null, outcome, exitCode: r.exitCode ?? null, durationMs: r.durationMs ?? null, reason, trigger: r.trigger };
}

async function lockOf(path: string, host: string): Promise<JobStatus['lock']> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return null;
  }
  const h = parseHolder(text);
  if (h === undefined) return null;
  return { ...h, path, alive: h.host === undefined || h.host === host ? pidAlive(h.pid) : null };
}

/** Milliseconds since midnight of `now` in `timeZone`. */
function sinceMidnight(now: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const n = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return ((n('hour') * 60 + n('minute')) * 60 + n('second')) * 1000 + now.getMilliseconds() + 1;
}

/** The status of every scheduled job. */
export async function collectStatus(i: StatusInputs): Promise<JobStatus[]> {
  const host = i.host ?? hostname();
  const spend = await checkDailyBudget(readLedger(i.ledgerPath), { budgetUsd: i.dailyBudgetUsd ?? Number.MAX_SAFE_INTEGER, now: i.now, windowMs: sinceMidnight(i.now, i.timezone) });
  const out: JobStatus[] = [];
  for (const e of i.entries) {
    const runs = await readHistory(historyPath(i.farmDir, e.job));
    const last = runs.at(-1);
    let failures = 0;
    for (const r of [...runs].reverse()) {
      if (r.outcome === 'running') continue;
      if (r.outcome !== 'failed') break;
      failures++;
    }
    out.push({
      job: e.job,
      cron: e.cron,
      lastRun: last ? lastRunOf(last, host) : null,
      nextRun: await nextFire(e.cron, i.timezone, i.now),
      consecutiveFailures: failures,
      spentTodayUsd: spend.byApp.find((g) => g.key === e.job)?.billedUsd ?? 0,
      budgetUsd: i.dailyBudgetUsd ?? null,
      lock: await lockOf(join(i.farmDir, 'locks', `job-${e.job}.lock`), host),
    });
  }
  return out;
}
