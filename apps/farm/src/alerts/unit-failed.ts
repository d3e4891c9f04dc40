/**
 * `farm alert NAME --failed`, the `OnFailure=` side of the systemd units. A unit systemd killed
 * at its time limit (or whose farm process died) never reached farm's own alert step: this
 * closes the last run of the job or instance in its history as failed, with the reason systemd
 * passes to the OnFailure unit (MONITOR_SERVICE_RESULT, MONITOR_EXIT_STATUS), and alerts under
 * the same once-a-day rule; a run farm already closed as failed is left alone (it was alerted).
 * `schedule` is the scheduler daemon itself (farm-schedule.service): no run to close, only the
 * alert, once a day per error.
 */
import { historyPath, readHistory, type RunRecord, runKey } from '../history.ts';
import type { JobName } from '../jobs.ts';
import type { Instance } from '../instances/jobs-file.ts';
import { instanceWatch } from '../instances/observed-run.ts';
import { notifyOutcome } from './notify.ts';
import { type ObserveDeps, recordOutcome } from './observe.ts';
import { type FailureReason, fixFor } from './reason.ts';

/**
 * What failed: a job, an instance, the scheduler daemon, or an instance whose jobs file does
 * not load (its unit failed on that; the alert names the instance and the file's error).
 */
export type FailedUnit = { job: JobName; instance?: Instance } | 'schedule' | { unloadable: string; error: { code: string; message: string } };

/** What `farm alert --failed` did. */
export interface UnitFailedResult {
  action: 'recorded' | 'already-recorded' | 'alerted';
  code: string | null;
  decision: string;
  sent: boolean;
  channels: string[];
}

/** The reason systemd gives for a failed unit. */
export function monitorReason(env: Readonly<Record<string, string | undefined>>): { exitCode: number | null; reason: FailureReason } {
  const result = env.MONITOR_SERVICE_RESULT ?? 'unknown';
  const status = env.MONITOR_EXIT_STATUS ?? '';
  const exitCode = /^\d+$/.test(status) ? Number(status) : null;
  if (result === 'timeout') return { exitCode, reason: { code: 'ETIMEOUT_KILLED', message: 'killed by systemd at its time limit (TimeoutStartSec)', fix: fixFor('ETIMEOUT_KILLED') } };
  if (result === 'signal' || result === 'core-dump' || result === 'watchdog' || result === 'oom-kill') {
    return { exitCode, reason: { code: 'EKILLED', message: `killed (${result}${status ? ` ${status}` : ''})`, fix: fixFor('EKILLED') } };
  }
  const code = exitCode !== null ? `EXIT_${exitCode}` : 'EXIT_UNKNOWN';
  return { exitCode, reason: { code, message: `the unit failed (${result}${status ? `, status ${status}` : ''})`, fix: fixFor(code) } };
}

/** Records and alerts the failure of `unit` as systemd reported it in `env`. */
export async function unitFailed(watch: ObserveDeps, unit: FailedUnit, env: Readonly<Record<string, string | undefined>>, host: string): Promise<UnitFailedResult> {
  const { exitCode, reason } = monitorReason(env);
  const now = new Date(watch.now());
  const at = { host, startedAt: now, endedAt: now, exitCode, trigger: 'systemd', logCommand: watch.logCommand(now) };
  if (unit === 'schedule') {
    const r = await notifyOutcome(watch, { job: 'schedule', what: 'the farm schedule daemon (farm-schedule.service)', ...at }, reason);
    return { action: 'alerted', code: reason.code, ...r };
  }
  if ('unloadable' in unit) {
    // Under the instance's own alert key: its next good run sends the recovery.
    const why = { code: unit.error.code, message: unit.error.message, fix: fixFor(unit.error.code) };
    const r = await notifyOutcome(watch, { job: 'unknown', instance: unit.unloadable, what: `the ${unit.unloadable} instance (its jobs file does not load)`, ...at }, why);
    return { action: 'alerted', code: why.code, ...r };
  }
  const w = unit.instance !== undefined ? instanceWatch(watch, unit.instance) : watch;
  const runs = await readHistory(historyPath(watch.farmDir, runKey(unit.job, unit.instance?.name)));
  const last = runs.at(-1);
  if (last?.outcome === 'failed') return { action: 'already-recorded', code: last.code ?? null, decision: 'none', sent: false, channels: [] };
  // The killed run left a `running` record; a unit that failed before farm recorded anything gets one now.
  const fresh: RunRecord = { id: `unit-${now.getTime()}`, job: unit.job, ...(unit.instance ? { instance: unit.instance.name } : {}), trigger: 'systemd', startedAt: now.toISOString(), outcome: 'running', pid: 0, host };
  const r = await recordOutcome(w, last?.outcome === 'running' ? last : fresh, exitCode, reason);
  return { action: 'recorded', code: reason.code, ...r };
}
