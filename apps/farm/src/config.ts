/**
 * The farm's repos.env keys (zod), and the FarmContext built from them and the CLI's
 * environment. Every key is optional: a subscription-only owner needs none.
 */
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import * as z from 'zod';
import type { Logger } from '@jobs/core/logger';
import { readRuntimeEnv, type RuntimeEnv } from '@jobs/credentials/runtime-env';
import { createLedger, resolveLedgerPath } from '@jobs/ledger/ledger';
import type { FarmContext } from './context.ts';
import { envRedactor } from './env-secrets.ts';
import { FarmError } from './errors.ts';
import type { SpawnFn } from '@jobs/claude/cli-run';
import { ALERT_KEYS } from './alerts/config.ts';

const posInt = z.coerce.number().int().positive();
const flag = z.enum(['true', 'false', 'yes', 'no', '1', '0']).transform((v) => ['true', 'yes', '1'].includes(v));
/** An IANA time zone name (FARM_TIMEZONE, an instance's schedule.timezone). */
export const timeZoneSchema = z.string().refine((v) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: v });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as Europe/Paris');

/** The repos.env keys the farm reads (see README). */
export const farmSchema = z.object({
  ANTHROPIC_API_KEY: z.string().startsWith('sk-ant-').optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  FARM_CLAUDE_BIN: z.string().default('claude'),
  FARM_PROJECTS_DIR: z.string().optional(),
  FARM_WATCHDOG_SECONDS: z.coerce.number().positive().default(300),
  FARM_LOCK_WAIT_SECONDS: z.coerce.number().nonnegative().default(600),
  FARM_SESSION_TTL_MINUTES: z.coerce.number().positive().default(60),
  FARM_SESSION_MAX_MESSAGES: posInt.default(20),
  FARM_MCP_CONFIG: z.string().optional(),
  FARM_DAILY_API_BUDGET_USD: z.coerce.number().positive().optional(),
  // The URL carries the Redis password (redis://:pass@host): a secret, redacted from logs.
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL').meta({ secret: true }).optional(),
  FARM_QUEUE_NAME: z.string().regex(/^[A-Za-z0-9_-]+$/).default('farm-tasks'),
  FARM_QUEUE_LOCK_SECONDS: z.coerce.number().positive().default(60),
  FARM_WORKER_CONCURRENCY: posInt.default(1),
  FARM_TIMEZONE: timeZoneSchema.optional(),
  FARM_SCHEDULE_DIGEST: z.string().default('0 6,18 * * *'),
  FARM_SCHEDULE_LEAD_RESPONDER: z.string().default('*/5 * * * *'),
  FARM_SCHEDULE_PATH: z.enum(['api', 'remote', 'subscription']).default('api'),
  FARM_SCHEDULE_ALLOW_SUBSCRIPTION: flag.default(false),
  FARM_SSH_HOST: z.string().optional(),
  FARM_SSH_USER: z.string().optional(),
  FARM_SSH_PORT: posInt.optional(),
  FARM_SSH_IDENTITY: z.string().optional(),
  FARM_SSH_KNOWN_HOSTS: z.string().optional(),
  FARM_SSH_COMMAND: z.string().default('cd ~/jobs && pnpm --silent farm remote-exec'),
  FARM_JOB_TIMEOUT_SECONDS: z.coerce.number().positive().default(1800),
  FARM_JOB_DIGEST_SCRIPT: z.string().optional(),
  FARM_JOB_LEAD_RESPONDER_SCRIPT: z.string().optional(),
  ...ALERT_KEYS,
});

/** Parsed repos.env values. */
export type FarmConfig = z.output<typeof farmSchema>;

/** What the CLI hands to buildContext besides the config. */
export interface ContextInputs {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  logger: Logger;
  redact: (s: string) => string;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  spawn?: SpawnFn;
  app?: string;
}

/** `$JOBS_STATE_DIR` (checked absolute by readRuntimeEnv), else ~/.local/state/jobs. */
export function stateDirOf(runtime: Pick<RuntimeEnv, 'JOBS_STATE_DIR'>, home: string): string {
  return runtime.JOBS_STATE_DIR ?? join(home, '.local', 'state', 'jobs');
}

async function readMcp(file: string | undefined): Promise<Record<string, unknown>> {
  if (file === undefined) return {};
  try {
    const j = JSON.parse(await readFile(file, 'utf8')) as { mcpServers?: Record<string, unknown> };
    if (j.mcpServers === null || typeof j.mcpServers !== 'object') throw new Error('no "mcpServers" object');
    return j.mcpServers;
  } catch (cause) {
    throw new FarmError('ECONFIG', `FARM_MCP_CONFIG ${file} is not a JSON file with an "mcpServers" object`, { cause, option: 'FARM_MCP_CONFIG' });
  }
}

/** Builds the run context from the config and the CLI's environment. */
export async function buildContext(cfg: FarmConfig, i: ContextInputs): Promise<FarmContext> {
  const runtime = readRuntimeEnv(i.env);
  const stateDir = stateDirOf(runtime, i.home);
  const farmDir = join(stateDir, 'farm');
  const ledgerPath = resolveLedgerPath({ costLedger: runtime.COST_LEDGER, stateDir });
  // repos.env's secrets, and those of farm's own environment that its CLI children inherit.
  const fromEnv = envRedactor(i.env);
  const ctx: FarmContext = {
    parentEnv: i.env,
    claudeBin: cfg.FARM_CLAUDE_BIN,
    farmDir,
    projectsDir: cfg.FARM_PROJECTS_DIR ? resolve(cfg.FARM_PROJECTS_DIR) : join(farmDir, 'projects'),
    watchdogMs: cfg.FARM_WATCHDOG_SECONDS * 1000,
    lockWaitMs: cfg.FARM_LOCK_WAIT_SECONDS * 1000,
    lockWait: true,
    sessionTtlMs: cfg.FARM_SESSION_TTL_MINUTES * 60_000,
    sessionMaxMessages: cfg.FARM_SESSION_MAX_MESSAGES,
    mcpServers: await readMcp(cfg.FARM_MCP_CONFIG),
    ledger: createLedger({ path: ledgerPath, logger: i.logger }),
    ledgerPath,
    app: i.app ?? 'farm',
    host: hostname(),
    logger: i.logger,
    redact: (s) => fromEnv(i.redact(s)),
    now: i.now ?? Date.now,
    sleep: i.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  };
  if (cfg.ANTHROPIC_API_KEY !== undefined) ctx.apiKey = cfg.ANTHROPIC_API_KEY;
  if (cfg.ANTHROPIC_BASE_URL !== undefined) ctx.baseURL = cfg.ANTHROPIC_BASE_URL.replace(/\/+$/, '');
  if (cfg.FARM_DAILY_API_BUDGET_USD !== undefined) ctx.dailyApiBudgetUsd = cfg.FARM_DAILY_API_BUDGET_USD;
  if (i.spawn !== undefined) ctx.spawn = i.spawn;
  if (cfg.FARM_SSH_HOST !== undefined) {
    ctx.remote = { host: cfg.FARM_SSH_HOST, command: cfg.FARM_SSH_COMMAND };
    if (cfg.FARM_SSH_USER !== undefined) ctx.remote.user = cfg.FARM_SSH_USER;
    if (cfg.FARM_SSH_PORT !== undefined) ctx.remote.port = cfg.FARM_SSH_PORT;
    if (cfg.FARM_SSH_IDENTITY !== undefined) ctx.remote.identityFile = cfg.FARM_SSH_IDENTITY;
    if (cfg.FARM_SSH_KNOWN_HOSTS !== undefined) ctx.remote.knownHostsFile = cfg.FARM_SSH_KNOWN_HOSTS;
  }
  if (!isAbsolute(ctx.claudeBin) && ctx.claudeBin.includes('/')) ctx.claudeBin = resolve(ctx.claudeBin);
  return ctx;
}
