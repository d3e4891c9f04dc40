/**
 * The process-environment settings every command reads besides repos.env (REPOS_ENV, the state
 * dir, the ledger, the log level, the Claude path for farm-run jobs), checked by one zod schema
 * like every repos.env key: a malformed value is a configuration error (exit 78) naming the
 * variable, never cast unchecked. An empty value counts as unset.
 */
import { LOG_LEVELS, type LogLevel } from '@jobs/core/logger';
import * as z from 'zod';
import { CredentialsError, type KeyIssue } from './errors.ts';

const path = z.string().min(1);
const absolute = path.refine((p) => p.startsWith('/'), 'must be an absolute path');

/** The variables, with their meaning. */
export const RUNTIME_ENV_SCHEMA = z.object({
  /** The repos.env to load when `--env-file` is not given. */
  REPOS_ENV: path.optional(),
  /** Where checkpoints, journals, locks and the ledger live. Default `~/.local/state/jobs`. */
  JOBS_STATE_DIR: absolute.optional(),
  /** The cost ledger's path. Default `<state dir>/ledger.jsonl`. */
  COST_LEDGER: path.optional(),
  /** Lowest log level written on stderr. Default `info`. */
  LOG_LEVEL: z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]]).default('info'),
  /** Who pays for a job's Claude calls: `api` (default) or `subscription` (set by `farm run-job --path subscription`). */
  JOBS_CLAUDE_PATH: z.enum(['api', 'subscription']).default('api'),
  /** The `claude` executable a job uses on the subscription path. */
  JOBS_CLAUDE_BIN: path.optional(),
  /** The `claude` executable farm uses (and jobs, when JOBS_CLAUDE_BIN is unset). */
  FARM_CLAUDE_BIN: path.optional(),
  /** The jobs-file instance a job runs for (set by `farm` per instance): written on its ledger rows. */
  JOBS_INSTANCE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'an instance name: lower-case letters, digits and dashes').optional(),
  /** USD per run for a jobs-file instance (set by `farm` from the jobs file): replaces the job's own budget key. */
  JOBS_RUN_BUDGET_USD: z.coerce.number().positive().max(100).optional(),
  /** The jobs file of `farm` (instances): default `jobs.json` or `jobs.yaml` at the workspace root. */
  JOBS_FILE: path.optional(),
  /** The home folder (state dir default, Claude settings). */
  HOME: path.optional(),
});

/** The checked settings. */
export type RuntimeEnv = z.output<typeof RUNTIME_ENV_SCHEMA>;

/** Reads and checks the settings from a parent environment; throws ECONFIG naming every bad variable. */
export function readRuntimeEnv(env: Readonly<Record<string, string | undefined>>): RuntimeEnv {
  const input: Record<string, string> = Object.create(null);
  for (const key of Object.keys(RUNTIME_ENV_SCHEMA.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = RUNTIME_ENV_SCHEMA.safeParse(input);
  if (result.success) return Object.freeze(result.data);
  const issues: KeyIssue[] = result.error.issues.map((issue) => ({
    key: String(issue.path[0]),
    kind: 'malformed',
    problem: `malformed: ${issue.message}`,
  }));
  const lines = issues.map((i) => `  ${i.key}: ${i.problem}`).join('\n');
  throw new CredentialsError('ECONFIG', `The environment has ${issues.length} bad variable${issues.length === 1 ? '' : 's'}:\n${lines}\nFix or unset ${issues.length === 1 ? 'it' : 'them'}.`, {
    issues,
  });
}

/** The `claude` executable for a job on the subscription path: JOBS_CLAUDE_BIN, FARM_CLAUDE_BIN, `claude`. */
export function jobClaudeBin(env: RuntimeEnv): string {
  return env.JOBS_CLAUDE_BIN ?? env.FARM_CLAUDE_BIN ?? 'claude';
}
