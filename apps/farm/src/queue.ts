/**
 * Scale-out through BullMQ: `enqueue` adds a task (no secret: each worker reads its own
 * repos.env), `farm worker` processes on any hosts consume the queue with the same guards as
 * `farm run`. The task id is the BullMQ job id, so an enqueue repeated with the same id is a
 * no-op. A worker that dies mid-task loses its BullMQ lock; after `lockMs` another worker's
 * stalled-job check puts the task back and runs it.
 */
import { Queue, Worker } from 'bullmq';
import { redactDeep } from '@jobs/credentials/redact';
import type { FarmContext } from './context.ts';
import { FarmError } from './errors.ts';
import type { TaskResult } from './result.ts';
import { chooseRoute } from './route.ts';
import { runTask } from './runner.ts';
import { type PathPolicy, type Task, validateTask } from './task.ts';

/** What goes on the queue. */
export interface QueuedTask {
  task: Task;
  policy: PathPolicy;
}

/** Redis connection options from a redis:// URL (BullMQ needs maxRetriesPerRequest null on workers). */
export function connectionOf(url: string): { host: string; port: number; password?: string; username?: string; db?: number; tls?: object; maxRetriesPerRequest: null } {
  const u = new URL(url);
  const c: ReturnType<typeof connectionOf> = { host: u.hostname, port: Number(u.port || 6379), maxRetriesPerRequest: null };
  if (u.password) c.password = decodeURIComponent(u.password);
  if (u.username) c.username = decodeURIComponent(u.username);
  const db = u.pathname.replace('/', '');
  if (db !== '') c.db = Number(db);
  if (u.protocol === 'rediss:') c.tls = {};
  return c;
}

/** Adds tasks to the queue; returns their ids. */
export async function enqueueTasks(redisUrl: string, queueName: string, items: QueuedTask[]): Promise<string[]> {
  const queue = new Queue(queueName, { connection: connectionOf(redisUrl) });
  try {
    await queue.addBulk(items.map((it) => ({ name: 'task', data: it, opts: { jobId: it.task.id, removeOnComplete: { count: 10_000 }, removeOnFail: { count: 10_000 }, attempts: 1 } })));
    return items.map((it) => it.task.id);
  } catch (cause) {
    throw new FarmError('EQUEUE', `could not enqueue on ${queueName}: ${(cause as Error).message}`, { cause });
  } finally {
    await queue.close();
  }
}

/** Options of startWorker. */
export interface WorkerOptions {
  redisUrl: string;
  queueName: string;
  concurrency: number;
  /** BullMQ lock duration: how soon a dead worker's task is taken over. */
  lockMs: number;
  /** Runs an instance run (`instance-run` jobs, src/instances/queue.ts); absent: they fail. */
  runInstance?: (data: { instance: string; slot: string }) => Promise<unknown>;
}

/** A running worker. */
export interface FarmWorker {
  close(): Promise<void>;
  /** Resolves once connected and consuming. */
  ready: Promise<void>;
}

/** Starts consuming the queue; each task runs through runTask with this host's context. */
export function startWorker(ctx: FarmContext, o: WorkerOptions): FarmWorker {
  const worker = new Worker<QueuedTask, TaskResult>(
    o.queueName,
    async (job) => {
      if (job.name === 'instance-run') {
        const data = job.data as unknown as { instance: string; slot: string };
        if (o.runInstance === undefined) throw new FarmError('ECONFIG', `instance run ${job.id}: this worker has no jobs file`, { option: 'jobs' });
        return (await o.runInstance(data)) as TaskResult;
      }
      try {
        const task = validateTask(job.data.task);
        const route = chooseRoute(task, { policy: job.data.policy, remoteConfigured: ctx.remote !== undefined });
        // runTask redacts the result it returns: BullMQ stores it in Redis as it is.
        const result = await runTask(ctx, task, route);
        ctx.logger.info({ taskId: task.id, ok: result.ok, path: result.path, attempt: job.attemptsStarted }, 'task finished');
        // A task that ran and failed is a result, not a queue failure: it is not retried blindly.
        return result;
      } catch (err) {
        // BullMQ stores a thrown error's message and stack in Redis too.
        throw redactDeep(err, ctx.redact);
      }
    },
    {
      connection: connectionOf(o.redisUrl),
      concurrency: o.concurrency,
      lockDuration: o.lockMs,
      stalledInterval: Math.max(500, Math.floor(o.lockMs / 2)),
      maxStalledCount: 1,
    },
  );
  worker.on('error', (err) => ctx.logger.error({ err }, 'queue worker error'));
  worker.on('failed', (job, err) => ctx.logger.error({ taskId: job?.id, err }, 'task failed in the worker'));
  worker.on('stalled', (jobId) => ctx.logger.warn({ taskId: jobId }, 'task stalled (its worker died): taken over'));
  return { ready: worker.waitUntilReady().then(() => undefined), close: () => worker.close() };
}
