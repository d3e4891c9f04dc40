/**
 * `farm schedule`'s core: which job fires when, in the configured time zone, and never two
 * runs of one job at once (a fire that finds the previous run still going is skipped and
 * logged, not queued: a backlog of lead-responder runs would only repeat the same work).
 * Matching uses node-cron's own parser; timing comes from node-cron in the daemon and from an
 * injected clock in tests (`tick`).
 */
import { createTask, schedule as cronSchedule, validate } from 'node-cron';
import type { Logger } from '@jobs/core/logger';
import { FarmError } from './errors.ts';
import type { JobName } from './jobs.ts';
import { entryKey, type ScheduleEntry } from './schedule-entries.ts';

/** What happened at one fire time. */
export type FireEvent = { job: JobName; instance?: string; at: Date; action: 'started' | 'skipped-overlap' };

/** Options of createScheduler. */
export interface SchedulerOptions {
  entries: ScheduleEntry[];
  timezone: string;
  /** Runs the job; the scheduler waits for it before firing that job again. */
  fire: (job: JobName, at: Date, entry: ScheduleEntry) => Promise<unknown>;
  logger: Logger;
  onEvent?: (e: FireEvent) => void;
}

/** A scheduler. */
export interface Scheduler {
  /** Fires every entry whose expression matches `at` (tests drive this with a fake clock). */
  tick(at: Date): void;
  /** Starts node-cron timers (the daemon). */
  start(): void;
  stop(): Promise<void>;
  /** Resolves when no job is running. */
  idle(): Promise<void>;
  /** The next `n` fire times of each job. */
  nextRuns(n: number): Record<string, string[]>;
}

/** Checks the entries and builds the scheduler. */
export function createScheduler(o: SchedulerOptions): Scheduler {
  for (const e of o.entries) {
    if (!validate(e.cron)) throw new FarmError('ECONFIG', `the schedule of ${entryKey(e)} is not a cron expression: ${JSON.stringify(e.cron)}`, { option: entryKey(e) });
  }
  const running = new Map<string, Promise<unknown>>();
  const matchers = o.entries.map((e) => ({ e, task: createTask(e.cron, () => {}, { timezone: e.timezone ?? o.timezone }) }));
  const timers: Array<{ stop(): void | Promise<void>; destroy(): void | Promise<void> }> = [];

  const fire = (e: ScheduleEntry, at: Date): void => {
    const { job } = e;
    const key = entryKey(e);
    const who = e.instance !== undefined ? { job, instance: e.instance } : { job };
    if (running.has(key)) {
      o.logger.warn({ ...who, at: at.toISOString() }, 'previous run still going: this run is skipped');
      o.onEvent?.({ ...who, at, action: 'skipped-overlap' });
      return;
    }
    o.onEvent?.({ ...who, at, action: 'started' });
    o.logger.info({ ...who, at: at.toISOString() }, 'scheduled run starting');
    const p = o
      .fire(job, at, e)
      .catch((err: unknown) => o.logger.error({ err, ...who }, 'scheduled run failed'))
      .finally(() => running.delete(key));
    running.set(key, p);
  };

  return {
    tick(at) {
      for (const { e, task } of matchers) if (task.match(at)) fire(e, at);
    },
    start() {
      for (const e of o.entries) {
        timers.push(cronSchedule(e.cron, (c) => fire(e, c.date), { timezone: e.timezone ?? o.timezone, name: `farm-${entryKey(e)}` }));
      }
    },
    async stop() {
      for (const t of timers.splice(0)) await t.destroy();
      for (const m of matchers) await m.task.destroy();
    },
    async idle() {
      while (running.size > 0) await Promise.all(running.values());
    },
    nextRuns(n) {
      return Object.fromEntries(matchers.map(({ e, task }) => [entryKey(e), task.getNextRuns(n).map((d) => d.toISOString())]));
    },
  };
}

/** Inputs of crontabLines. */
export interface CrontabOptions {
  entries: ScheduleEntry[];
  /** The schedule's zone (FARM_TIMEZONE, else the system zone). */
  timezone: string;
  /** The host's zone: Debian's cron reads the times in it whatever CRON_TZ says. */
  systemTimezone: string;
  workspaceRoot: string;
  /** The farm CLI each line starts, relative to the workspace root: the build's `apps/farm/dist/cli.js`. */
  farmCli: string;
  /** `<state>/farm`: the flock files and the log; created by each line (mkdir -p). */
  farmDir: string;
  logFile: string;
  /** The route of the jobs (`--path`). */
  path: string;
  /** cron's PATH: the folder holding node, then /usr/local/bin:/usr/bin:/bin (flock, sh). */
  envPath: string;
  /** Environment the jobs need, carried as crontab variable lines (REPOS_ENV, JOBS_STATE_DIR, ...). */
  vars: Record<string, string>;
  /** The jobs file the instance lines name (`--jobs`). */
  jobsFile?: string;
}

/** Quotes a word for sh. */
function shq(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Crontab lines equivalent to the schedule. Each runs the built farm (`node apps/farm/dist/cli.js
 * run-job ...`: plain JavaScript, no pnpm, no type stripping), whose job children then run from
 * their builds too. cron starts commands with PATH=/usr/bin:/bin and
 * almost no environment, so the lines carry PATH (node often lives elsewhere) and the
 * variables the farm reads; each command creates the state folder before `flock -n` (the same
 * no-overlap rule as the daemon) and `>>` use it. `%` is escaped: cron turns it into a newline.
 * CRON_TZ is honoured by cronie only; Debian's and Ubuntu's cron read the times in the system
 * zone, which the comment says when the two zones differ.
 */
export function crontabLines(o: CrontabOptions): string[] {
  const lines = ['# farm jobs (pnpm farm crontab). Install with: crontab -e, or save to /etc/cron.d/farm (add a user field there).', 'SHELL=/bin/sh', `PATH=${o.envPath}`];
  for (const [k, v] of Object.entries(o.vars)) lines.push(`${k}=${v}`);
  lines.push(`CRON_TZ=${o.timezone}`);
  if (o.timezone !== o.systemTimezone) {
    lines.push(
      `# CRON_TZ is honoured by cronie (Fedora, RHEL, Arch) only: Debian's and Ubuntu's cron ignore it and read these times in the system zone (${o.systemTimezone}).`,
      `# There, set the system zone (sudo timedatectl set-timezone ${o.timezone}) or use "farm schedule" under systemd, which applies FARM_TIMEZONE itself.`,
    );
  }
  const dir = shq(o.farmDir);
  let zone = o.timezone;
  for (const e of o.entries) {
    const key = entryKey(e);
    if (e.cron.trim().split(/\s+/).length !== 5) {
      lines.push(`# ${key}: ${JSON.stringify(e.cron)} has a seconds field, which cron has not: use "farm schedule" or a five-field expression.`);
      continue;
    }
    // cronie applies a CRON_TZ line to the entries after it: an instance in another zone gets its own.
    if ((e.timezone ?? o.timezone) !== zone) {
      zone = e.timezone ?? o.timezone;
      lines.push(`CRON_TZ=${zone}`);
    }
    const how = e.instance !== undefined ? `--jobs ${shq(o.jobsFile ?? 'jobs.json')}` : `--path ${o.path}`;
    const cmd = `mkdir -p ${dir} && cd ${shq(o.workspaceRoot)} && flock -n ${shq(`${o.farmDir}/cron-${key}.lock`)} node ${shq(o.farmCli)} run-job ${key} ${how} >> ${shq(o.logFile)} 2>&1`;
    lines.push(`${e.cron} ${cmd.replace(/%/g, '\\%')}`);
  }
  return lines;
}
