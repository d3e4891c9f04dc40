/** `farm run-job <instance>`: one run of a jobs-file instance, here, now. */
import { buildContext, stateDirOf } from '../config.ts';
import { type CliDeps, loadConfig, printJobRun, printResult, pick } from '../commands/common.ts';
import { FarmError } from '../errors.ts';
import { JOBS, jobExitStatus } from '../jobs.ts';
import { TERMS_NOTICE } from '../route.ts';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { findInstance } from './find-instance.ts';
import { jobsFileOf } from './load.ts';
import { instanceEnv, instanceRoute } from './run-instance.ts';
import { runInstanceObserved } from './observed-run.ts';
import { observeDepsOf } from '../alerts/observed.ts';
import { triggerOf } from '../alerts/observe.ts';

/** The options of `farm run-job` an instance run reads. */
export interface InstanceRunFlags {
  jobs?: string | undefined;
  'env-file'?: string | undefined;
  'timeout-seconds'?: string | undefined;
  'no-wait'?: boolean | undefined;
  json?: boolean | undefined;
  'dry-run'?: boolean | undefined;
  path?: string | undefined;
}

/** Runs the instance `name` (exit status as `farm run-job JOB`). */
export async function runInstanceCommand(name: string | undefined, jobArgs: string[], values: InstanceRunFlags, deps: CliDeps): Promise<number> {
  const inst = findInstance(await jobsFileOf(deps, values.jobs), name);
  if (values.path !== undefined && values.path !== 'auto') throw new FarmError('EUSAGE', `--path does not apply to an instance: its path is in the jobs file (${inst.path})`, { option: 'path' });
  const timeoutS = values['timeout-seconds'] !== undefined ? Number(values['timeout-seconds']) : undefined;
  if (timeoutS !== undefined && !(timeoutS > 0)) throw new FarmError('EUSAGE', `--timeout-seconds must be a positive number, got ${JSON.stringify(values['timeout-seconds'])}`, { option: 'timeout-seconds' });
  const loaded = await loadConfig(deps, values['env-file']);
  const stateDir = stateDirOf(readRuntimeEnv(deps.env), deps.home);
  const route = instanceRoute(inst);
  if (route.path === 'subscription') deps.stderr.write(`farm: warning: ${TERMS_NOTICE}\n`);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  if (values['dry-run']) {
    const env = instanceEnv(inst, stateDir, ctx.ledgerPath);
    const vars = Object.entries({ REPOS_ENV: inst.reposEnv, ...env }).map(([k, v]) => `${k}=${v}`).join(' ');
    printResult(deps, values.json ?? false, { ok: true, dryRun: true, instance: inst.name, job: inst.job, path: route.path, reason: route.reason, env: { REPOS_ENV: inst.reposEnv, ...env }, text: `[dry-run] would run ${vars} node ${JOBS[inst.job]} ${jobArgs.join(' ')} on ${route.path} (${route.reason})` });
    return 0;
  }
  if (values['no-wait']) ctx.lockWait = false;
  // Recorded (farm status), pinged (the instance's pingUrl) and alerted per instance.
  const watch = observeDepsOf(loaded.cfg, ctx, deps.env, triggerOf(deps.env, deps.stderr.isTTY === true), deps.fetch);
  const r = await runInstanceObserved(watch, ctx, inst, { cfg: loaded.cfg, stateDir, workspaceRoot: deps.workspaceRoot, args: jobArgs, onStderr: (s) => deps.stderr.write(s), ...(timeoutS !== undefined ? { timeoutSeconds: timeoutS } : {}) });
  printJobRun(deps, values.json ?? false, { instance: inst.name, job: inst.job }, r);
  if (!r.ok) deps.stderr.write(`farm: instance ${inst.name} (${inst.job}) failed (exit ${r.exitCode ?? 'none'}${r.timedOut ? ', killed at its time limit' : ''}); its repos.env is ${inst.reposEnv}\n`);
  return jobExitStatus(r);
}
