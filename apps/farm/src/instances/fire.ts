/**
 * What the scheduler does when an instance is due: without REDIS_URL it runs the instance here
 * (runInstance, under its lock, observed: history, pings, alerts); with REDIS_URL it puts the run on the BullMQ queue, with a job
 * id made of the instance and the slot, so two schedulers (two hosts, or a restart within the
 * minute) add it once, and any `farm worker` runs it.
 */
import type { ObserveDeps } from '../alerts/observe.ts';
import type { FarmConfig } from '../config.ts';
import type { FarmContext } from '../context.ts';
import type { ScheduleEntry } from '../schedule-entries.ts';
import type { Instance, JobsFile } from './jobs-file.ts';
import { enqueueInstanceRuns } from './queue.ts';
import { runInstanceObserved } from './observed-run.ts';

/** The schedule entries of a jobs file's instances. */
export function instanceEntries(jobs: JobsFile): ScheduleEntry[] {
  return jobs.instances.map((i) => ({ job: i.job, cron: i.cron, instance: i.name, ...(i.timezone !== undefined ? { timezone: i.timezone } : {}) }));
}

/** Inputs of fireInstance. */
export interface FireInstanceOptions {
  ctx: FarmContext;
  cfg: FarmConfig;
  jobs: JobsFile;
  stateDir: string;
  workspaceRoot: string;
  /** The runs' observation (history, pings, alerts) under the scheduler. */
  watch: ObserveDeps;
}

/** Runs (or enqueues, with REDIS_URL) the instance named by `entry` for the slot `at`. */
export async function fireInstance(o: FireInstanceOptions, entry: ScheduleEntry, at: Date): Promise<void> {
  const inst = o.jobs.instances.find((i) => i.name === entry.instance) as Instance;
  const log = o.ctx.logger;
  if (o.cfg.REDIS_URL !== undefined) {
    const [r] = await enqueueInstanceRuns(o.cfg.REDIS_URL, o.cfg.FARM_QUEUE_NAME, [{ instance: inst.name, slot: at.toISOString() }]);
    log.info({ instance: inst.name, job: inst.job, queueJobId: r?.id, added: r?.added }, r?.added ? 'instance run queued' : 'instance run already queued for this slot');
    return;
  }
  const r = await runInstanceObserved(o.watch, o.ctx, inst, { cfg: o.cfg, stateDir: o.stateDir, workspaceRoot: o.workspaceRoot });
  log.info({ instance: inst.name, job: inst.job, ok: r.ok, exitCode: r.exitCode, durationMs: r.durationMs }, 'scheduled run finished');
}
