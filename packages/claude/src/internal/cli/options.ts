/**
 * Options of the CLI transport (createClaudeCliClient): types, defaults, and the check made
 * when the client is built. Each message names the option and the value it got; the OAuth
 * token and the environment's values are never echoed.
 */
import { hostname, tmpdir } from 'node:os';
import { spawn as nodeSpawn } from 'node:child_process';
import { ClaudeError } from '../../errors.ts';
import { DEFAULT_MODEL, FALLBACK_MODEL } from '../../models.ts';
import { assertSubscriptionEnv } from './args.ts';
import { lookupModel, type PricingOverrides, type PricingTable } from '../../pricing.ts';
import type { SpawnFn } from '../../cli-run.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { bad, type LedgerSink, nonEmpty, positive, resolvePricing } from '../api/options.ts';

/** Options of createClaudeCliClient. */
export interface ClaudeCliClientOptions {
  /**
   * The CLI's whole environment. Build it with @jobs/credentials' `childEnv('subscription', ...)`
   * (the caller passes its process.env there; this library never reads it). It must carry no
   * ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN or cloud-provider flag: those would move billing
   * to the API, so the client refuses to start with one.
   */
  env: Readonly<Record<string, string>>;
  /** The `claude` executable. Default 'claude' (looked up on the env's PATH). */
  bin?: string;
  app: string;
  job: string;
  runId: string;
  /** The run's cap, in API-equivalent USD; a call whose estimate would cross it is refused before the CLI starts. */
  budgetUsd: number;
  ledger: LedgerSink;
  /** Default DEFAULT_MODEL (@jobs/claude/models); every run names its model (`--model`), never the CLI's default. */
  model?: string;
  /** Passed as `--fallback-model` (the CLI switches when the model is overloaded). Default FALLBACK_MODEL; null disables. */
  fallbackModel?: string | null;
  /** Prices for estimates before a call (the cost recorded is the CLI's own `total_cost_usd`). */
  pricing?: PricingTable | PricingOverrides;
  /** Refuse prompts estimated above this many tokens. Default: the model's first price tier. */
  maxPromptTokens?: number;
  /** Inactivity watchdog: no stream event for this long kills the CLI's process group. Default 60 000 ms. */
  idleTimeoutMs?: number;
  /** Whole-run limit per call. Default 300 000 ms. */
  timeoutMs?: number;
  /** Where each call's private working directory (holding the system prompt file) is made. Default os.tmpdir(). */
  tmpDir?: string;
  /** Written to each ledger row's `reason` (why this call runs on the subscription). */
  reason?: string;
  logger?: Logger;
  now?: () => number;
  spawn?: SpawnFn;
  /** Redacts secrets from strings quoted in errors (CLI stderr). The env's OAuth token is always redacted. */
  redact?: (s: string) => string;
  /** Host name for ledger rows. Default os.hostname(). */
  host?: string;
  /** Managed settings file read before each run to resolve who would pay; null skips it. Default: the platform's location. */
  managedSettingsPath?: string | null;
}

/** Options after defaults and checks. */
export interface ResolvedCliOptions {
  env: Record<string, string>;
  bin: string;
  app: string;
  job: string;
  runId: string;
  budgetUsd: number;
  ledger: LedgerSink;
  model: string;
  fallbackModel: string | null;
  pricing: PricingTable;
  maxPromptTokens: number | undefined;
  idleTimeoutMs: number;
  timeoutMs: number;
  tmpDir: string;
  reason: string | undefined;
  logger: Logger;
  now: () => number;
  spawn: SpawnFn;
  redact: (s: string) => string;
  host: string;
  managedSettingsPath: string | null | undefined;
}

/** Applies defaults and checks every option; throws ClaudeError ECONFIG naming the first bad one. */
export function resolveCliOptions(o: ClaudeCliClientOptions): ResolvedCliOptions {
  if (o.env === null || typeof o.env !== 'object' || Array.isArray(o.env)) {
    throw new ClaudeError('ECONFIG', "option env must be an object of strings: build it with childEnv('subscription', { parentEnv })");
  }
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(o.env)) {
    if (typeof value !== 'string') throw new ClaudeError('ECONFIG', `option env.${name} must be a string; got ${typeof value}`);
    env[name] = value;
  }
  assertSubscriptionEnv(env);
  if (!o.ledger || typeof o.ledger.append !== 'function') bad('ledger', o.ledger, 'an object with append(row)');
  const pricing = resolvePricing(o.pricing);
  const model = nonEmpty('model', o.model ?? DEFAULT_MODEL);
  const fallbackModel = o.fallbackModel === null ? null : nonEmpty('fallbackModel', o.fallbackModel ?? FALLBACK_MODEL);
  // Without a price the budget cannot be enforced, so the client refuses to start.
  if (!lookupModel(model, pricing)) bad('model', model, `a model in the pricing table of ${pricing.asOf} (or add it with option pricing)`);
  const token = env.CLAUDE_CODE_OAUTH_TOKEN;
  const userRedact = o.redact ?? ((s: string) => s);
  const redact = (s: string): string => {
    const out = userRedact(s);
    return token ? out.split(token).join('[REDACTED]') : out;
  };
  return {
    env,
    bin: nonEmpty('bin', o.bin ?? 'claude'),
    app: nonEmpty('app', o.app),
    job: nonEmpty('job', o.job),
    runId: nonEmpty('runId', o.runId),
    budgetUsd: positive('budgetUsd', o.budgetUsd, true),
    ledger: o.ledger,
    model,
    fallbackModel,
    pricing,
    maxPromptTokens: o.maxPromptTokens === undefined ? undefined : positive('maxPromptTokens', o.maxPromptTokens),
    idleTimeoutMs: positive('idleTimeoutMs', o.idleTimeoutMs ?? 60_000),
    timeoutMs: positive('timeoutMs', o.timeoutMs ?? 300_000),
    tmpDir: nonEmpty('tmpDir', o.tmpDir ?? tmpdir()),
    reason: o.reason === undefined ? undefined : nonEmpty('reason', o.reason),
    logger: o.logger ?? noopLogger,
    now: o.now ?? Date.now,
    spawn: o.spawn ?? (nodeSpawn as SpawnFn),
    redact,
    host: o.host ?? hostname(),
    managedSettingsPath: o.managedSettingsPath,
  };
}
