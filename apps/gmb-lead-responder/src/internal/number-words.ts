/**
 * Amounts written in words next to a currency word or symbol, for the price check:
 * `ninety-nine dollars`, `$ one hundred and twenty`, `two thousand five hundred euros`.
 * English number words are read to a value; any other word in front of a currency word
 * (`neunundneunzig Dollar`, `девяносто девять долларов`, `a few dollars`) is an amount of
 * unknown value (NaN), which no profile states. A few words that only name the currency
 * (`in US dollars`, `we accept euros`) are not amounts.
 */

const UNITS: Readonly<Record<string, number>> = {
  zero: 0, one: 1, a: 1, an: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const SCALES: Readonly<Record<string, number>> = { hundred: 100, thousand: 1000, grand: 1000, million: 1_000_000 };
/** Words in front of a currency word that do not state an amount. */
const NAMING = new Set([
  'in', 'us', 'u.s.', 'american', 'canadian', 'australian', 'of', 'the', 'per', 'our', 'your', 'pay', 'paid', 'accept', 'accepts',
  'and', 'or', 'by', 'with', 'all', 'prices', 'price', 'quoted', 'quote', 'hong', 'kong', 'new', 'zealand',
]);

/** The value of a run of English number words, or null when they are not one. */
function readWords(words: readonly string[]): number | null {
  let total = 0;
  let current = 0;
  let any = false;
  for (const written of words) {
    const w = written.replace(/[.'’]+$/, '');
    if (w === 'and') continue;
    if (w in UNITS) {
      current += UNITS[w]!;
      any = true;
    } else if (w in SCALES) {
      const scale = SCALES[w]!;
      if (scale === 100) current = (current || 1) * 100;
      else {
        total += (current || 1) * scale;
        current = 0;
      }
      any = true;
    } else return null;
  }
  return any ? total + current : null;
}

const WORD = /[\p{L}\p{M}\p{N}.'’-]+/gu;

/** An amount in words ending just before `end`, or null when the words before only name the currency. */
export function wordsBefore(text: string, end: number): { at: number; value: number } | null {
  const head = text.slice(Math.max(0, end - 120), end);
  const offset = end - head.length;
  const tokens = [...head.matchAll(WORD)].map((m) => ({ at: offset + m.index, words: m[0].toLowerCase().split(/-/).filter(Boolean) }));
  if (tokens.length === 0 || /\S/.test(text.slice(tokens.at(-1)!.at + tokens.at(-1)!.words.join('-').length, end).replace(/[\s\u00a0]/g, ''))) {
    return null;
  }
  let best: { at: number; value: number } | null = null;
  for (let i = tokens.length - 1; i >= 0 && i >= tokens.length - 10; i--) {
    const value = readWords(tokens.slice(i).flatMap((t) => t.words));
    if (value === null) break;
    best = { at: tokens[i]!.at, value };
  }
  if (best) return best;
  const last = tokens.at(-1)!;
  if (NAMING.has(last.words.join('-'))) return null;
  return { at: last.at, value: Number.NaN };
}

/** An amount in English words starting at `start` (after a currency symbol), or null. */
export function wordsAfter(text: string, start: number): { end: number; value: number } | null {
  const tail = text.slice(start, start + 120);
  let value: number | null = null;
  let end = start;
  const tokens = [...tail.matchAll(WORD)];
  for (let n = 1; n <= Math.min(tokens.length, 10); n++) {
    const gap = tail.slice(n === 1 ? 0 : tokens[n - 2]!.index + tokens[n - 2]![0].length, tokens[n - 1]!.index);
    if (!/^[\s-]*$/.test(gap)) break;
    const v = readWords(tokens.slice(0, n).flatMap((t) => t[0].toLowerCase().split('-').filter(Boolean)));
    if (v === null) break;
    value = v;
    end = start + tokens[n - 1]!.index + tokens[n - 1]![0].length;
  }
  return value === null ? null : { end, value };
}
