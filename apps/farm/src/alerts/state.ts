/**
 * What the owner was last told about a job, so a job failing every five minutes mails once a
 * day, a changed error mails again, and the next success mails a recovery. One small file per
 * job or instance (`<farm state>/alerts/<job>.json`, `instance-<name>.json`; 0600, rewritten
 * atomically): two never race on one file, and one never runs twice at once (its lock).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@jobs/core/atomic-file';

/** The record of one job. */
export interface AlertState {
  /** A failure alert went out and no recovery since. */
  failing: boolean;
  /** The code of the last alerted failure. */
  code?: string;
  /** Its calendar day (YYYY-MM-DD in the schedule's zone). */
  day?: string;
  alertedAt?: string;
  /** When the job started failing (first alerted failure of the streak). */
  since?: string;
}

/** What to send now. */
export type AlertDecision = 'alert' | 'recovery' | 'none';

/** The file of a job's record (an instance's: `key` from runKey). */
export function alertStatePath(farmDir: string, key: string): string {
  return join(farmDir, 'alerts', `${key}.json`);
}

/** The record, or a fresh one when there is none (or it is unreadable: alerting again is the safe side). */
export async function readAlertState(path: string): Promise<AlertState> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as AlertState;
    return typeof v.failing === 'boolean' ? v : { failing: false };
  } catch {
    return { failing: false };
  }
}

/** Writes the record (0600, atomic). */
export async function writeAlertState(path: string, s: AlertState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(s)}\n`);
}

/** Once per job per day and per distinct error; a recovery after an alerted failure. */
export function decide(s: AlertState, outcome: { ok: true } | { ok: false; code: string }, day: string): AlertDecision {
  if (outcome.ok) return s.failing ? 'recovery' : 'none';
  if (s.failing && s.day === day && s.code === outcome.code) return 'none';
  return 'alert';
}

/** The record after a delivered notice. */
export function nextState(s: AlertState, d: AlertDecision, code: string | undefined, day: string, at: Date): AlertState {
  if (d === 'recovery') return { failing: false };
  if (d === 'alert') return { failing: true, ...(code ? { code } : {}), day, alertedAt: at.toISOString(), since: s.failing && s.since ? s.since : at.toISOString() };
  return s;
}

/** `YYYY-MM-DD` of `at` in `timeZone`. */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
