/**
 * The jobs file's shape (zod): a list of instances, each one job run for one mailbox or client
 * with its own repos.env, schedule, billing path and budget. Defaults follow the single-instance
 * setup: the job's usual cron, the system zone, the API path.
 */
import * as z from 'zod';
import { parseCron } from '../cron/parse.ts';
import { timeZoneSchema } from '../config.ts';
import { JOB_APPS } from '../job-names.ts';

/** The cron of each job when an instance gives none (as FARM_SCHEDULE_* default). */
export const DEFAULT_CRON: Readonly<Record<keyof typeof JOB_APPS, string>> = Object.freeze({
  digest: '0 6,18 * * *',
  'lead-responder': '*/5 * * * *',
});

const zone = timeZoneSchema;

/** One instance as written in the file. */
export const instanceSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes, starting with a letter or digit (at most 63)')
    .refine((n) => !Object.hasOwn(JOB_APPS, n), 'a job\'s own name (digest, lead-responder) cannot name an instance: "farm run-job NAME" would run the job')
    .refine((n) => n !== 'schedule', '"schedule" cannot name an instance: "farm alert schedule --failed" is the scheduler daemon\'s alert'),
  job: z.enum(Object.keys(JOB_APPS) as [keyof typeof JOB_APPS, ...Array<keyof typeof JOB_APPS>]),
  /** The instance's repos.env (relative paths are relative to the jobs file). */
  reposEnv: z.string().min(1),
  schedule: z
    .strictObject({
      // Our reader accepts only what node-cron accepts; what it leaves (a seconds field, L, W, #)
      // node-cron decides, loaded then (parse with safeParseAsync).
      cron: z
        .string()
        .refine(async (c) => parseCron(c) !== undefined || (await import('node-cron')).validate(c), 'a cron expression such as "0 6,18 * * *"')
        .optional(),
      timezone: zone.optional(),
    })
    .default({}),
  /** Who pays: the API (default) or, with allowSubscription, the subscription. Other hosts: REDIS_URL and farm worker. */
  path: z.enum(['api', 'subscription']).default('api'),
  /** The explicit opt-in `path: subscription` needs (as FARM_SCHEDULE_ALLOW_SUBSCRIPTION). */
  allowSubscription: z.boolean().default(false),
  /** USD per run: replaces the job's DIGEST_BUDGET_USD / LEAD_BUDGET_USD for this instance. */
  budgetUsd: z.number().positive().max(100).optional(),
  /** A healthchecks-style URL pinged on start, success and failure (alerts). */
  pingUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Kill the run after this long (default FARM_JOB_TIMEOUT_SECONDS). */
  timeoutSeconds: z.number().positive().optional(),
});

/** The whole file. */
export const jobsFileSchema = z.strictObject({
  instances: z.array(instanceSchema).min(1, 'list at least one instance'),
});

/** An instance as written (defaults applied). */
export type InstanceSpec = z.output<typeof instanceSchema>;
