/**
 * The dated pricing table (src/pricing.json), validated and made overridable,
 * and `costOf`, which prices one call's usage exactly.
 *
 * Exactness: rates are USD per million tokens with at most 6 decimals, so each
 * becomes an integer number of micro-USD per MTok. tokens x (micro-USD / MTok)
 * is then an integer number of pico-USD (1e-12 USD), summed as a BigInt; the
 * batch discount is applied on that integer, and only the final value is turned
 * into a float number of USD. No rounding happens before that last division.
 */
import * as z from 'zod';
import { type Logger, noopLogger } from '@jobs/core/logger';
import table from './pricing.json' with { type: 'json' };

const rate = z.number().nonnegative().refine((v) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6, {
  message: 'a rate may have at most 6 decimals (USD per MTok)',
});

const tierSchema = z.object({
  maxPromptTokens: z.number().int().positive().optional(),
  input: rate,
  output: rate,
  cacheWrite5m: rate,
  cacheWrite1h: rate,
  cacheRead: rate,
});

const modelSchema = z.object({
  tokenRatio: z.number().min(0.5).max(3),
  minCacheableTokens: z.number().int().nonnegative(),
  tiers: z.array(tierSchema).min(1),
  released: z.string().optional(),
  notes: z.string().optional(),
});

const tableSchema = z.object({
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  source: z.string().optional(),
  batchDiscountPercent: z.number().int().min(0).max(100),
  models: z.record(z.string(), modelSchema),
  aliases: z.record(z.string(), z.string()),
});

/** Prices of one prompt-size tier, USD per MTok. The last tier has no `maxPromptTokens`. */
export type PriceTier = z.infer<typeof tierSchema>;
/** One model's row: tiers, token ratio against the older tokenizer, minimum cacheable length. */
export type ModelPricing = z.infer<typeof modelSchema>;
/** The whole table, as in src/pricing.json. */
export type PricingTable = z.infer<typeof tableSchema>;

/** Overrides from config: rows replace or add models; aliases are merged; the date may be restated. */
export interface PricingOverrides {
  asOf?: string;
  batchDiscountPercent?: number;
  models?: Record<string, ModelPricing>;
  aliases?: Record<string, string>;
}

/** The built-in table, validated at load. */
export const defaultPricing: PricingTable = tableSchema.parse(table);

/**
 * A table with config overrides applied over the built-in one. Throws a TypeError
 * naming the bad field when an override is malformed.
 */
export function createPricing(overrides: PricingOverrides = {}, base: PricingTable = defaultPricing): PricingTable {
  const merged = {
    asOf: overrides.asOf ?? base.asOf,
    source: base.source,
    batchDiscountPercent: overrides.batchDiscountPercent ?? base.batchDiscountPercent,
    models: { ...base.models, ...overrides.models },
    aliases: { ...base.aliases, ...overrides.aliases },
  };
  const parsed = tableSchema.safeParse(merged);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TypeError(`pricing override is invalid at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`);
  }
  for (const [alias, target] of Object.entries(parsed.data.aliases)) {
    if (!parsed.data.models[target]) throw new TypeError(`pricing alias ${alias} points at ${target}, which has no row`);
  }
  return parsed.data;
}

/** The table row for a model id or alias, with the id it resolved to; undefined when unpriced. */
export function lookupModel(
  model: string,
  pricing: PricingTable = defaultPricing,
): { id: string; row: ModelPricing } | undefined {
  const id = pricing.models[model] ? model : pricing.aliases[model];
  const row = id === undefined ? undefined : pricing.models[id];
  return id !== undefined && row ? { id, row } : undefined;
}

/** Token usage as the Messages API reports it (fields beyond these are ignored). */
export interface UsageLike {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number | null | undefined;
  cache_read_input_tokens?: number | null | undefined;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null | undefined;
}

/** The price of one call: `usd` null (never 0) when the model has no row. */
export interface Cost {
  usd: number | null;
  /** The table id the model resolved to (aliases followed). */
  pricedAs: string | null;
  /** Index of the prompt-size tier applied. */
  tier: number | null;
}

const micro = (usdPerMTok: number): bigint => BigInt(Math.round(usdPerMTok * 1e6));
const count = (n: number | null | undefined): bigint => BigInt(Math.max(0, Math.trunc(n ?? 0)));

/** The tier a prompt of `promptTokens` falls in: the first whose bound it does not exceed. */
export function tierFor(row: ModelPricing, promptTokens: number): { index: number; tier: PriceTier } {
  const index = row.tiers.findIndex((t) => t.maxPromptTokens === undefined || promptTokens <= t.maxPromptTokens);
  const i = index === -1 ? row.tiers.length - 1 : index;
  return { index: i, tier: row.tiers[i] as PriceTier };
}

/**
 * Exact cost of `usage` on `model`. The tier is chosen by the whole prompt (input +
 * cache writes + cache reads), and applies to every token of the call, output
 * included, as Anthropic bills Haiku 5.5. Cache writes are split 5-minute / 1-hour
 * by `usage.cache_creation` when present (otherwise all priced as 5-minute writes).
 * `batch` applies the Message Batches discount. An unknown model logs a warning
 * and returns `usd: null`.
 */
export function costOf(
  model: string,
  usage: UsageLike,
  options: { batch?: boolean; pricing?: PricingTable; logger?: Logger } = {},
): Cost {
  const pricing = options.pricing ?? defaultPricing;
  const found = lookupModel(model, pricing);
  if (!found) {
    (options.logger ?? noopLogger).warn(
      { model, pricingAsOf: pricing.asOf },
      `no price for model ${model} in the pricing table of ${pricing.asOf}: cost recorded as null; add the model to the pricing overrides`,
    );
    return { usd: null, pricedAs: null, tier: null };
  }
  const written = count(usage.cache_creation_input_tokens);
  const read = count(usage.cache_read_input_tokens);
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const w1h = count(usage.cache_creation?.ephemeral_1h_input_tokens);
  // Writes not attributed to the 1-hour bucket are 5-minute writes (the API default).
  const w5m = written > w1h ? written - w1h : count(usage.cache_creation?.ephemeral_5m_input_tokens);
  const { index, tier } = tierFor(found.row, Number(input + written + read));
  let pico =
    input * micro(tier.input) +
    output * micro(tier.output) +
    w5m * micro(tier.cacheWrite5m) +
    w1h * micro(tier.cacheWrite1h) +
    read * micro(tier.cacheRead);
  // Keep two extra decimal digits so a 50% (or any whole-percent) discount stays exact.
  let scale = 1e12;
  if (options.batch) {
    pico = pico * BigInt(100 - pricing.batchDiscountPercent);
    scale = 1e14;
  }
  // One correctly rounded division: the nearest double to the exact amount.
  return { usd: Number(pico) / scale, pricedAs: found.id, tier: index };
}
