/**
 * Prompt caching as the API does it, on the simulator's clock.
 *
 * A block with `cache_control` ends a cacheable prefix (a breakpoint). For each request:
 * - the longest prefix found in the cache (looking back up to 20 blocks from each breakpoint, as
 *   the API does) is a read: `cache_read_input_tokens`, and its TTL is refreshed;
 * - each later breakpoint whose prefix reaches the model's minimum cacheable length is written:
 *   its new tokens count as `cache_creation_input_tokens`, split into 5-minute and 1-hour writes
 *   by the TTL of the breakpoint that ends each segment;
 * - a breakpoint below the minimum is silently ignored, as the API does (no error, no write);
 * - `input_tokens` is what remains uncached.
 * Entries are keyed by model and a hash of the prefix, so models never share entries.
 */
import { createHash } from 'node:crypto';
import { minCacheableTokens } from './models.ts';
import { type CacheTtl, type PromptBlock, tokensForChars } from './tokens.ts';

/** The input side of usage. */
export interface InputUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

const TTL_MS: Record<CacheTtl, number> = { '5m': 5 * 60_000, '1h': 60 * 60_000 };
/** How far back from a breakpoint the API looks for an earlier cached prefix. */
const LOOKBACK_BLOCKS = 20;

interface Entry {
  expiresAt: number;
  ttlMs: number;
}

/** The simulator's prompt cache. */
export class PromptCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Number of live entries (for tests). */
  get size(): number {
    const now = this.#now();
    let n = 0;
    for (const entry of this.#entries.values()) if (entry.expiresAt > now) n += 1;
    return n;
  }

  /** Computes the input usage of a request and updates the cache (reads refresh, writes store). */
  apply(model: string, blocks: readonly PromptBlock[]): InputUsage {
    const now = this.#now();
    const prefixTokens: number[] = [];
    const prefixKeys: string[] = [];
    let running = 0;
    const hash = createHash('sha256').update(model);
    for (const block of blocks) {
      running += tokensForChars(block.chars, model);
      prefixTokens.push(running);
      hash.update('\u0000').update(block.key);
      // copy() lets the running hash continue while giving a digest for this prefix.
      prefixKeys.push(`${model}\u0000${hash.copy().digest('hex')}`);
    }
    const total = running;
    const breakpoints = blocks.flatMap((b, i) => (b.ttl === undefined ? [] : [i]));

    let readIdx = -1;
    for (const bp of [...breakpoints].reverse()) {
      for (let j = bp; j >= 0 && j > bp - LOOKBACK_BLOCKS && j > readIdx; j -= 1) {
        const entry = this.#entries.get(prefixKeys[j]!);
        if (entry !== undefined && entry.expiresAt > now) {
          readIdx = j;
          entry.expiresAt = now + entry.ttlMs;
          break;
        }
      }
      if (readIdx >= 0) break;
    }
    const read = readIdx >= 0 ? prefixTokens[readIdx]! : 0;

    const min = minCacheableTokens(model);
    let covered = read;
    const written = { '5m': 0, '1h': 0 };
    for (const bp of breakpoints) {
      if (bp <= readIdx) continue;
      const tokens = prefixTokens[bp]!;
      if (tokens < min) continue;
      const ttl = blocks[bp]!.ttl!;
      written[ttl] += tokens - covered;
      covered = tokens;
      this.#entries.set(prefixKeys[bp]!, { expiresAt: now + TTL_MS[ttl], ttlMs: TTL_MS[ttl] });
    }
    const creation = covered - read;
    return {
      input_tokens: total - read - creation,
      cache_creation_input_tokens: creation,
      cache_read_input_tokens: read,
      cache_creation: {
        ephemeral_5m_input_tokens: written['5m'],
        ephemeral_1h_input_tokens: written['1h'],
      },
    };
  }
}
