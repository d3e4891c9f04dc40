/** `farm status [--json]`: each job's last and next run, failures, spend, lock and the queue, at a glance. */
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { collectStatus } from '../status/collect.ts';
import { scheduleOf } from '../schedule.ts';
import { statusTable } from '../status/table.ts';
import { type CliDeps, loadConfig, pick } from './common.ts';

const HELP = `Usage: farm status [--json] [--env-file PATH]

Per job: the last run (start, outcome, exit code, duration, reason), the next run (its cron in
FARM_TIMEZONE), consecutive failures, today's billed API spend against FARM_DAILY_API_BUDGET_USD,
who holds its lock; the queue's depth when REDIS_URL is set. Reads only: runs nothing.
Runs are recorded by "farm run-job" and "farm schedule" in <state>/farm/history/.

Options:
  --json      one JSON object: { timezone, now, jobs: [...], queue }
  -h, --help

Examples:
  pnpm farm status
  pnpm -s farm status --json | jq '.jobs[] | select(.consecutiveFailures > 0)'`;

/** `farm status`. */
export async function statusCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({ args: argv, strict: true, options: { json: { type: 'boolean' }, 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  const loaded = await loadConfig(deps, values['env-file']);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const { entries, timezone } = scheduleOf(loaded.cfg);
  const now = new Date(ctx.now());
  const jobs = await collectStatus({ farmDir: ctx.farmDir, ledgerPath: ctx.ledgerPath ?? '', entries, timezone, now, dailyBudgetUsd: loaded.cfg.FARM_DAILY_API_BUDGET_USD, host: ctx.host });
  // bullmq and its Redis client load only when there is a queue to ask.
  const depth = loaded.cfg.REDIS_URL ? await (await import('../status/queue-depth.ts')).queueDepth(loaded.cfg.REDIS_URL, loaded.cfg.FARM_QUEUE_NAME) : null;
  const queue = typeof depth === 'string' ? loaded.redact(depth) : depth;
  if (values.json) deps.stdout.write(`${JSON.stringify({ timezone, now: now.toISOString(), jobs, queue })}\n`);
  else deps.stdout.write(statusTable(jobs, { timezone, queue }));
  return 0;
}
