/** `farm enqueue` and `farm worker`: the BullMQ queue when REDIS_URL is set. */
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { FarmError } from '../errors.ts';
import { type CliDeps, loadConfig, pathPolicy, printResult, readTaskText, TASK_OPTIONS, pick } from './common.ts';
import { enqueueTasks, startWorker } from '../queue.ts';
import { chooseRoute } from '../route.ts';
import { runTask } from '../runner.ts';
import { buildTask, } from '../task.ts';
import { workerInstances } from '../instances/worker-setup.ts';

const ENQUEUE_HELP = `Usage: farm enqueue [run options] < task.md

Puts a task on the queue (REDIS_URL, FARM_QUEUE_NAME) for any "farm worker"; without
REDIS_URL the task runs here, in-process, as "farm run" would. Takes the options of "farm run"
(--path, --project, --atomic, --agent, --model, --max-turns, --max-budget-usd, --max-tokens,
--mcp, --task, --env-file, --json) plus --id ID (the task id; an id already queued is not added twice).`;

const WORKER_HELP = `Usage: farm worker [--concurrency N] [--env-file PATH] [--jobs FILE]

Consumes the queue at REDIS_URL until SIGINT/SIGTERM, running each task with the same guards
as "farm run" (lock per project, key-source check, watchdog, ledger), and each instance run
queued by "farm schedule" from this host's jobs file (--jobs FILE, $JOBS_FILE or jobs.json at
the workspace root), under the instance's lock: one run of an instance at a time across hosts.`;

/** `farm enqueue`. */
export async function enqueueCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...TASK_OPTIONS, id: { type: 'string' } },
  });
  if (values.help) {
    deps.stdout.write(`${ENQUEUE_HELP}\n`);
    return 0;
  }
  const policy = pathPolicy(values.path);
  const loaded = await loadConfig(deps, values['env-file']);
  const text = await readTaskText(deps, values.task);
  const task = values.id !== undefined ? buildTask(text, values, values.id) : buildTask(text, values);
  if (loaded.cfg.REDIS_URL === undefined) {
    loaded.logger.info({ taskId: task.id }, 'no REDIS_URL: running the task in-process');
    const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
    const result = await runTask(ctx, task, chooseRoute(task, { policy, remoteConfigured: ctx.remote !== undefined }));
    printResult(deps, values.json ?? false, { ...result });
    return result.ok ? 0 : 1;
  }
  const [id] = await enqueueTasks(loaded.cfg.REDIS_URL, loaded.cfg.FARM_QUEUE_NAME, [{ task, policy }]);
  printResult(deps, values.json ?? false, { ok: true, queued: true, taskId: id, queue: loaded.cfg.FARM_QUEUE_NAME, text: `queued ${id}` });
  return 0;
}

/** `farm worker`. */
export async function workerCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { concurrency: { type: 'string' }, 'env-file': { type: 'string' }, jobs: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    deps.stdout.write(`${WORKER_HELP}\n`);
    return 0;
  }
  const loaded = await loadConfig(deps, values['env-file']);
  if (loaded.cfg.REDIS_URL === undefined) throw new FarmError('ECONFIG', 'farm worker needs REDIS_URL in repos.env (without it, tasks run in-process with farm run)', { option: 'REDIS_URL' });
  const concurrency = values.concurrency !== undefined ? Number(values.concurrency) : loaded.cfg.FARM_WORKER_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new FarmError('EUSAGE', `--concurrency must be a positive integer, got ${JSON.stringify(values.concurrency)}`, { option: 'concurrency' });
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  const lockMs = loaded.cfg.FARM_QUEUE_LOCK_SECONDS * 1000;
  // Instance runs (farm schedule with a jobs file and REDIS_URL) run from this host's jobs file.
  const instances = await workerInstances(deps, values.jobs, { ctx, cfg: loaded.cfg, redisUrl: loaded.cfg.REDIS_URL, queueName: loaded.cfg.FARM_QUEUE_NAME, lockMs });
  const worker = startWorker(ctx, { redisUrl: loaded.cfg.REDIS_URL, queueName: loaded.cfg.FARM_QUEUE_NAME, concurrency, lockMs, runInstance: instances.run });
  await worker.ready;
  loaded.logger.info({ queue: loaded.cfg.FARM_QUEUE_NAME, concurrency, pid: process.pid }, 'worker ready');
  await (deps.stopSignal ?? new Promise<void>(() => {}));
  loaded.logger.info({}, 'worker stopping: finishing the tasks in hand');
  await worker.close();
  await instances.close();
  return 0;
}
