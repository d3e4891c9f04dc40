/**
 * The options both transports take (the API client and the CLI transport): the run's identity,
 * its budget and ledger, the models and their prices, logging and redaction. One check for them,
 * so that a rule (a model must be priced, a budget must be a number) holds on both paths alike.
 * Each message names the option and the value it got; a secret is never echoed.
 */
import { hostname } from 'node:os';
import type { LedgerRow } from '@jobs/ledger/row';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { ClaudeError } from '../errors.ts';
import { DEFAULT_MODEL, FALLBACK_MODEL } from '../models.ts';
import { createPricing, lookupModel, type PricingOverrides, type PricingTable } from '../pricing.ts';

/** Where ledger rows go: anything with append (the real one is @jobs/ledger's createLedger). */
export interface LedgerSink {
  append(row: LedgerRow): Promise<void>;
}

/** Options every client takes, whichever transport carries its calls. */
export interface CommonClientOptions {
  app: string;
  job: string;
  runId: string;
  /** The run's cap in USD (API-equivalent on the subscription); a call whose estimate would cross it is refused before it starts. */
  budgetUsd: number;
  ledger: LedgerSink;
  /** Default DEFAULT_MODEL (@jobs/claude/models); every call names its model, never a CLI or SDK default. */
  model?: string;
  /** Used when the model stays overloaded. Default FALLBACK_MODEL; null disables. */
  fallbackModel?: string | null;
  /** A full table, or overrides merged over the built-in one. Both models must be in it. */
  pricing?: PricingTable | PricingOverrides;
  /** Refuse prompts estimated above this many tokens. Default: the model's first price tier (100K on Haiku 5.5). */
  maxPromptTokens?: number;
  logger?: Logger;
  now?: () => number;
  /** Redacts secrets from strings (API error text, CLI stderr, log lines). The transport's own secret is always redacted. */
  redact?: (s: string) => string;
  /** Host name for ledger rows. Default os.hostname(). */
  host?: string;
}

/** The common options after defaults and checks. */
export interface ResolvedCommonOptions {
  app: string;
  job: string;
  runId: string;
  budgetUsd: number;
  ledger: LedgerSink;
  model: string;
  fallbackModel: string | null;
  pricing: PricingTable;
  maxPromptTokens: number | undefined;
  logger: Logger;
  now: () => number;
  redact: (s: string) => string;
  host: string;
}

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

/**
 * Applies defaults to the common options and checks them; throws ClaudeError ECONFIG naming the
 * first bad one. `secret` (the API key, the CLI's OAuth token) is redacted from every string.
 */
export function resolveCommonOptions(o: CommonClientOptions, secret: string | undefined): ResolvedCommonOptions {
  if (!o.ledger || typeof o.ledger.append !== 'function') bad('ledger', o.ledger, 'an object with append(row)');
  const pricing = resolvePricing(o.pricing);
  const model = nonEmpty('model', o.model ?? DEFAULT_MODEL);
  const fallbackModel = o.fallbackModel === null ? null : nonEmpty('fallbackModel', o.fallbackModel ?? FALLBACK_MODEL);
  for (const [name, m] of [['model', model], ['fallbackModel', fallbackModel]] as const) {
    // Without a price the budget cannot be enforced (nor a fallback's request billed), so the client refuses to start.
    if (m !== null && !lookupModel(m, pricing)) bad(name, m, `a model in the pricing table of ${pricing.asOf} (or add it with option pricing)`);
  }
  const userRedact = o.redact ?? ((s: string) => s);
  return {
    app: nonEmpty('app', o.app),
    job: nonEmpty('job', o.job),
    runId: nonEmpty('runId', o.runId),
    budgetUsd: positive('budgetUsd', o.budgetUsd, true),
    ledger: o.ledger,
    model,
    fallbackModel,
    pricing,
    maxPromptTokens: o.maxPromptTokens === undefined ? undefined : positive('maxPromptTokens', o.maxPromptTokens),
    logger: o.logger ?? noopLogger,
    now: o.now ?? Date.now,
    redact: secret ? (s) => userRedact(s).split(secret).join('[REDACTED]') : userRedact,
    host: o.host ?? hostname(),
  };
}
