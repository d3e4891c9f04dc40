/** `farm worker`'s instance side: the host's jobs file (optional) and the runner of instance runs. */
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { observeDepsOf } from '../alerts/observed.ts';
import { type FarmConfig, stateDirOf } from '../config.ts';
import type { CliDeps } from '../commands/common.ts';
import type { FarmContext } from '../context.ts';
import { jobsFileOf } from './load.ts';
import { type InstanceRunResult, instanceRunner } from './worker.ts';

/** The runner for a worker; with no jobs file here, instance runs fail naming what is missing. */
export async function workerInstances(
  deps: CliDeps,
  flag: string | undefined,
  o: { ctx: FarmContext; cfg: FarmConfig; redisUrl: string; queueName: string; lockMs: number },
): Promise<{ run(data: { instance: string; slot: string }): Promise<InstanceRunResult>; close(): Promise<void> }> {
  const jobs = await jobsFileOf(deps, flag);
  const stateDir = stateDirOf(readRuntimeEnv(deps.env), deps.home);
  const watch = observeDepsOf(o.cfg, o.ctx, deps.env, 'worker', deps.fetch);
  return instanceRunner({ ...o, jobs, stateDir, workspaceRoot: deps.workspaceRoot, watch });
}
