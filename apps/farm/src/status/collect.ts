/**
 * `farm status`'s facts per job, or per jobs-file instance, read without side effects: the run
 * history (last run, consecutive failures), the next fire time of its cron in its zone, today's
 * billed spend from the ledger against its budget (the farm's daily API cap for a job, the
 * instance's per-run budget for an instance), and who holds its lock (@jobs/core/lock's record).
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type LockHolder, parseHolder, pidAlive } from '@jobs/core/lock';
import { historyPath, readHistory, type RunRecord, runKey } from '../history.ts';
import type { JobName } from '../jobs.ts';
import type { ScheduleEntry } from '../schedule-entries.ts';
import { nextFire } from './next-run.ts';
import { todaySpend } from './spend.ts';

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

/** One job's (or instance's) line. */
export interface JobStatus {
  /** The jobs-file instance; null for a job of the single-instance setup. */
  instance: string | null;
  job: JobName;
  cron: string;
  timezone: string;
  lastRun: LastRun | null;
  nextRun: string | null;
  consecutiveFailures: number;
  spentTodayUsd: number;
  budgetUsd: number | null;
  /** `day`: FARM_DAILY_API_BUDGET_USD; `run`: the instance's budgetUsd. */
  budgetPer: 'day' | 'run' | null;
  lock: (LockHolder & { path: string; alive: boolean | null }) | null;
}

/** A line to collect: a schedule entry, and an instance's per-run budget. */
export type StatusEntry = ScheduleEntry & { budgetUsd?: number | undefined };

/** Inputs of collectStatus. */
export interface StatusInputs {
  farmDir: string;
  ledgerPath: string;
  entries: StatusEntry[];
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

/** Failed runs since the last success (runs still going are passed over). */
function failuresOf(runs: RunRecord[]): number {
  let failures = 0;
  for (const r of [...runs].reverse()) {
    if (r.outcome === 'running') continue;
    if (r.outcome !== 'failed') break;
    failures++;
  }
  return failures;
}

/** The status of every entry, in order. */
export async function collectStatus(i: StatusInputs): Promise<JobStatus[]> {
  const host = i.host ?? hostname();
  const spend = await todaySpend(i.ledgerPath, i.now, i.timezone);
  const out: JobStatus[] = [];
  for (const e of i.entries) {
    const key = runKey(e.job, e.instance);
    const runs = await readHistory(historyPath(i.farmDir, key));
    const last = runs.at(-1);
    const zone = e.timezone ?? i.timezone;
    const budgetUsd = e.instance !== undefined ? (e.budgetUsd ?? null) : (i.dailyBudgetUsd ?? null);
    out.push({
      instance: e.instance ?? null,
      job: e.job,
      cron: e.cron,
      timezone: zone,
      lastRun: last ? lastRunOf(last, host) : null,
      nextRun: await nextFire(e.cron, zone, i.now),
      consecutiveFailures: failuresOf(runs),
      spentTodayUsd: (e.instance !== undefined ? spend.byInstance.get(e.instance) : spend.byApp.get(e.job)) ?? 0,
      budgetUsd,
      budgetPer: budgetUsd === null ? null : e.instance !== undefined ? 'run' : 'day',
      // runJobLocal's lock: `job-<job>` or `instance-<name>` (lock.ts adds `.lock`).
      lock: await lockOf(join(i.farmDir, 'locks', `${e.instance !== undefined ? key : `job-${e.job}`}.lock`), host),
    });
  }
  return out;
}
