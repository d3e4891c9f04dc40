/**
 * The runs of each job and jobs-file instance, for `farm status` and for `farm alert --failed`:
 * one small JSON file per job (`<farm state>/history/<job>.json`) or instance
 * (`instance-<name>.json`), 0600, rewritten atomically, holding the last HISTORY_LIMIT runs. A run is written when it starts (`running`, with the pid that runs it) and
 * rewritten when it ends, so a run killed from outside (systemd's timeout, a reboot) stays
 * visible as `running` with a pid that is gone. A run's end is written after its job lock is
 * released, so the next run's start may write at the same moment: each read-modify-write holds
 * the file's own short lock (`<file>.lock`), or one of the two records would be lost.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@jobs/core/atomic-file';
import { acquireLock } from '@jobs/core/lock';

/** Runs kept per job. */
export const HISTORY_LIMIT = 200;

/** How a run ended (or that it has not). */
export type RunOutcome = 'running' | 'ok' | 'failed';

/** One run. */
export interface RunRecord {
  id: string;
  job: string;
  /** The jobs-file instance the run belongs to, when it is one. */
  instance?: string;
  /** `schedule`, `cron`, `systemd`, `manual`. */
  trigger: string;
  startedAt: string;
  endedAt?: string;
  outcome: RunOutcome;
  exitCode?: number | null;
  durationMs?: number;
  /** The failure's code and one-line message. */
  code?: string;
  reason?: string;
  pid: number;
  host: string;
}

/**
 * The key of a job's or an instance's history and alert record: the job's name, or
 * `instance-<name>` (an instance name never equals a job's, and the prefix keeps it so).
 */
export function runKey(job: string, instance?: string): string {
  return instance !== undefined ? `instance-${instance}` : job;
}

/** The history file of a job (or of an instance: `key` from runKey). */
export function historyPath(farmDir: string, key: string): string {
  return join(farmDir, 'history', `${key}.json`);
}

/** The runs, oldest first; none when the file is missing or unreadable. */
export async function readHistory(file: string): Promise<RunRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return [];
  }
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? (v as RunRecord[]).filter((r) => typeof r?.id === 'string' && typeof r.startedAt === 'string') : [];
  } catch {
    return [];
  }
}

/** Adds or replaces the run with `rec.id`, keeping the last HISTORY_LIMIT. */
export async function putRun(file: string, rec: RunRecord, limit = HISTORY_LIMIT): Promise<void> {
  await using _lock = await acquireLock({ path: `${file}.lock`, wait: true, timeoutMs: 10_000, pollMs: 20 });
  const runs = await readHistory(file);
  const i = runs.findIndex((r) => r.id === rec.id);
  if (i >= 0) runs[i] = rec;
  else runs.push(rec);
  await writeFileAtomic(file, `${JSON.stringify(runs.slice(-limit))}\n`);
}
