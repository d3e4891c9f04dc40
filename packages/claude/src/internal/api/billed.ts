/**
 * The attempts of one logical call that the API billed: every reply, and every attempt that
 * got as far as `message_start` before it stalled, dropped or met an in-stream error (the
 * API bills those input tokens, and the output streamed so far). The call's ledger row and
 * the budget count them all, each once: the ledger equals the bill.
 */
import type { Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import { costOf, type PricingTable, type UsageLike } from '../../pricing.ts';
import type { Logger } from '@jobs/core/logger';

/** One billed attempt, as sendOnce reports it. */
export interface BilledAttempt {
  model: string;
  usage: UsageLike;
  requestId: string | null;
}

const n = (v: number | null | undefined): number => v ?? 0;

/** Sums the billed attempts of one call, each priced at the model that served it. */
export class BilledTally {
  readonly #pricing: PricingTable;
  readonly #logger: Logger;
  #usd: number | null = 0;
  count = 0;
  readonly usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, w5m: 0, w1h: 0 };

  constructor(pricing: PricingTable, logger: Logger) {
    this.#pricing = pricing;
    this.#logger = logger;
  }

  /** Adds one attempt; returns its own cost (null when its model has no price). */
  add(a: BilledAttempt): number | null {
    const { usd } = costOf(a.model, a.usage, { pricing: this.#pricing, logger: this.#logger });
    this.count += 1;
    this.#usd = usd === null || this.#usd === null ? null : this.#usd + usd;
    const u = this.usage;
    u.input_tokens += n(a.usage.input_tokens);
    u.output_tokens += n(a.usage.output_tokens);
    u.cache_creation_input_tokens += n(a.usage.cache_creation_input_tokens);
    u.cache_read_input_tokens += n(a.usage.cache_read_input_tokens);
    u.w5m += n(a.usage.cache_creation?.ephemeral_5m_input_tokens);
    u.w1h += n(a.usage.cache_creation?.ephemeral_1h_input_tokens);
    return usd;
  }

  /** What every billed attempt cost together; null when one of them had no price. */
  usd(): number | null {
    return this.#usd;
  }

  /** The summed usage, in the SDK's shape (for the ledger row). */
  total(): Usage {
    const u = this.usage;
    return {
      input_tokens: u.input_tokens,
      output_tokens: u.output_tokens,
      cache_creation_input_tokens: u.cache_creation_input_tokens,
      cache_read_input_tokens: u.cache_read_input_tokens,
      cache_creation: { ephemeral_5m_input_tokens: u.w5m, ephemeral_1h_input_tokens: u.w1h },
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: null,
      speed: null,
    };
  }
}
