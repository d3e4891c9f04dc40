/** `farm run-job digest|lead-responder [--path ...] [-- job options]`. */
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { FarmError } from '../errors.ts';
import { type CliDeps, loadConfig, pathPolicy, printJobRun, printResult, pick } from './common.ts';
import { checkJob, JOBS, jobExitStatus, runJobLocal } from '../jobs.ts';
import { chooseRoute, TERMS_NOTICE } from '../route.ts';
import { runRemoteJob } from '../remote-job.ts';
import { loadConfigForDryRun } from './dry-run-config.ts';
import { observeDepsOf, observed } from '../alerts/observed.ts';
import { triggerOf } from '../alerts/observe.ts';

const HELP = `Usage: farm run-job digest|lead-responder|INSTANCE [options] [-- job options]

INSTANCE: a name from the jobs file (--jobs FILE, $JOBS_FILE, or jobs.json / jobs.yaml at the
workspace root): that instance's job with its repos.env, state folder, path and budget.

Runs a job's own CLI as a task. Jobs default to the API path: they act for the business,
and Anthropic's terms want API keys for that.

Options:
  --path auto|api|remote|subscription   default auto (= api for jobs)
  --allow-subscription   required with --path subscription; prints why it may breach the terms
  --timeout-seconds N    kill the job after N s (default FARM_JOB_TIMEOUT_SECONDS, 1800)
  --no-wait              refuse instead of waiting when the job is already running
  --env-file PATH        repos.env to use (farm's own; an instance's job reads the instance's)
  --jobs FILE            the jobs file (instances)
  --json                 one JSON summary on stdout
  --dry-run              print the command, run nothing
  -h, --help

Jobs: ${Object.entries(JOBS).map(([k, v]) => `${k} (${v})`).join(', ')}

Examples:
  pnpm farm run-job digest -- --dry-run
  pnpm farm run-job lead-responder --path remote
  pnpm farm run-job acme-digest --jobs /etc/jobs/jobs.json -- --dry-run`;

/** Parses and runs `farm run-job`. */
export async function runJobCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      path: { type: 'string', default: 'auto' },
      'allow-subscription': { type: 'boolean' },
      'timeout-seconds': { type: 'string' },
      'no-wait': { type: 'boolean' },
      'env-file': { type: 'string' },
      jobs: { type: 'string' },
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  const [name, ...jobArgs] = positionals;
  // Not a job's name: an instance of the jobs file (its own repos.env, state, path and budget).
  if (name !== undefined && !Object.hasOwn(JOBS, name)) return (await import('../instances/run-command.ts')).runInstanceCommand(name, jobArgs, values, deps);
  const job = checkJob(name);
  const policy = pathPolicy(values.path);
  const loaded = values['dry-run'] ? await loadConfigForDryRun(deps, values['env-file']) : await loadConfig(deps, values['env-file']);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  if (values['no-wait']) ctx.lockWait = false;
  const route = chooseRoute({ atomic: true }, { policy, job: true, allowSubscription: values['allow-subscription'] ?? false, remoteConfigured: ctx.remote !== undefined });
  if (route.path === 'subscription') deps.stderr.write(`farm: warning: ${TERMS_NOTICE}\n`);
  const timeoutS = values['timeout-seconds'] !== undefined ? Number(values['timeout-seconds']) : loaded.cfg.FARM_JOB_TIMEOUT_SECONDS;
  if (!(timeoutS > 0)) throw new FarmError('EUSAGE', `--timeout-seconds must be a positive number, got ${JSON.stringify(values['timeout-seconds'])}`, { option: 'timeout-seconds' });
  const script = job === 'digest' ? loaded.cfg.FARM_JOB_DIGEST_SCRIPT : loaded.cfg.FARM_JOB_LEAD_RESPONDER_SCRIPT;
  if (values['dry-run']) {
    printResult(deps, values.json ?? false, { ok: true, dryRun: true, job, path: route.path, reason: route.reason, text: `[dry-run] would run node ${script ?? JOBS[job]} ${jobArgs.join(' ')} on ${route.path} (${route.reason})` });
    return 0;
  }
  // Every run is recorded (farm status) and alerts the owner on failure (ALERT_* keys).
  const watch = observeDepsOf(loaded.cfg, ctx, deps.env, triggerOf(deps.env, deps.stderr.isTTY === true), deps.fetch);
  const r = await observed(watch, job, timeoutS, async (onStart) =>
    route.path === 'remote'
      ? await onStart().then(() => runRemoteJob(ctx, { job, args: jobArgs, reason: route.reason }))
      : await runJobLocal(ctx, {
          job,
          args: jobArgs,
          path: route.path,
          reason: route.reason,
          workspaceRoot: deps.workspaceRoot,
          timeoutMs: timeoutS * 1000,
          ...(script !== undefined ? { script } : {}),
          reposEnv: loaded.file,
          onStderr: (s) => deps.stderr.write(s),
          onStart,
        }),
  );
  printJobRun(deps, values.json ?? false, { job }, r);
  const status = jobExitStatus(r);
  if (!r.ok) deps.stderr.write(`farm: job ${job} ${jobFailure(r.exitCode, r.timedOut, loaded.file)}\n`);
  return status;
}

/** Says how a job failed, naming what to fix for the exit codes with a meaning. */
function jobFailure(exitCode: number | null, timedOut: boolean, reposEnv: string): string {
  if (timedOut) return `was killed after its time limit (exit ${exitCode ?? 'none'}); raise --timeout-seconds or FARM_JOB_TIMEOUT_SECONDS`;
  if (exitCode === 78) return `stopped on its configuration (exit 78): its keys in ${reposEnv} are missing or malformed; its log above names them`;
  if (exitCode === 2) return 'refused its options (exit 2: usage); check the job options after "--"';
  return `failed (exit ${exitCode ?? 'none'})`;
}
