/**
 * The next fire time of a cron expression after a given instant (the injected clock), in the
 * schedule's zone. A five-field expression is read by our own evaluator (src/cron/, node-cron's
 * meaning, one cached Intl formatter per zone), so `farm status` does not load node-cron;
 * anything else (a seconds field, L, W, #, an invalid expression) goes to node-cron as before:
 * its error, or its getNextRun (which counts from the wall clock).
 */
import { nextMatch } from '../cron/next.ts';
import { parseCron } from '../cron/parse.ts';

/** ISO time of the first matching minute after `from`, or null when there is none. */
export async function nextFire(cron: string, timezone: string, from: Date): Promise<string | null> {
  const fields = parseCron(cron);
  if (fields !== undefined) return nextMatch(fields, timezone, from)?.toISOString() ?? null;
  const { createTask } = await import('node-cron');
  const task = createTask(cron, () => {}, { timezone });
  try {
    return task.getNextRun()?.toISOString() ?? null;
  } finally {
    await task.destroy();
  }
}
