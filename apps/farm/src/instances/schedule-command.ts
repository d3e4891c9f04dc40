/** `farm schedule` with a jobs file: every instance on its own cron and zone, run here or queued (REDIS_URL). */
import { observeDepsOf } from '../alerts/observed.ts';
import type { CliDeps } from '../commands/common.ts';
import { TERMS_NOTICE } from '../route.ts';
import { createScheduler } from '../schedule.ts';
import { type FireInstanceOptions, fireInstance, instanceEntries } from './fire.ts';

/** Runs the instances' schedule until the stop signal (or prints the next runs with dryRun). */
export async function scheduleInstances(deps: CliDeps, dryRun: boolean, base: Omit<FireInstanceOptions, 'watch'>): Promise<number> {
  const o: FireInstanceOptions = { ...base, watch: observeDepsOf(base.cfg, base.ctx, deps.env, 'schedule', deps.fetch) };
  const timezone = o.cfg.FARM_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const entries = instanceEntries(o.jobs);
  if (o.jobs.instances.some((i) => i.path === 'subscription')) deps.stderr.write(`farm: warning: ${TERMS_NOTICE}\n`);
  const scheduler = createScheduler({ entries, timezone, logger: o.ctx.logger, fire: (_job, at, entry) => fireInstance(o, entry, at) });
  const mode = o.cfg.REDIS_URL !== undefined ? 'queue' : 'here';
  if (dryRun) {
    const instances = o.jobs.instances.map((i) => ({ instance: i.name, job: i.job, cron: i.cron, timezone: i.timezone ?? timezone, path: i.path }));
    deps.stdout.write(`${JSON.stringify({ jobsFile: o.jobs.file, timezone, runs: mode, instances, next: scheduler.nextRuns(3) })}\n`);
    await scheduler.stop();
    return 0;
  }
  if (deps.scheduleClock) deps.scheduleClock((at) => scheduler.tick(at), () => scheduler.idle());
  else scheduler.start();
  o.ctx.logger.info({ jobsFile: o.jobs.file, instances: entries.map((e) => e.instance), runs: mode }, 'schedule started');
  await (deps.stopSignal ?? new Promise<void>(() => {}));
  o.ctx.logger.info({}, 'schedule stopping: waiting for runs in progress');
  await scheduler.stop();
  await scheduler.idle();
  return 0;
}
