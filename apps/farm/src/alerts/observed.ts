/**
 * A job run wrapped in its observation: recorded as running once it holds the job's lock
 * (`onStart`), then closed with its outcome, the monitor's ping and the owner's notice. The
 * glue `farm run-job` and `farm schedule` share.
 */
import { join } from 'node:path';
import type { FarmContext } from '../context.ts';
import type { FarmConfig } from '../config.ts';
import type { JobName, JobResult } from '../jobs.ts';
import type { RunRecord } from '../history.ts';
import { logCommandFor, type ObserveDeps, recordOutcome, runFinished, runStarted } from './observe.ts';
import { fixFor } from './reason.ts';

/** The observation's surroundings for a command. */
export function observeDepsOf(cfg: FarmConfig, ctx: FarmContext, env: Readonly<Record<string, string | undefined>>, trigger: string, fetchFn?: typeof fetch): ObserveDeps {
  return { cfg, farmDir: ctx.farmDir, logger: ctx.logger, now: ctx.now, trigger, host: ctx.host, logCommand: logCommandFor(env, join(ctx.farmDir, 'cron.log'), trigger), ...(fetchFn ? { fetch: fetchFn } : {}) };
}

/** Runs `run` observed; a run that throws after it started is recorded as failed and rethrown. */
export async function observed(w: ObserveDeps, job: JobName, timeoutSeconds: number, run: (onStart: () => Promise<void>) => Promise<JobResult>): Promise<JobResult> {
  let rec: RunRecord | undefined;
  const onStart = async (): Promise<void> => {
    rec ??= await runStarted(w, job);
  };
  let r: JobResult;
  try {
    r = await run(onStart);
  } catch (err) {
    if (rec !== undefined) {
      const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : 'EJOB';
      await recordOutcome(w, rec, null, { code, message: (err as Error).message ?? String(err), fix: fixFor(code) });
    }
    throw err;
  }
  rec ??= await runStarted(w, job);
  await runFinished(w, rec, { ...r, timeoutSeconds });
  return r;
}
