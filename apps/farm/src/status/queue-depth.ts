/** The BullMQ queue's job counts for `farm status` (REDIS_URL set); a Redis that does not answer is a short note, not a failure. */

/** Counts of the queue. */
export interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Reads the counts within `timeoutMs`; the error's text (redacted by the caller) otherwise. */
export async function queueDepth(redisUrl: string, name: string, timeoutMs = 5000): Promise<QueueDepth | string> {
  const [{ Queue }, { connectionOf }] = await Promise.all([import('bullmq'), import('../queue.ts')]);
  const queue = new Queue(name, { connection: { ...connectionOf(redisUrl), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: timeoutMs } });
  queue.on('error', () => {});
  try {
    const counts = await Promise.race([
      queue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { name, waiting: counts.waiting ?? 0, active: counts.active ?? 0, delayed: counts.delayed ?? 0, failed: counts.failed ?? 0 };
  } catch (err) {
    return `unreachable (${(err as Error).message})`;
  } finally {
    await queue.close().catch(() => undefined);
  }
}
