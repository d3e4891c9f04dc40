/** `farm status [--json]`: each job's (or jobs-file instance's) last and next run, failures, spend, lock and the queue, at a glance. */
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { jobsFileOf } from '../instances/load.ts';
import type { JobsFile } from '../instances/jobs-file.ts';
import { collectStatus, type StatusEntry } from '../status/collect.ts';
import { statusTable } from '../status/table.ts';
import { type CliDeps, pick } from './common.ts';
import { loadConfigOrDefaults } from './dry-run-config.ts';
import { scheduleOf } from '../schedule-entries.ts';

const HELP = `Usage: farm status [--json] [--jobs FILE] [--env-file PATH]

Per job, or per instance when there is a jobs file (--jobs FILE, $JOBS_FILE, jobs.json at the
workspace root): the last run (start, outcome, exit code, duration, reason), the next run (its
cron in its zone), consecutive failures, today's billed API spend against its budget
(FARM_DAILY_API_BUDGET_USD for a job, the instance's budgetUsd per run), who holds its lock; the
queue's depth when REDIS_URL is set. Reads only: runs nothing, needs no secret (no repos.env:
the default settings). Runs are recorded by "farm run-job", "farm schedule" and "farm worker"
in <state>/farm/history/.

Options:
  --json      one JSON object: { timezone, now, jobsFile, jobs: [...], queue }
  --jobs FILE the jobs file
  -h, --help

Examples:
  pnpm farm status
  pnpm -s farm status --json | jq '.jobs[] | select(.consecutiveFailures > 0)'`;

/** The lines to show: the jobs file's instances, else the two jobs. */
function entriesOf(jobs: JobsFile | undefined, fallback: StatusEntry[]): StatusEntry[] {
  if (jobs === undefined) return fallback;
  return jobs.instances.map((i) => ({ job: i.job, cron: i.cron, instance: i.name, budgetUsd: i.budgetUsd, ...(i.timezone !== undefined ? { timezone: i.timezone } : {}) }));
}

/** `farm status`. */
export async function statusCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean' }, jobs: { type: 'string' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  // Reads history, ledger and locks only: no secret needed, so no repos.env is fine (its defaults).
  const loaded = await loadConfigOrDefaults(deps, values['env-file'], 'status with the default settings (FARM_TIMEZONE, schedules, REDIS_URL unset)');
  const jobsFile = await jobsFileOf(deps, values.jobs);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const { entries, timezone } = scheduleOf(loaded.cfg);
  const now = new Date(ctx.now());
  const jobs = await collectStatus({ farmDir: ctx.farmDir, ledgerPath: ctx.ledgerPath ?? '', entries: entriesOf(jobsFile, entries), timezone, now, dailyBudgetUsd: loaded.cfg.FARM_DAILY_API_BUDGET_USD, host: ctx.host });
  // bullmq and its Redis client load only when there is a queue to ask.
  const depth = loaded.cfg.REDIS_URL ? await (await import('../status/queue-depth.ts')).queueDepth(loaded.cfg.REDIS_URL, loaded.cfg.FARM_QUEUE_NAME) : null;
  const queue = typeof depth === 'string' ? loaded.redact(depth) : depth;
  if (values.json) deps.stdout.write(`${JSON.stringify({ timezone, now: now.toISOString(), jobsFile: jobsFile?.file ?? null, jobs, queue })}\n`);
  else deps.stdout.write(statusTable(jobs, { timezone, queue }));
  return 0;
}
