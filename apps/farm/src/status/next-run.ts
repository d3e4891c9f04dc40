/**
 * The next fire time of a cron expression after a given instant (the injected clock), in the
 * schedule's zone, by node-cron's own matcher minute by minute (node-cron's getNextRuns only
 * counts from the wall clock). Bounded to 8 days: a rarer expression gets node-cron's answer.
 */
import { createTask } from 'node-cron';

const MINUTE = 60_000;

/** ISO time of the first matching minute after `from`, or null when there is none. */
export async function nextFire(cron: string, timezone: string, from: Date): Promise<string | null> {
  const task = createTask(cron, () => {}, { timezone });
  try {
    if (cron.trim().split(/\s+/).length === 5) {
      let t = Math.floor(from.getTime() / MINUTE) * MINUTE + MINUTE;
      for (let i = 0; i < 8 * 24 * 60; i++, t += MINUTE) if (task.match(new Date(t))) return new Date(t).toISOString();
    }
    return task.getNextRun()?.toISOString() ?? null;
  } finally {
    await task.destroy();
  }
}
