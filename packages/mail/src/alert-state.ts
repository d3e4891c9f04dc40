/**
 * The suite's one "once a day" rule for owner notices sent through the alert channel
 * (alert.ts): what the owner was last told about one subject (a job, a mailbox's grant), so a
 * failure repeated every five minutes is told once a day, a changed error is told again, and
 * the next success can be told as a recovery. One small file per subject (farm:
 * `<farm state>/alerts/<job>.json`; a refused grant: `<state>/alerts/grant-<mailbox>.json`),
 * 0600, rewritten atomically: two subjects never race on one file, and the caller's run lock
 * keeps one subject from being written twice at once.
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '@jobs/core/atomic-file';

/** The record of one subject. */
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

/** Once per subject per day and per distinct error; a recovery after an alerted failure. */
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
