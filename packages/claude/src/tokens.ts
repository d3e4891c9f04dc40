/**
 * Local token estimates, made before a request is sent (budget and cache
 * decisions must not cost a round trip to count_tokens).
 *
 * The heuristic is by script, on the older tokenizer, times the model's `tokenRatio` from the
 * pricing table. Latin text runs about 4 characters a token (ceil(chars / 4), as before); other
 * scripts cost more per character, and chars / 4 under-counted them several times (a budget or
 * prompt cap then let through a prompt several times its estimate): Greek, Cyrillic, Arabic,
 * Hebrew, Indic about 2 characters a token; CJK ideographs, kana, Hangul and full-width forms
 * 1.5 tokens each (over, not under: a real tokenizer gives them 1 or more); emoji and pictographs
 * 3 tokens each, their joiners and variation selectors 1; other symbols 1. See scriptQuarters.
 * The ratio: Claude 4.7 and later and Haiku 5.5 use a
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

/** Quarter-tokens one code point costs on the older tokenizer (see the file comment). */
export function scriptQuarters(cp: number): number {
  if (cp < 0x0370) return 1; // Latin, Latin-1, Latin Extended, IPA, modifiers
  if (cp < 0x2000) return 2; // Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic, Thai, ...
  if (cp === 0x200d) return 4; // zero-width joiner inside emoji sequences
  if (cp < 0x2070) return 2; // general punctuation: dashes, quotes
  if (cp >= 0x2600 && cp < 0x27c0) return 12; // miscellaneous symbols and dingbats (emoji)
  if (cp < 0x2e80) return 4; // other symbols, arrows, math
  if (cp < 0xa000) return 6; // CJK radicals, kana, CJK ideographs
  if (cp >= 0xac00 && cp < 0xd7b0) return 6; // Hangul syllables
  if (cp >= 0xf900 && cp < 0xfb00) return 6; // CJK compatibility ideographs
  if (cp >= 0xfe00 && cp < 0xfe10) return 4; // variation selectors
  if (cp >= 0xff00 && cp < 0xfff0) return 6; // full-width forms
  if (cp >= 0x1f000 && cp < 0x1fb00) return 12; // emoji, pictographs
  if (cp >= 0x20000 && cp < 0x32000) return 6; // CJK extensions
  if (cp >= 0x10000) return 8; // other astral characters
  return 4;
}

/** Estimated tokens of `text` on `model`. */
export function estimateTokens(text: string, model: string, pricing: PricingTable = defaultPricing): number {
  if (text.length === 0) return 0;
  let quarters = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // The common case, ASCII, without building code points.
    if (unit < 0x80) {
      quarters += 1;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    if (cp > 0xffff) i++;
    quarters += scriptQuarters(cp);
  }
  return Math.ceil(Math.ceil(quarters / 4) * tokenRatio(model, pricing));
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
