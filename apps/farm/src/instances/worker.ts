/**
 * How a `farm worker` runs an instance run it took off the queue: the instance from this
 * host's jobs file, the instance's Redis lock (across hosts), then runInstance (its file lock,
 * its child tied to this process), observed (history, pings, alerts). Returns a summary that BullMQ keeps as the job's result.
 */
import { Queue } from 'bullmq';
import type { ObserveDeps } from '../alerts/observe.ts';
import type { FarmConfig } from '../config.ts';
import type { FarmContext } from '../context.ts';
import { FarmError } from '../errors.ts';
import { connectionOf } from '../queue.ts';
import type { JobsFile } from './jobs-file.ts';
import type { InstanceRunData } from './queue.ts';
import { acquireRedisLock, type RedisLike } from './redis-lock.ts';
import { runInstanceObserved } from './observed-run.ts';

/** Inputs of instanceRunner. */
export interface InstanceRunnerOptions {
  ctx: FarmContext;
  cfg: FarmConfig;
  jobs: JobsFile | undefined;
  stateDir: string;
  workspaceRoot: string;
  redisUrl: string;
  queueName: string;
  /** TTL of the instance's Redis lock (renewed while the run goes on). */
  lockMs: number;
  /** The runs' observation (history, pings, alerts) on this worker. */
  watch: ObserveDeps;
}

/** What an instance run's queue job returns. */
export interface InstanceRunResult {
  ok: boolean;
  instance: string;
  slot: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  host: string;
  pid: number;
}

/** A runner for instance runs, and its close (the Redis connection of the locks). */
export function instanceRunner(o: InstanceRunnerOptions): { run(data: InstanceRunData): Promise<InstanceRunResult>; close(): Promise<void> } {
  let queue: Queue | undefined;
  return {
    async run(data) {
      const inst = o.jobs?.instances.find((i) => i.name === data.instance);
      if (inst === undefined) {
        throw new FarmError('ECONFIG', `instance ${JSON.stringify(data.instance)} is not in this worker's jobs file (${o.jobs?.file ?? 'none: --jobs FILE, $JOBS_FILE or jobs.json'})`, { option: 'jobs' });
      }
      queue ??= new Queue(o.queueName, { connection: connectionOf(o.redisUrl) });
      const redis = (await queue.client) as unknown as RedisLike;
      await using _lock = await acquireRedisLock({ redis, key: `farm:${o.queueName}:instance-lock:${inst.name}`, ttlMs: o.lockMs, waitMs: o.ctx.lockWaitMs, sleep: o.ctx.sleep });
      o.ctx.logger.info({ instance: inst.name, job: inst.job, slot: data.slot }, 'instance run starting');
      const r = await runInstanceObserved(o.watch, o.ctx, inst, { cfg: o.cfg, stateDir: o.stateDir, workspaceRoot: o.workspaceRoot, dieWithParent: true });
      return { ok: r.ok, instance: inst.name, slot: data.slot, exitCode: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs, host: o.ctx.host, pid: process.pid };
    },
    async close() {
      await queue?.close();
    },
  };
}
