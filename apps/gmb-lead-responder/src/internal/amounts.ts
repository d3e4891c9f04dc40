/**
 * Money amounts in free text, for the price check: a number next to any currency symbol
 * (`$95`, `120$`, `€80`, `₹500`, `US$ 95`, `C$120`), an ISO 4217 code (`CAD 120`, `120 JPY`) or
 * a currency word (`95 dollars`, `500 euros`, `300 рублей`, `500美元`), the second half of a
 * range (`$500-800`), `k`/`m` suffixes, and amounts in English words (`ninety-nine dollars`).
 * A currency word in words no parser here reads (`neunundneunzig Dollar`) gives an amount
 * with value NaN, which no profile states. Run it on normalised text (normalise.ts), which
 * turns full-width and other-script digits into ASCII. A draft may only state amounts that
 * the business profile states; the profile's amounts come from the same function.
 */
import { wordsBefore, wordsAfter } from './number-words.ts';

/** One amount found in a text. */
export interface Amount {
  /** The text as written. */
  readonly text: string;
  /** Its value, `k` expanded, separators removed (95, 1450, 1.25); NaN when unreadable. */
  readonly value: number;
}

const ISO = Intl.supportedValuesOf('currency').join('|');
/** Currency words in the languages customers and forgers use; lower-case. */
const WORDS = [
  'dollars?', 'bucks', 'usd', 'eur', 'euros?', 'gbp', 'pounds?', 'quid', 'cents?', 'pence', 'yen', 'yuan', 'renminbi', 'rupees?',
  'francs?', 'pesos?', 'reais', 'rubles?', 'roubles?', 'kron[aeo]r?', 'kroner', 'zlot(?:y|ys|ych)', 'lira', 'lire',
  'dirhams?', 'riyals?', 'shekels?', 'baht', 'naira', 'dólares', 'dólar', 'dollaro', 'dollari',
  'доллар(?:ов|а|ы)?', 'рубл(?:ей|я|ь)', 'евро', 'гривен', 'гривны',
  'دولار', 'درهم', 'ريال', 'डॉलर', 'रुपये', 'रुपए', 'डालर', 'דולר', 'שקל', 'ש"ח',
].join('|');
/** Currency words of scripts written without spaces: found right after the number's characters. */
const CJK_WORDS = ['美元', '元', '円', '圓', 'ドル', 'ユーロ', '달러', '원', '유로'].join('|');
const SYMBOL = String.raw`(?:[A-Z]{1,3}\s?\$|\p{Sc})`;
// 1,450 / 1.450 / 4 900 (thousands), then decimals; or plain digits with decimals
const NUMBER = String.raw`\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?`;
const MULT = String.raw`(?:\s?(k|m|mm|thousand|million)\b)?`;
const RANGE = String.raw`(?:\s*(?:-|–|—|to|and)\s*(?:${SYMBOL})?\s?(${NUMBER})(k)?\b)?`;
const PREFIXED = new RegExp(String.raw`(?:${SYMBOL}|\b(?:${ISO})\b)\s?(${NUMBER})${MULT}${RANGE}`, 'gu');
const SUFFIXED = new RegExp(String.raw`(${NUMBER})${MULT}\s?(?:\p{Sc}|\b(?:${ISO})\b)`, 'gu');
const SUFFIXED_WORD = new RegExp(String.raw`(${NUMBER})${MULT}\s?(?:${WORDS}|${CJK_WORDS})(?![\p{L}])`, 'giu');
const WORD_AMOUNT = new RegExp(String.raw`(?:(?<![\p{L}\p{N}])(?:${WORDS})|(?:${CJK_WORDS}))(?![\p{L}])`, 'giu');
const SYMBOL_ALONE = new RegExp(String.raw`${SYMBOL}(?!\s?\d)`, 'gu');

/** The values a written number can mean: `1.250` is 1.25 to some readers and 1250 to others. */
function values(num: string, mult: string | undefined): number[] {
  const compact = num.replace(/[\u00a0\u202f ]/g, '');
  const factor = !mult ? 1 : /^(k|thousand)$/i.test(mult) ? 1000 : 1_000_000;
  const lastSep = Math.max(compact.lastIndexOf(','), compact.lastIndexOf('.'));
  if (lastSep < 0) return [Number(compact) * factor];
  const tail = compact.length - lastSep - 1;
  const asThousands = Number(compact.replace(/[,.]/g, ''));
  const asDecimal = Number(`${compact.slice(0, lastSep).replace(/[,.]/g, '')}.${compact.slice(lastSep + 1)}`);
  if (tail !== 3) return [asDecimal * factor];
  // one separator before three digits: `1,450` is thousands; `1.450` either
  const onlyOne = compact.indexOf(compact[lastSep]!) === lastSep && !/[,.]/.test(compact.slice(0, lastSep));
  if (onlyOne && compact[lastSep] === '.') return [...new Set([asDecimal * factor, asThousands * factor])];
  return [asThousands * factor];
}

/** Every amount of money in `text`, in order of appearance (ranges and ambiguous numbers give several). */
export function findAmounts(text: string): Amount[] {
  const out: Array<Amount & { at: number; end: number }> = [];
  const covered = (i: number) => out.some((a) => i >= a.at && i < a.end);
  const push = (t: string, vs: number[], at: number) => {
    for (const v of vs) out.push({ text: t, value: v, at, end: at + t.length });
  };
  for (const m of text.matchAll(PREFIXED)) {
    push(m[0], values(m[1]!, m[2]), m.index);
    if (m[3] !== undefined) push(m[0], values(m[3], m[4]), m.index);
  }
  for (const re of [SUFFIXED, SUFFIXED_WORD]) {
    for (const m of text.matchAll(re)) if (!covered(m.index)) push(m[0], values(m[1]!, m[2]), m.index);
  }
  for (const m of text.matchAll(WORD_AMOUNT)) {
    if (covered(m.index)) continue;
    const before = wordsBefore(text, m.index);
    if (before) push(text.slice(before.at, m.index + m[0].length), [before.value], before.at);
  }
  for (const m of text.matchAll(SYMBOL_ALONE)) {
    if (covered(m.index)) continue;
    const after = wordsAfter(text, m.index + m[0].length);
    if (after) push(text.slice(m.index, after.end), [after.value], m.index);
  }
  return out.sort((a, b) => a.at - b.at).map(({ text: t, value: v }) => ({ text: t, value: v }));
}
