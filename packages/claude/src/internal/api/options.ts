/**
 * Client options: their types, defaults, and the check made when a client is
 * built (each message names the option and the value it got; the API key is
 * never echoed).
 */
import { hostname } from 'node:os';
import type { LedgerRow } from '@jobs/ledger/row';
import type { CacheTtl } from '../../cache.ts';
import { ClaudeError } from '../../errors.ts';
import { DEFAULT_MODEL, FALLBACK_MODEL } from '../../models.ts';
import { createPricing, lookupModel, type PricingOverrides, type PricingTable } from '../../pricing.ts';
import { defaultRetryPolicy, type RetryPolicy } from '../../retry-policy.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';

/** Where ledger rows go: anything with append (the real one is @jobs/ledger's createLedger). */
export interface LedgerSink {
  append(row: LedgerRow): Promise<void>;
}

/** Options of createClaudeClient. */
export interface ClaudeClientOptions {
  /** The API key, sent in x-api-key only; never logged or written to the ledger. */
  apiKey: string;
  /** The file the key came from, named when the API refuses it. Default 'repos.env'. */
  keyFile?: string;
  /** Default 'https://api.anthropic.com'. Tests pass the simulator's url. */
  baseURL?: string;
  app: string;
  job: string;
  runId: string;
  /** The run's cap in USD; a call whose estimate would cross it is refused before sending. */
  budgetUsd: number;
  ledger: LedgerSink;
  /** Default DEFAULT_MODEL (@jobs/claude/models). */
  model?: string;
  /** Used when the model stays overloaded through every retry. Default FALLBACK_MODEL; null disables. */
  fallbackModel?: string | null;
  /** A full table, or overrides merged over the built-in one. */
  pricing?: PricingTable | PricingOverrides;
  retry?: Partial<RetryPolicy>;
  /** TTL of system-prompt cache writes. Default '5m'. */
  cacheTtl?: CacheTtl;
  /** Refuse prompts estimated above this many tokens. Default: the model's first price tier (100K on Haiku 5.5). */
  maxPromptTokens?: number;
  /** Per-request timeout. Default 120 000 ms. */
  timeoutMs?: number;
  /** A stream silent this long is aborted and retried. Default 60 000 ms. */
  streamIdleMs?: number;
  logger?: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Redacts secrets from strings (API error text, SDK log lines). The key itself is always redacted. */
  redact?: (s: string) => string;
  /** Host name for ledger rows. Default os.hostname(). */
  host?: string;
}

/** Options after defaults and checks. */
export interface ResolvedOptions {
  apiKey: string;
  keyFile: string;
  baseURL: string;
  app: string;
  job: string;
  runId: string;
  budgetUsd: number;
  ledger: LedgerSink;
  model: string;
  fallbackModel: string | null;
  pricing: PricingTable;
  retry: RetryPolicy;
  cacheTtl: CacheTtl;
  maxPromptTokens: number | undefined;
  timeoutMs: number;
  streamIdleMs: number;
  logger: Logger;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fetch: ClaudeClientOptions['fetch'];
  redact: (s: string) => string;
  host: string;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Throws ClaudeError ECONFIG naming the option, what it must be and the value given. */
export function bad(option: string, value: unknown, want: string): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ClaudeError('ECONFIG', `option ${option} must be ${want}; got ${shown}`);
}

/** The value when it is a non-empty string, else ECONFIG. */
export const nonEmpty = (name: string, v: unknown): string =>
  typeof v === 'string' && v.trim() !== '' ? v : bad(name, v, 'a non-empty string');

/** The value when it is a finite number above zero (or zero, when allowed), else ECONFIG. */
export const positive = (name: string, v: unknown, allowZero = false): number =>
  typeof v === 'number' && Number.isFinite(v) && (allowZero ? v >= 0 : v > 0) ? v : bad(name, v, 'a positive number');

/** Option `pricing`: a whole table (used as is) or overrides on the bundled one. */
export function resolvePricing(pricing: PricingTable | PricingOverrides | undefined): PricingTable {
  return pricing && 'asOf' in pricing && 'models' in pricing && 'aliases' in pricing && 'batchDiscountPercent' in pricing
    ? createPricing({}, pricing as PricingTable)
    : createPricing((pricing as PricingOverrides | undefined) ?? {});
}

/** Applies defaults and checks every option; throws ClaudeError ECONFIG naming the first bad one. */
export function resolveOptions(o: ClaudeClientOptions): ResolvedOptions {
  if (typeof o.apiKey !== 'string' || o.apiKey.trim() === '') {
    // The value is not shown: it is (or was meant to be) a secret.
    throw new ClaudeError('ECONFIG', `option apiKey must be a non-empty string; set ANTHROPIC_API_KEY in ${o.keyFile ?? 'repos.env'}`);
  }
  const apiKey = o.apiKey;
  const userRedact = o.redact ?? ((s: string) => s);
  const redact = (s: string): string => userRedact(s).split(apiKey).join('[REDACTED]');
  if (!o.ledger || typeof o.ledger.append !== 'function') bad('ledger', o.ledger, 'an object with append(row)');
  const pricing = resolvePricing(o.pricing);
  const model = nonEmpty('model', o.model ?? DEFAULT_MODEL);
  const fallbackModel = o.fallbackModel === null ? null : nonEmpty('fallbackModel', o.fallbackModel ?? FALLBACK_MODEL);
  for (const [name, m] of [['model', model], ['fallbackModel', fallbackModel]] as const) {
    // Without a price the budget cannot be enforced, so the client refuses to start.
    if (m !== null && !lookupModel(m, pricing)) bad(name, m, `a model in the pricing table of ${pricing.asOf} (or add it with option pricing)`);
  }
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...o.retry };
  if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) bad('retry.maxRetries', retry.maxRetries, 'an integer >= 0');
  positive('retry.baseDelayMs', retry.baseDelayMs, true);
  positive('retry.maxDelayMs', retry.maxDelayMs, true);
  positive('retry.maxRetryAfterMs', retry.maxRetryAfterMs, true);
  const cacheTtl = o.cacheTtl ?? '5m';
  if (cacheTtl !== '5m' && cacheTtl !== '1h') bad('cacheTtl', cacheTtl, "'5m' or '1h'");
  const baseURL = o.baseURL ?? 'https://api.anthropic.com';
  if (!URL.canParse(baseURL)) bad('baseURL', baseURL, 'an absolute URL');
  return {
    apiKey,
    keyFile: o.keyFile ?? 'repos.env',
    baseURL,
    app: nonEmpty('app', o.app),
    job: nonEmpty('job', o.job),
    runId: nonEmpty('runId', o.runId),
    budgetUsd: positive('budgetUsd', o.budgetUsd, true),
    ledger: o.ledger,
    model,
    fallbackModel,
    pricing,
    retry,
    cacheTtl,
    maxPromptTokens: o.maxPromptTokens === undefined ? undefined : positive('maxPromptTokens', o.maxPromptTokens),
    timeoutMs: positive('timeoutMs', o.timeoutMs ?? 120_000),
    streamIdleMs: positive('streamIdleMs', o.streamIdleMs ?? 60_000),
    logger: o.logger ?? noopLogger,
    now: o.now ?? Date.now,
    sleep: o.sleep ?? realSleep,
    random: o.random ?? Math.random,
    fetch: o.fetch,
    redact,
    host: o.host ?? hostname(),
  };
}
