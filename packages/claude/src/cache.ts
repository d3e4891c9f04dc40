/**
 * Prompt-caching decisions for the system prompt.
 *
 * The API silently caches nothing when the cached prefix is shorter than the
 * model's minimum cacheable length (4,096 tokens on Haiku 4.5 and 5.5, 1,024 on
 * Sonnet 4.5/4.6: see pricing.json). So cache_control is put on a system prompt
 * only when its local estimate reaches that length; below it the prompt goes as
 * a plain string and no saving is planned that the API would not give. The cost
 * itself always comes from the usage the API reports, never from this decision.
 */
import { defaultPricing, lookupModel, type PricingTable } from './pricing.ts';
import { estimateTokens } from './tokens.ts';

/** Cache lifetimes: 5-minute writes cost 1.25x input, 1-hour writes 2x; reads 0.1x or less. */
export type CacheTtl = '5m' | '1h';

/** Per-call choice: false never caches; true or undefined caches with the default TTL when long enough. */
export type CacheChoice = boolean | CacheTtl | undefined;

/** A system text block as the Messages API takes it. */
export interface SystemTextBlock {
  type: 'text';
  text: string;
  cache_control?: { type: 'ephemeral'; ttl: CacheTtl };
}

/** The decision for one request. */
export interface SystemPlan {
  /** What goes in the request's `system` field (undefined: no system prompt). */
  system: string | SystemTextBlock[] | undefined;
  /** The TTL requested, or null when the prompt is sent without cache_control. */
  cacheTtl: CacheTtl | null;
  /** Estimated tokens of the system prompt on this model. */
  systemTokens: number;
  /** The model's minimum cacheable length (null when the model is not in the table). */
  minCacheableTokens: number | null;
}

/** Decides whether the system prompt carries cache_control on `model`. */
export function planSystem(
  system: string | undefined,
  model: string,
  choice: CacheChoice,
  defaultTtl: CacheTtl,
  pricing: PricingTable = defaultPricing,
): SystemPlan {
  const minCacheableTokens = lookupModel(model, pricing)?.row.minCacheableTokens ?? null;
  if (system === undefined || system === '') {
    return { system: undefined, cacheTtl: null, systemTokens: 0, minCacheableTokens };
  }
  const systemTokens = estimateTokens(system, model, pricing);
  const wanted: CacheTtl | null = choice === false ? null : choice === true || choice === undefined ? defaultTtl : choice;
  // An unknown model's minimum is unknown: do not plan a saving we cannot check.
  if (wanted === null || minCacheableTokens === null || systemTokens < minCacheableTokens) {
    return { system, cacheTtl: null, systemTokens, minCacheableTokens };
  }
  return {
    system: [{ type: 'text', text: system, cache_control: { type: 'ephemeral', ttl: wanted } }],
    cacheTtl: wanted,
    systemTokens,
    minCacheableTokens,
  };
}
