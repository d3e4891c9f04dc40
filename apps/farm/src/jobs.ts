/**
 * Jobs run as tasks: `farm run-job digest|lead-responder` starts the job's own CLI as a child
 * (`node apps/<job>/dist/cli.js ...` when farm runs from its build, as systemd and cron start
 * it; `node apps/<job>/src/cli.ts ...` when farm runs from source), from the workspace root, in its own process
 * group, with an allowlisted env (never the farm's secrets: the job loads its own keys from
 * repos.env), a time limit, one run per job at a time, and a ledger row with the route.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';
import { cliEntry, type RuntimeForm, runtimeFormOf } from '@jobs/core/runtime-form';
import { childEnv } from '@jobs/credentials/child-env';
import type { LedgerRow } from '@jobs/ledger/row';
import { type FarmContext, SUBSCRIPTION_ALLOW } from './context.ts';
import { FarmError } from './errors.ts';
import { JOB_APPS, type JobName } from './job-names.ts';
import { killGroup, type SpawnFn } from '@jobs/claude/cli-run';
import { appendRow } from './ledger.ts';
import { acquireProjectLock } from './lock.ts';
import type { RoutePath } from './task.ts';

/** The form farm runs in, which its job children follow: `dist` under systemd and cron, `src` in tests and `pnpm farm`. */
export const FORM: RuntimeForm = runtimeFormOf(import.meta.url);

/** The jobs farm knows, and their CLI entry (in farm's own form) relative to the workspace root. */
export const JOBS = Object.freeze({
  digest: cliEntry(JOB_APPS.digest, FORM),
  'lead-responder': cliEntry(JOB_APPS['lead-responder'], FORM),
} satisfies Record<JobName, string>);

/** The farm CLI of the build, relative to the workspace root: what crontab lines and systemd units start. */
export const FARM_DIST_CLI: string = cliEntry('farm', 'dist');

export type { JobName } from './job-names.ts';

/** Checks a job name. */
export function checkJob(name: string | undefined): JobName {
  if (name === undefined || !Object.hasOwn(JOBS, name)) {
    throw new FarmError('EUSAGE', `run-job needs a job: ${Object.keys(JOBS).join(' | ')}, got ${JSON.stringify(name ?? '')}`, { option: 'job' });
  }
  return name as JobName;
}

/** How a job ended. */
export interface JobResult {
  job: JobName;
  path: RoutePath;
  reason: string;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  timedOut: boolean;
  /** The job's stdout (its own JSON summary with --json). */
  stdout: string;
  stderrTail: string;
}

/**
 * The farm's exit status for a job that ended with `code`: a job's configuration (78) and
 * usage (2) failures keep their meaning, so a wrapper or systemd can tell a bad repos.env or
 * bad job options from a run that failed; anything else is 1.
 */
export function jobExitStatus(r: Pick<JobResult, 'ok' | 'exitCode' | 'timedOut'>): 0 | 1 | 2 | 78 {
  if (r.ok) return 0;
  if (!r.timedOut && (r.exitCode === 78 || r.exitCode === 2)) return r.exitCode;
  return 1;
}

/** Options of runJobLocal. */
export interface JobRunOptions {
  job: JobName;
  args: string[];
  path: RoutePath;
  reason: string;
  workspaceRoot: string;
  /** Override of the job's entry script (tests inject a fixture; deployments may too). */
  script?: string;
  timeoutMs: number;
  nodeBin?: string;
  spawn?: SpawnFn;
  /** Mirror the job's stderr (its JSON log lines) here. */
  onStderr?: (chunk: string) => void;
  /**
   * The repos.env the farm loaded (absolute): the job gets it as REPOS_ENV, so
   * `farm run-job --env-file X` and the schedule run the job on the same file as the farm.
   */
  reposEnv?: string;
  /**
   * A jobs-file instance: the run takes the instance's lock (not the job's), its ledger row
   * carries the instance, and `childEnv` (its state folder, ...) goes to the child.
   */
  instance?: string;
  /** More variables for the child (an instance's JOBS_STATE_DIR, JOBS_INSTANCE, ...). */
  childEnv?: Record<string, string>;
  /** Start the child under `setpriv --pdeathsig SIGKILL`: it dies when this process dies (a killed queue worker). */
  dieWithParent?: boolean;
  /** Called once the job's lock is held, before the child starts (run history). */
  onStart?: () => Promise<void>;
}

/** Runs the job's CLI here, under the job's lock; writes one ledger row for the route. */
export async function runJobLocal(ctx: FarmContext, o: JobRunOptions): Promise<JobResult> {
  await using _lock = await acquireProjectLock({ dir: join(ctx.farmDir, 'locks'), project: o.instance !== undefined ? `instance-${o.instance}` : `job-${o.job}`, wait: ctx.lockWait, timeoutMs: ctx.lockWaitMs, sleep: ctx.sleep, now: ctx.now, logger: ctx.logger });
  await o.onStart?.();
  const script = o.script ?? JOBS[o.job];
  const entry = isAbsolute(script) ? script : join(o.workspaceRoot, script);
  // The job reads its own repos.env; it gets where to find it and nothing secret from us.
  // On the subscription path no API key can reach it even if the parent shell exports one; the
  // job runs `claude -p` itself (JOBS_CLAUDE_PATH), with the farm's claude and login variables.
  const set: Record<string, string> = { JOBS_CLAUDE_PATH: o.path };
  if (o.path === 'subscription') set.JOBS_CLAUDE_BIN = ctx.claudeBin;
  if (o.reposEnv !== undefined) set.REPOS_ENV = o.reposEnv;
  Object.assign(set, o.childEnv);
  // The login variables only on the subscription path: an API-path job has no use for the
  // subscription's token (least privilege).
  const allow = ['REPOS_ENV', 'JOBS_STATE_DIR', 'COST_LEDGER', ...(o.path === 'subscription' ? SUBSCRIPTION_ALLOW : [])];
  const { env } = o.path === 'subscription' ? childEnv('subscription', { parentEnv: ctx.parentEnv, allow, set }) : childEnv('plain', { parentEnv: ctx.parentEnv, allow, set });
  const spawn = o.spawn ?? ctx.spawn ?? (nodeSpawn as SpawnFn);
  const started = ctx.now();
  const nodeArgs = [entry, '--', ...o.args];
  const [bin, argv] = o.dieWithParent ? ['setpriv', ['--pdeathsig', 'SIGKILL', '--', o.nodeBin ?? process.execPath, ...nodeArgs]] : [o.nodeBin ?? process.execPath, nodeArgs];
  const child = spawn(bin, argv, { cwd: o.workspaceRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderrTail = '';
  child.stdout?.on('data', (c: Buffer) => {
    if (stdout.length < 1_000_000) stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    const s = c.toString();
    o.onStderr?.(s);
    stderrTail = (stderrTail + s).slice(-4000);
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctx.logger.warn({ job: o.job, pid: child.pid }, 'job ran past its time limit: killing its process group');
    killGroup(child);
  }, o.timeoutMs);
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('error', (err) => {
      stderrTail += String(err);
      resolve(null);
    });
    child.on('close', (code) => resolve(code));
  });
  clearTimeout(timer);
  const result: JobResult = { job: o.job, path: o.path, reason: o.reason, ok: exitCode === 0 && !timedOut, exitCode, durationMs: ctx.now() - started, timedOut, stdout, stderrTail: ctx.redact(stderrTail) };
  const row: LedgerRow = {
    ts: new Date(ctx.now()).toISOString(),
    run_id: `${o.instance ?? o.job}-${started}`,
    app: ctx.app,
    job: o.job,
    call_site: 'farm.run-job',
    path: o.path,
    host: ctx.host,
    // The job's own Claude calls are in its own rows; this row records the route and the run.
    model: 'none',
    input_tokens: 0,
    output_tokens: 0,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    usd: 0,
    latency_ms: result.durationMs,
    attempts: 1,
    outcome: result.ok ? 'ok' : 'error',
    request_id: null,
    reason: o.reason,
  };
  if (o.instance !== undefined) row.instance = o.instance;
  if (!result.ok) row.error_code = timedOut ? 'ETIMEOUT' : `EXIT_${exitCode ?? 'SIGNAL'}`;
  await appendRow(ctx, row);
  return result;
}
