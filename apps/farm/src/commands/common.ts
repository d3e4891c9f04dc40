/**
 * What every command shares: its injected surroundings (so tests run commands in-process),
 * loading repos.env into a scope, the logger, and reading the task text.
 */
import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createLogger, type JsonLogger } from '@jobs/core/logger';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { createRedactor } from '@jobs/credentials/redact';
import { loadScope } from '@jobs/credentials/scope';
import { type FarmConfig, farmSchema } from '../config.ts';
import { FarmError } from '../errors.ts';
import { PATH_POLICIES, type PathPolicy } from '../task.ts';
import { envRedactor, withUrlPasswords } from '../env-secrets.ts';

export { withUrlPasswords } from '../env-secrets.ts';
import type { SpawnFn } from '@jobs/claude/cli-run';
import type { JobResult } from '../jobs.ts';

/** A writable the commands print to. */
export interface Out {
  write(s: string): boolean;
  isTTY?: boolean;
}

/** The surroundings of a command: everything it would otherwise take from `process`. */
export interface CliDeps {
  env: Readonly<Record<string, string | undefined>>;
  stdout: Out;
  stderr: Out;
  stdin?: Readable | string;
  cwd: string;
  home: string;
  /** The workspace root: repos.env is looked for there, job CLIs resolve from there. */
  workspaceRoot: string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  spawn?: SpawnFn;
  /** HTTP client of the alert webhook and monitor pings. Default: global fetch. */
  fetch?: typeof fetch;
  /** The host's time zone (`farm crontab`). Default: Intl's resolved zone. */
  systemTimezone?: string;
  /**
   * Filled by loadConfig with the loaded secrets' redactor, so `main` redacts what it prints
   * of a failure (a FarmError message, an unexpected error's stack) with it.
   */
  redaction?: { redact: (s: string) => string };
  /**
   * Drives `farm schedule` from a test's clock instead of node-cron's timers: called once with
   * the scheduler's `tick` (fires what is due at a time) and its `idle` (resolves when no run is going).
   */
  scheduleClock?: (tick: (at: Date) => void, idle: () => Promise<void>) => void;
  /** Resolves when the daemon commands (worker, schedule) should stop. Default: SIGINT/SIGTERM. */
  stopSignal?: Promise<void>;
}

/** The loaded configuration of a command. */
export interface Loaded {
  cfg: FarmConfig;
  file: string;
  redact: (s: string) => string;
  logger: JsonLogger;
}

/** Loads repos.env (CredentialsError exit 78 before any network I/O) and builds the logger at LOG_LEVEL. */
export async function loadConfig(deps: CliDeps, envFile: string | undefined): Promise<Loaded> {
  // LOG_LEVEL and REPOS_ENV checked by the suite's one schema (a bad value: ECONFIG, exit 78).
  const runtime = readRuntimeEnv(deps.env);
  const scope = await loadScope({
    schema: farmSchema,
    envFile,
    reposEnvVar: runtime.REPOS_ENV,
    workspaceRoot: deps.workspaceRoot,
    cwd: deps.cwd,
  });
  // repos.env's secrets, and those of farm's own environment (the login token its CLI children get).
  const fromFile = createRedactor(withUrlPasswords(scope.secrets));
  const fromEnv = envRedactor(deps.env);
  const redact = (s: string): string => fromEnv(fromFile(s));
  if (deps.redaction) deps.redaction.redact = redact;
  const logger = createLogger({ level: runtime.LOG_LEVEL, redact, stream: deps.stderr, base: { app: 'farm' } });
  return { cfg: scope.values as FarmConfig, file: scope.file, redact, logger };
}

/** Reads the task: `--task FILE`, else all of stdin. */
export async function readTaskText(deps: CliDeps, file: string | undefined): Promise<string> {
  if (file !== undefined) {
    try {
      return await readFile(file, 'utf8');
    } catch (cause) {
      throw new FarmError('EUSAGE', `cannot read --task ${file}: ${(cause as Error).message}`, { cause, option: 'task' });
    }
  }
  const input = deps.stdin;
  if (input === undefined) throw new FarmError('EUSAGE', 'no task: give it on stdin or with --task FILE');
  if (typeof input === 'string') return input;
  if ((input as Readable & { isTTY?: boolean }).isTTY) throw new FarmError('EUSAGE', 'no task: pipe it on stdin (farm run < task.md) or use --task FILE');
  const chunks: Buffer[] = [];
  for await (const c of input) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** Writes the one JSON summary (`--json`) or a short human line. */
export function printResult(deps: CliDeps, json: boolean, value: { ok: boolean; text?: string; error?: { code: string; message: string } } & Record<string, unknown>): void {
  if (json) {
    deps.stdout.write(`${JSON.stringify(value)}\n`);
    return;
  }
  if (value.text) deps.stdout.write(`${value.text}\n`);
  if (value.error) deps.stderr.write(`farm: ${value.error.code}: ${value.error.message}\n`);
}

/**
 * Prints a job's run: under `--json` one object (`head`, the run's outcome, and the job's own
 * JSON summary: the last line of its stdout, or null), else the job's stdout as it wrote it.
 */
export function printJobRun(deps: CliDeps, json: boolean, head: Record<string, unknown>, r: Pick<JobResult, 'ok' | 'path' | 'reason' | 'exitCode' | 'timedOut' | 'durationMs' | 'stdout'>): void {
  if (!json) {
    deps.stdout.write(r.stdout);
    return;
  }
  let jobSummary: unknown = null;
  try {
    jobSummary = JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    jobSummary = null;
  }
  deps.stdout.write(`${JSON.stringify({ ok: r.ok, ...head, path: r.path, reason: r.reason, exitCode: r.exitCode, timedOut: r.timedOut, durationMs: r.durationMs, jobSummary })}\n`);
}

/** The task options `farm run` and `farm enqueue` share (parseArgs specs). */
export const TASK_OPTIONS = {
  path: { type: 'string', default: 'auto' },
  project: { type: 'string' },
  atomic: { type: 'boolean' },
  agent: { type: 'boolean' },
  model: { type: 'string' },
  'max-turns': { type: 'string' },
  'max-budget-usd': { type: 'string' },
  'max-tokens': { type: 'string' },
  mcp: { type: 'string' },
  task: { type: 'string' },
  'env-file': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** `--path` checked against the policies: EUSAGE naming the choices otherwise. */
export function pathPolicy(value: string | undefined): PathPolicy {
  const policy = value as PathPolicy;
  if (!PATH_POLICIES.includes(policy)) throw new FarmError('EUSAGE', `--path must be one of ${PATH_POLICIES.join(', ')}, got ${JSON.stringify(value)}`, { option: 'path' });
  return policy;
}

/** The injected clock, sleeper and spawner, when given. */
export function pick(deps: CliDeps): { now?: () => number; sleep?: (ms: number) => Promise<void>; spawn?: NonNullable<CliDeps['spawn']> } {
  const o: { now?: () => number; sleep?: (ms: number) => Promise<void>; spawn?: NonNullable<CliDeps['spawn']> } = {};
  if (deps.now) o.now = deps.now;
  if (deps.sleep) o.sleep = deps.sleep;
  if (deps.spawn) o.spawn = deps.spawn;
  return o;
}
