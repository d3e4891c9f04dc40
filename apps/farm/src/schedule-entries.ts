/**
 * What is scheduled: the entries (a job or a jobs-file instance, its cron and zone) and, in the
 * single-instance setup, the two jobs from the config. Apart from the scheduler, so that `farm
 * status` reads the entries without loading node-cron.
 */
import type { FarmConfig } from './config.ts';
import type { JobName } from './jobs.ts';

/** One scheduled job. */
export interface ScheduleEntry {
  job: JobName;
  cron: string;
  /** A jobs-file instance: its name (the run's key, its crontab target). */
  instance?: string;
  /** The entry's own zone (an instance's); default the scheduler's. */
  timezone?: string;
}

/** The key of an entry: its instance, else its job. */
export const entryKey = (e: ScheduleEntry): string => e.instance ?? e.job;

/** The schedule entries and time zone from the config. */
export function scheduleOf(cfg: FarmConfig): { entries: ScheduleEntry[]; timezone: string } {
  return {
    entries: [
      { job: 'digest', cron: cfg.FARM_SCHEDULE_DIGEST },
      { job: 'lead-responder', cron: cfg.FARM_SCHEDULE_LEAD_RESPONDER },
    ],
    timezone: cfg.FARM_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}
