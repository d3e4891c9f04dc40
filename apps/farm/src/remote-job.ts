/**
 * run-job on the remote path: the worker runs the job's CLI itself (`farm remote-exec` with a
 * `job` request). The job loads its keys from the worker's own repos.env, so nothing secret
 * is sent; the worker's ledger holds the job's rows, ours the route row.
 */
import type { FarmContext } from './context.ts';
import { FarmError } from './errors.ts';
import { appendRow } from './ledger.ts';
import type { JobName, JobResult } from './jobs.ts';
import { sshRoundTrip } from './paths/remote.ts';

/** Runs a job on the remote worker. */
export async function runRemoteJob(ctx: FarmContext, o: { job: JobName; args: string[]; reason: string }): Promise<JobResult> {
  const started = ctx.now();
  const { reply, code, stderr } = await sshRoundTrip(ctx, { job: { name: o.job, args: o.args }, reason: o.reason });
  const r = (reply as { job?: JobResult } | undefined)?.job;
  if (r === undefined) throw new FarmError('ESSH', `the remote worker ${ctx.remote?.host ?? '?'} gave no job result (ssh exit ${code}): ${stderr.slice(0, 400)}`, { exitCode: code });
  await appendRow(ctx, {
    ts: new Date(ctx.now()).toISOString(),
    run_id: `${o.job}-${started}`,
    app: ctx.app,
    job: o.job,
    call_site: 'farm.run-job',
    path: 'remote',
    host: ctx.remote?.host ?? ctx.host,
    model: 'none',
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    usd: 0,
    latency_ms: ctx.now() - started,
    attempts: 1,
    outcome: r.ok ? 'ok' : 'error',
    request_id: null,
    reason: o.reason,
  });
  return { ...r, path: 'remote', reason: o.reason };
}
