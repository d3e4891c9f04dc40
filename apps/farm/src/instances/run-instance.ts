/**
 * One run of a jobs-file instance on this host: the job's CLI as a child (runJobLocal) with the
 * instance's repos.env, its own state folder (`<state>/instances/<name>`, so its lock,
 * checkpoint and journal are its own), the shared ledger, its name on every ledger row
 * (JOBS_INSTANCE) and its per-run budget; under the instance's lock, so `farm run-job`, cron,
 * the scheduler and a queue worker never run one instance twice at once on a host.
 */
import { join } from 'node:path';
import type { FarmConfig } from '../config.ts';
import type { FarmContext } from '../context.ts';
import { type JobResult, runJobLocal } from '../jobs.ts';
import type { Instance } from './jobs-file.ts';

/** The state folder of an instance under the suite's state dir. */
export function instanceStateDir(stateDir: string, name: string): string {
  return join(stateDir, 'instances', name);
}

/** The route of an instance: the jobs file's path (subscription only with its opt-in, checked at load). */
export function instanceRoute(inst: Instance): { path: 'api' | 'subscription'; reason: string } {
  return inst.path === 'subscription'
    ? { path: 'subscription', reason: `instance ${inst.name}: subscription by explicit opt-in in the jobs file (allowSubscription)` }
    : { path: 'api', reason: `instance ${inst.name}: API path (jobs file; terms: automation acting for others uses API keys)` };
}

/** The variables an instance's child gets besides farm's allowlist. */
export function instanceEnv(inst: Instance, stateDir: string, ledgerPath: string | undefined): Record<string, string> {
  const env: Record<string, string> = { JOBS_STATE_DIR: instanceStateDir(stateDir, inst.name), JOBS_INSTANCE: inst.name };
  // Without COST_LEDGER the child would write <its state>/ledger.jsonl: one ledger per instance.
  if (ledgerPath !== undefined) env.COST_LEDGER = ledgerPath;
  if (inst.budgetUsd !== undefined) env.JOBS_RUN_BUDGET_USD = String(inst.budgetUsd);
  return env;
}

/** Inputs of runInstance besides the context. */
export interface InstanceRunOptions {
  cfg: FarmConfig;
  stateDir: string;
  workspaceRoot: string;
  args?: string[];
  timeoutSeconds?: number;
  onStderr?: (chunk: string) => void;
  dieWithParent?: boolean;
  /** Called once the instance's lock is held, before the child starts (run history, ping). */
  onStart?: () => Promise<void>;
}

/** How long a run of the instance may take: the option, the instance's own, FARM_JOB_TIMEOUT_SECONDS. */
export function instanceTimeoutSeconds(inst: Instance, o: Pick<InstanceRunOptions, 'cfg' | 'timeoutSeconds'>): number {
  return o.timeoutSeconds ?? inst.timeoutSeconds ?? o.cfg.FARM_JOB_TIMEOUT_SECONDS;
}

/** Runs the instance's job once here; resolves with how it ended (never throws for a failed job). */
export async function runInstance(ctx: FarmContext, inst: Instance, o: InstanceRunOptions): Promise<JobResult> {
  const route = instanceRoute(inst);
  const script = inst.job === 'digest' ? o.cfg.FARM_JOB_DIGEST_SCRIPT : o.cfg.FARM_JOB_LEAD_RESPONDER_SCRIPT;
  const timeoutS = instanceTimeoutSeconds(inst, o);
  return runJobLocal(ctx, {
    job: inst.job,
    args: o.args ?? [],
    path: route.path,
    reason: route.reason,
    workspaceRoot: o.workspaceRoot,
    timeoutMs: timeoutS * 1000,
    reposEnv: inst.reposEnv,
    instance: inst.name,
    childEnv: instanceEnv(inst, o.stateDir, ctx.ledgerPath),
    ...(script !== undefined ? { script } : {}),
    ...(o.onStderr ? { onStderr: o.onStderr } : {}),
    ...(o.dieWithParent ? { dieWithParent: true } : {}),
    ...(o.onStart ? { onStart: o.onStart } : {}),
  });
}
