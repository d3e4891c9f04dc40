/**
 * Per-model facts the simulator needs: how many tokens a text costs (newer models tokenize about
 * 30% more tokens for the same text) and the minimum cacheable prefix length.
 *
 * | model                                                   | tokens per 4 chars | min cacheable |
 * |---------------------------------------------------------|--------------------|---------------|
 * | claude-haiku-5-5                                        | 1.3                | 4096          |
 * | claude-opus-4-7                                         | 1.3                | 4096          |
 * | claude-haiku-4-5, claude-opus-4-5, claude-opus-4-6      | 1                  | 4096          |
 * | claude-sonnet-4-5, -4-6, sonnet-4, opus-4, opus-4-1, 3-7-sonnet | 1          | 1024          |
 * | claude-3-5-haiku, claude-3-haiku                        | 1                  | 2048          |
 * | any other Claude >= 4.7 (opus-4-8, sonnet-5, ...)       | 1.3                | 1024          |
 * | anything else                                           | 1                  | 1024          |
 *
 * The minimums follow the project's agreed table (INTERFACES.md): 4096 for Haiku 4.5 and 5.5,
 * 1024 for Sonnet 4.5/4.6.
 */

/** A model id split into family and version, e.g. claude-haiku-4-5-20251001 -> haiku 4.5. */
export interface ModelInfo {
  family: string;
  major: number;
  minor: number;
}

/**
 * Parses both id styles: `claude-haiku-4-5[-date]` and the older `claude-3-5-haiku[-date]`.
 * Date suffixes (8 digits) are not version parts.
 */
export function parseModel(model: string): ModelInfo | undefined {
  const parts = model.toLowerCase().split('-');
  if (parts[0] !== 'claude') return undefined;
  const isVersion = (s: string | undefined): s is string => s !== undefined && /^\d{1,2}$/.test(s);
  const rest = parts.slice(1);
  if (isVersion(rest[0])) {
    // claude-3-5-haiku / claude-3-haiku
    const major = Number(rest[0]);
    const minor = isVersion(rest[1]) ? Number(rest[1]) : 0;
    const family = rest[isVersion(rest[1]) ? 2 : 1];
    return family === undefined ? undefined : { family, major, minor };
  }
  const family = rest[0];
  if (family === undefined || !isVersion(rest[1])) return undefined;
  return { family, major: Number(rest[1]), minor: isVersion(rest[2]) ? Number(rest[2]) : 0 };
}

/**
 * Token ratio as a fraction (numerator, denominator) so integer maths stays exact:
 * 1.3 as a float would make ceil(400 * 1.3 / 4) come out 131.
 */
export interface TokenRatio {
  num: number;
  den: number;
}

const NEW_TOKENIZER: TokenRatio = { num: 13, den: 10 };
const OLD_TOKENIZER: TokenRatio = { num: 1, den: 1 };

/** Claude 4.7 and later (Haiku 5.5 included) count about 30% more tokens for the same text. */
export function tokenRatio(model: string): TokenRatio {
  const info = parseModel(model);
  if (info === undefined) return OLD_TOKENIZER;
  const newer = info.major > 4 || (info.major === 4 && info.minor >= 7);
  return newer ? NEW_TOKENIZER : OLD_TOKENIZER;
}

const MIN_CACHEABLE: ReadonlyArray<{ family: string; major: number; minor: number; min: number }> = [
  { family: 'haiku', major: 5, minor: 5, min: 4096 },
  { family: 'haiku', major: 4, minor: 5, min: 4096 },
  { family: 'haiku', major: 3, minor: 5, min: 2048 },
  { family: 'haiku', major: 3, minor: 0, min: 2048 },
  { family: 'opus', major: 4, minor: 5, min: 4096 },
  { family: 'opus', major: 4, minor: 6, min: 4096 },
  { family: 'opus', major: 4, minor: 7, min: 4096 },
  { family: 'sonnet', major: 4, minor: 6, min: 1024 },
  { family: 'sonnet', major: 4, minor: 5, min: 1024 },
  { family: 'sonnet', major: 4, minor: 0, min: 1024 },
  { family: 'opus', major: 4, minor: 1, min: 1024 },
  { family: 'opus', major: 4, minor: 0, min: 1024 },
  { family: 'sonnet', major: 3, minor: 7, min: 1024 },
];

/** Default for models not in the table. */
export const DEFAULT_MIN_CACHEABLE = 1024;

/** The smallest prefix, in tokens, the API caches for this model; shorter prefixes are not cached. */
export function minCacheableTokens(model: string): number {
  const info = parseModel(model);
  if (info === undefined) return DEFAULT_MIN_CACHEABLE;
  const row = MIN_CACHEABLE.find(
    (r) => r.family === info.family && r.major === info.major && r.minor === info.minor,
  );
  return row?.min ?? DEFAULT_MIN_CACHEABLE;
}
