/**
 * The runs of each job, for `farm status` and for `farm alert --failed`: one small JSON file per
 * job (`<farm state>/history/<job>.json`, 0600), rewritten atomically, holding the last
 * HISTORY_LIMIT runs. A run is written when it starts (`running`, with the pid that runs it) and
 * rewritten when it ends, so a run killed from outside (systemd's timeout, a reboot) stays
 * visible as `running` with a pid that is gone.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '@jobs/core/atomic-file';

/** Runs kept per job. */
export const HISTORY_LIMIT = 200;

/** How a run ended (or that it has not). */
export type RunOutcome = 'running' | 'ok' | 'failed';

/** One run. */
export interface RunRecord {
  id: string;
  job: string;
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

/** The history file of a job. */
export function historyPath(farmDir: string, job: string): string {
  return join(farmDir, 'history', `${job}.json`);
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
  const runs = await readHistory(file);
  const i = runs.findIndex((r) => r.id === rec.id);
  if (i >= 0) runs[i] = rec;
  else runs.push(rec);
  await writeFileAtomic(file, `${JSON.stringify(runs.slice(-limit))}\n`);
}
