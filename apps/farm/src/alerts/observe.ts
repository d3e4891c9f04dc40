/**
 * What a scheduled run leaves behind besides its own work: a history record when it starts and
 * when it ends, the monitor's pings, and the owner's alert or recovery notice. Used by
 * `farm run-job` (cron lines, systemd units, by hand), `farm schedule`, `farm worker` and
 * `farm alert`. A jobs-file instance's runs are its own: history, alert record and ping URL.
 * Nothing here fails the run: each step logs its own failure.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { JobName } from '../jobs.ts';
import { historyPath, putRun, type RunRecord, runKey } from '../history.ts';
import { pingUrlOf } from './config.ts';
import { type AlertDeps, notifyOutcome, type NotifyResult } from './notify.ts';
import { ping } from './ping.ts';
import { failureReason, type FailureReason, type RunEnd } from './reason.ts';

/** Where and how runs are observed. */
export interface ObserveDeps extends AlertDeps {
  now: () => number;
  /** `schedule`, `cron`, `systemd`, `manual`. */
  trigger: string;
  /** The log command for a run that started at a time. */
  logCommand: (startedAt: Date) => string;
  host?: string;
  pid?: number;
  /** A jobs-file instance's run: its own history, alert record and ping URL (not ALERT_PING_URL_*). */
  instance?: { name: string; pingUrl: string | undefined };
}

/** The ping URL of the observed runs: the instance's, else the job's key. */
function pingBase(d: ObserveDeps, job: JobName): string | undefined {
  return d.instance !== undefined ? d.instance.pingUrl : pingUrlOf(d.cfg, job);
}

/** Records a started run and pings `/start`. */
export async function runStarted(d: ObserveDeps, job: JobName): Promise<RunRecord> {
  const instance = d.instance?.name;
  const rec: RunRecord = { id: randomUUID(), job, ...(instance !== undefined ? { instance } : {}), trigger: d.trigger, startedAt: new Date(d.now()).toISOString(), outcome: 'running', pid: d.pid ?? process.pid, host: d.host ?? hostname() };
  await putRun(historyPath(d.farmDir, runKey(job, instance)), rec).catch((err: unknown) => d.logger.warn({ err, job, instance }, 'run history not written'));
  await ping(pingBase(d, job), 'start', { logger: d.logger, job, ...(d.fetch ? { fetch: d.fetch } : {}) });
  return rec;
}

/** Records how the run ended, pings, and alerts or sends the recovery notice. */
export async function runFinished(d: ObserveDeps, rec: RunRecord, end: RunEnd & { ok: boolean; timeoutSeconds?: number }): Promise<NotifyResult> {
  const reason = end.ok ? undefined : failureReason(end, end.timeoutSeconds);
  return recordOutcome(d, rec, end.exitCode, reason);
}

/** Closes `rec` with an outcome (`reason` undefined: success); shared with `farm alert --failed`. */
export async function recordOutcome(d: ObserveDeps, rec: RunRecord, exitCode: number | null, reason: FailureReason | undefined): Promise<NotifyResult> {
  const job = rec.job as JobName;
  const ended = new Date(d.now());
  const done: RunRecord = { ...rec, endedAt: ended.toISOString(), outcome: reason ? 'failed' : 'ok', exitCode, durationMs: ended.getTime() - Date.parse(rec.startedAt), ...(reason ? { code: reason.code, reason: reason.message } : {}) };
  await putRun(historyPath(d.farmDir, runKey(job, rec.instance)), done).catch((err: unknown) => d.logger.warn({ err, job, instance: rec.instance }, 'run history not written'));
  await ping(pingBase(d, job), reason ? 'fail' : 'success', { logger: d.logger, job, ...(reason ? { body: `${reason.code}: ${reason.message}` } : {}), ...(d.fetch ? { fetch: d.fetch } : {}) });
  return notifyOutcome(d, { job, instance: rec.instance, host: rec.host, startedAt: new Date(rec.startedAt), endedAt: ended, exitCode, trigger: triggerText(rec.trigger), logCommand: d.logCommand(new Date(rec.startedAt)) }, reason);
}

function triggerText(t: string): string {
  return t === 'schedule' ? 'farm schedule' : t === 'worker' ? 'farm worker' : t === 'systemd' ? 'a systemd timer' : t === 'cron' ? 'cron' : 'hand';
}

/** The command showing a run's log: journald under systemd, the cron log otherwise. */
export function logCommandFor(env: Readonly<Record<string, string | undefined>>, cronLog: string, trigger: string): (startedAt: Date) => string {
  const invocation = env.MONITOR_INVOCATION_ID ?? env.INVOCATION_ID;
  const unit = env.MONITOR_UNIT;
  return (startedAt) => {
    const since = `${startedAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    if (unit) return `journalctl -u ${unit} --since '${since}'`;
    if (invocation) return `journalctl _SYSTEMD_INVOCATION_ID=${invocation} --since '${since}'`;
    if (trigger === 'schedule') return `journalctl -u farm-schedule.service --since '${since}'`;
    if (trigger === 'worker') return `journalctl -u 'farm-worker@*' --since '${since}'`;
    return `tail -n 200 ${cronLog}`;
  };
}

/** How this process was started: systemd (INVOCATION_ID), a terminal, else cron. */
export function triggerOf(env: Readonly<Record<string, string | undefined>>, tty: boolean): string {
  return env.INVOCATION_ID ? 'systemd' : tty ? 'manual' : 'cron';
}
