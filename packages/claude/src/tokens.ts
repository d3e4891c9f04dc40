/**
 * Local token estimates, made before a request is sent (budget and cache
 * decisions must not cost a round trip to count_tokens).
 *
 * The heuristic is ceil(chars / 4) on the older tokenizer, times the model's
 * `tokenRatio` from the pricing table: Claude 4.7 and later and Haiku 5.5 use a
 * newer tokenizer that counts about 30% more tokens for the same text, so an
 * estimate made with the old ratio would under-count, under-price and
 * under-cache. An unknown model gets the larger ratio: an over-estimate refuses
 * early, an under-estimate overspends.
 */
import { defaultPricing, lookupModel, type PricingTable } from './pricing.ts';

/** Ratio used for a model that has no row in the table (the newer, larger one). */
export const UNKNOWN_MODEL_TOKEN_RATIO = 1.3;

/** Per-message framing the API adds (role markers); small, but keeps estimates on the safe side. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** The token ratio of a model against the older tokenizer. */
export function tokenRatio(model: string, pricing: PricingTable = defaultPricing): number {
  return lookupModel(model, pricing)?.row.tokenRatio ?? UNKNOWN_MODEL_TOKEN_RATIO;
}

/** Estimated tokens of `text` on `model`. */
export function estimateTokens(text: string, model: string, pricing: PricingTable = defaultPricing): number {
  if (text.length === 0) return 0;
  return Math.ceil(Math.ceil(text.length / 4) * tokenRatio(model, pricing));
}

/** A message as this package sends it: text, or content blocks of which text blocks count. */
export interface MessageLike {
  role: 'user' | 'assistant';
  content: string | ReadonlyArray<{ type: string; text?: string }>;
}

/** All the text of a message's content. */
export function messageText(message: MessageLike): string {
  if (typeof message.content === 'string') return message.content;
  return message.content.map((b) => (typeof b.text === 'string' ? b.text : '')).join('');
}

/** Estimated prompt tokens of a request: the system prompt plus every message. */
export function estimatePromptTokens(
  request: { system?: string | undefined; messages: readonly MessageLike[] },
  model: string,
  pricing: PricingTable = defaultPricing,
): { system: number; messages: number; total: number } {
  const system = estimateTokens(request.system ?? '', model, pricing);
  let messages = 0;
  for (const m of request.messages) messages += estimateTokens(messageText(m), model, pricing) + MESSAGE_OVERHEAD_TOKENS;
  return { system, messages, total: system + messages };
}
