/** `farm schedule` (node-cron daemon for systemd) and `farm crontab` (the same as crontab lines). */
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { buildContext, type FarmConfig, stateDirOf } from '../config.ts';
import { FarmError } from '../errors.ts';
import { type CliDeps, loadConfig, pick } from './common.ts';
import { FARM_DIST_CLI, type JobName, runJobLocal } from '../jobs.ts';
import { runRemoteJob } from '../remote-job.ts';
import { chooseRoute, TERMS_NOTICE } from '../route.ts';
import { createScheduler, crontabLines } from '../schedule.ts';
import { scheduleOf } from '../schedule-entries.ts';
import { instanceEntries } from '../instances/fire.ts';
import { jobsFileOf } from '../instances/load.ts';
import { scheduleInstances } from '../instances/schedule-command.ts';
import { loadConfigForDryRun } from './dry-run-config.ts';
import { dryRunText } from './schedule-dry-run.ts';
import { observeDepsOf, observed } from '../alerts/observed.ts';

const SCHEDULE_HELP = `Usage: farm schedule [--dry-run] [--env-file PATH]

Runs the jobs on their schedule until SIGINT/SIGTERM (for systemd): digest at
FARM_SCHEDULE_DIGEST (default "0 6,18 * * *"), lead-responder at FARM_SCHEDULE_LEAD_RESPONDER
(default "*/5 * * * *"), in FARM_TIMEZONE. A run that would overlap the same job's previous run
is skipped. Jobs run on FARM_SCHEDULE_PATH (default api); subscription needs
FARM_SCHEDULE_ALLOW_SUBSCRIPTION=true and prints why it may breach the terms.

With a jobs file (--jobs FILE, $JOBS_FILE, or jobs.json / jobs.yaml at the workspace root) it
schedules each instance instead, on its own cron and zone; with REDIS_URL each due run goes on
the queue (one queue job per instance and slot) for "farm worker" on any host.

Options:
  --dry-run    print the next runs of each job (or instance) and exit (needs no repos.env)
  --json       with --dry-run: one JSON object
  --jobs FILE  the jobs file
  -h, --help`;

const CRONTAB_HELP = `Usage: farm crontab [--env-file PATH]

Prints crontab lines equivalent to "farm schedule": PATH (the folder of node), REPOS_ENV
(the file loaded now) and JOBS_STATE_DIR lines, CRON_TZ, and per job a command that creates
the state folder and runs "flock -n ... node apps/farm/dist/cli.js run-job JOB" (the build that
"pnpm install" or "pnpm build" writes; no overlaps), logging
to <state>/farm/cron.log. Debian's and Ubuntu's cron ignore CRON_TZ (cronie honours it): when
FARM_TIMEZONE is not the system zone, set the system zone or use "farm schedule" (systemd).
With a jobs file (--jobs FILE, $JOBS_FILE, jobs.json) one line per instance, each with its own
flock, "farm run-job INSTANCE --jobs FILE", and a CRON_TZ line before an instance in another zone.`;


function scheduledRoute(cfg: FarmConfig, remote: boolean) {
  if (cfg.FARM_SCHEDULE_PATH === 'subscription' && !cfg.FARM_SCHEDULE_ALLOW_SUBSCRIPTION) {
    throw new FarmError('ECONFIG', `FARM_SCHEDULE_PATH=subscription needs FARM_SCHEDULE_ALLOW_SUBSCRIPTION=true. ${TERMS_NOTICE}`, { option: 'FARM_SCHEDULE_PATH' });
  }
  return chooseRoute({ atomic: true }, { policy: cfg.FARM_SCHEDULE_PATH, job: true, allowSubscription: cfg.FARM_SCHEDULE_ALLOW_SUBSCRIPTION, remoteConfigured: remote });
}

/** `farm schedule`. */
export async function scheduleCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'env-file': { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${SCHEDULE_HELP}\n`);
    return 0;
  }
  const loaded = values['dry-run'] ? await loadConfigForDryRun(deps, values['env-file']) : await loadConfig(deps, values['env-file']);
  const cfg = loaded.cfg;
  const ctx = await buildContext(cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const jobs = await jobsFileOf(deps, values.jobs);
  if (jobs !== undefined) return scheduleInstances(deps, values['dry-run'] ?? false, { ctx, cfg, jobs, stateDir: stateDirOf(readRuntimeEnv(deps.env), deps.home), workspaceRoot: deps.workspaceRoot });
  const route = scheduledRoute(cfg, ctx.remote !== undefined);
  if (route.path === 'subscription') deps.stderr.write(`farm: warning: ${TERMS_NOTICE}\n`);
  const { entries, timezone } = scheduleOf(cfg);
  const watch = observeDepsOf(cfg, ctx, deps.env, 'schedule', deps.fetch);
  const scheduler = createScheduler({
    entries,
    timezone,
    logger: loaded.logger,
    fire: async (job: JobName) => {
      const r = await observed(watch, job, cfg.FARM_JOB_TIMEOUT_SECONDS, async (onStart) =>
        route.path === 'remote'
          ? await onStart().then(() => runRemoteJob(ctx, { job, args: [], reason: route.reason }))
          : await runJobLocal(ctx, { job, args: [], path: route.path, reason: route.reason, workspaceRoot: deps.workspaceRoot, timeoutMs: cfg.FARM_JOB_TIMEOUT_SECONDS * 1000, reposEnv: loaded.file, onStart, ...jobScript(cfg, job) }),
      );
      loaded.logger.info({ job, ok: r.ok, exitCode: r.exitCode, durationMs: r.durationMs }, 'scheduled run finished');
    },
  });
  if (values['dry-run']) {
    const next = scheduler.nextRuns(3);
    deps.stdout.write(values.json ? `${JSON.stringify({ timezone, path: route.path, reason: route.reason, next })}\n` : dryRunText(timezone, route.path, route.reason, entries, next));
    await scheduler.stop();
    return 0;
  }
  if (deps.scheduleClock) deps.scheduleClock((at) => scheduler.tick(at), () => scheduler.idle());
  else scheduler.start();
  loaded.logger.info({ timezone, entries, path: route.path }, 'schedule started');
  await (deps.stopSignal ?? new Promise<void>(() => {}));
  loaded.logger.info({}, 'schedule stopping: waiting for runs in progress');
  await scheduler.stop();
  await scheduler.idle();
  return 0;
}

function jobScript(cfg: FarmConfig, job: JobName): { script?: string } {
  const s = job === 'digest' ? cfg.FARM_JOB_DIGEST_SCRIPT : cfg.FARM_JOB_LEAD_RESPONDER_SCRIPT;
  return s !== undefined ? { script: s } : {};
}

/** The folder of `PATH` holding node (else this process's node), then /usr/local/bin:/usr/bin:/bin. */
export function cronPath(envPath: string | undefined, nodeBin: string): string {
  const dirs = (envPath ?? '').split(delimiter).filter((d) => isAbsolute(d));
  const nodeDir = dirs.find((d) => isExecutable(join(d, 'node'))) ?? dirname(nodeBin);
  return [...new Set([nodeDir, '/usr/local/bin', '/usr/bin', '/bin'])].join(':');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `farm crontab`. */
export async function crontabCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { 'env-file': { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${CRONTAB_HELP}\n`);
    return 0;
  }
  const loaded = await loadConfig(deps, values['env-file']);
  const jobs = await jobsFileOf(deps, values.jobs);
  // With a jobs file each instance line names its instance; its path is the jobs file's.
  const route = jobs !== undefined ? { path: 'api' } : scheduledRoute(loaded.cfg, loaded.cfg.FARM_SSH_HOST !== undefined);
  const { entries, timezone } = jobs !== undefined ? { entries: instanceEntries(jobs), timezone: scheduleOf(loaded.cfg).timezone } : scheduleOf(loaded.cfg);
  const runtime = readRuntimeEnv(deps.env);
  const stateDir = stateDirOf(runtime, deps.home);
  const farmDir = join(stateDir, 'farm');
  const path = cronPath(deps.env.PATH, process.execPath);
  const vars: Record<string, string> = { REPOS_ENV: loaded.file, JOBS_STATE_DIR: stateDir };
  if (runtime.COST_LEDGER) vars.COST_LEDGER = resolve(deps.cwd, runtime.COST_LEDGER);
  const lines = crontabLines({ entries, timezone, systemTimezone: deps.systemTimezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, workspaceRoot: deps.workspaceRoot, farmCli: FARM_DIST_CLI, farmDir, logFile: join(farmDir, 'cron.log'), path: route.path, envPath: path, vars, ...(jobs !== undefined ? { jobsFile: jobs.file } : {}) });
  if (!existsSync(join(deps.workspaceRoot, FARM_DIST_CLI))) {
    const note = `${FARM_DIST_CLI} is missing: run "pnpm build" (pnpm install runs it) before installing these lines`;
    lines.splice(1, 0, `# ${note}.`);
    deps.stderr.write(`farm: ${note}\n`);
  }
  if (route.path === 'subscription') lines.splice(1, 0, `# ${TERMS_NOTICE}`);
  deps.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
