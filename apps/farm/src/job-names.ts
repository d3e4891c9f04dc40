/**
 * The jobs farm knows, by name, and each one's app folder under apps/. Apart from jobs.ts (the
 * runner: child processes, Claude, the ledger) so that the jobs file's schema, read by `farm
 * status`, names them without loading the runner.
 */

/** Each job's app folder. */
export const JOB_APPS = Object.freeze({ digest: 'carole-digest', 'lead-responder': 'gmb-lead-responder' } as const);

/** A job name. */
export type JobName = keyof typeof JOB_APPS;
