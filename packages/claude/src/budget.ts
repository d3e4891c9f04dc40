/**
 * The run's USD cap. A call reserves its estimated worst-case cost before it is
 * sent (so concurrent calls cannot together slip past the cap); when it ends the
 * reservation is replaced by what it actually cost.
 *
 * The estimate: prompt tokens counted locally with the model's token ratio (the
 * system prompt priced as a cache write when it will carry cache_control, the
 * dearer case), and `maxTokens` as the output, its worst case.
 */
import { BudgetExceededError } from './errors.ts';
import { costOf, type PricingTable } from './pricing.ts';

/** Inputs of a cost estimate. */
export interface EstimateInput {
  model: string;
  promptTokens: number;
  /** Tokens of the prompt that will be written to the cache, and for how long. */
  cacheWriteTokens?: number;
  cacheTtl?: '5m' | '1h';
  maxTokens: number;
  batch?: boolean;
}

/** Worst-case cost of a call before it is sent; null when the model has no price. */
export function estimateCostUsd(input: EstimateInput, pricing: PricingTable): number | null {
  const write = Math.min(input.cacheWriteTokens ?? 0, input.promptTokens);
  const ttl1h = input.cacheTtl === '1h';
  return costOf(
    input.model,
    {
      input_tokens: input.promptTokens - write,
      output_tokens: input.maxTokens,
      cache_creation_input_tokens: write,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: ttl1h ? 0 : write, ephemeral_1h_input_tokens: ttl1h ? write : 0 },
    },
    { pricing, batch: input.batch ?? false },
  ).usd;
}

/** A reservation held while a call is in flight. */
export interface Reservation {
  readonly estimateUsd: number;
  /** Replace the reservation by the actual cost (the estimate stands in when the cost is unknown). */
  settle(actualUsd: number | null): void;
  /** Drop the reservation: nothing was spent (the call was never answered with usage). */
  release(): void;
}

/** Tracks spend against a cap. */
export class Budget {
  readonly budgetUsd: number;
  #spent = 0;
  #reserved = 0;

  constructor(budgetUsd: number) {
    this.budgetUsd = budgetUsd;
  }

  /** USD spent so far (settled calls only). */
  spentUsd(): number {
    return this.#spent;
  }

  /** USD still free: the cap minus spent and in-flight reservations. */
  remainingUsd(): number {
    return this.budgetUsd - this.#spent - this.#reserved;
  }

  /**
   * Reserves `estimateUsd`, or returns undefined when it would cross the cap
   * (the caller then refuses the call without sending it).
   */
  tryReserve(estimateUsd: number): Reservation | undefined {
    if (this.#spent + this.#reserved + estimateUsd > this.budgetUsd) return undefined;
    this.#reserved += estimateUsd;
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      this.#reserved -= estimateUsd;
      return true;
    };
    return {
      estimateUsd,
      settle: (actualUsd) => {
        if (close()) this.#spent += actualUsd ?? estimateUsd;
      },
      release: () => {
        close();
      },
    };
  }

  /**
   * The error for a call `tryReserve` refused, with what the run has spent and holds for calls
   * in flight (what the refusal counted), the estimate and the cap.
   */
  refusal(estimateUsd: number, model: string, callSite: string): BudgetExceededError {
    return new BudgetExceededError({ budgetUsd: this.budgetUsd, spentUsd: this.#spent + this.#reserved, estimateUsd, model, callSite });
  }

  /** Adds spend that was not reserved (e.g. a failed attempt that still reported usage). */
  add(usd: number): void {
    this.#spent += usd;
  }
}
