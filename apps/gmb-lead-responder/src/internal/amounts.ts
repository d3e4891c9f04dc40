/**
 * Money amounts in free text, for the price check: `$95`, `$1,450.00`, `US$ 95`, `95 dollars`,
 * `USD 95`, `€80`, `£60`, `$2k`, and the second half of a range (`$500-800`, `$500 to 800`).
 * A draft may only state amounts that the business profile states.
 */

/** One amount found in a text. */
export interface Amount {
  /** The text as written. */
  readonly text: string;
  /** Its value, `k` expanded, separators removed (95, 1450, 1.25). */
  readonly value: number;
}

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const PREFIX = String.raw`(?:US\s?\$|\$|USD\s?|€|EUR\s?|£|GBP\s?)`;
const SUFFIX = String.raw`(?:\s?(?:dollars?|bucks|usd|eur|euros?|gbp|pounds?)\b|\s?€)`;
const RANGE = String.raw`(?:\s*(?:-|–|—|to|and)\s*(${PREFIX})?\s?(${NUMBER})(k)?\b)?`;
const PREFIXED = new RegExp(String.raw`${PREFIX}\s?(${NUMBER})(k)?\b${RANGE}`, 'gi');
const SUFFIXED = new RegExp(String.raw`\b(${NUMBER})(k)?${SUFFIX}`, 'gi');

function value(num: string, k: string | undefined): number {
  const n = Number.parseFloat(num.replace(/,/g, ''));
  return k ? n * 1000 : n;
}

/** Every amount of money in `text`, in order of appearance (ranges give two). */
export function findAmounts(text: string): Amount[] {
  const out: Array<Amount & { at: number }> = [];
  for (const m of text.matchAll(PREFIXED)) {
    out.push({ text: m[0], value: value(m[1]!, m[2]), at: m.index });
    if (m[4] !== undefined) out.push({ text: m[0], value: value(m[4], m[5]), at: m.index + 1 });
  }
  for (const m of text.matchAll(SUFFIXED)) {
    if (out.some((a) => m.index >= a.at && m.index < a.at + a.text.length)) continue;
    out.push({ text: m[0], value: value(m[1]!, m[2]), at: m.index });
  }
  return out.sort((a, b) => a.at - b.at).map(({ text: t, value: v }) => ({ text: t, value: v }));
}
