// Covers the pricing table and costOf: exact costs, Haiku 5.5's tier above 100K prompt tokens,
// cache writes (5m / 1h) and reads priced apart, the batch discount, aliases, overrides, unknown models.
import { describe, expect, it } from 'vitest';
import { costOf, createPricing, defaultPricing, lookupModel } from '../src/pricing.ts';
import { estimateTokens } from '../src/tokens.ts';

function recordingLogger() {
  const warnings: Array<{ obj: object; msg: string | undefined }> = [];
  const none = () => {};
  return { warnings, logger: { debug: none, info: none, error: none, warn: (obj: object, msg?: string) => warnings.push({ obj, msg }) } };
}

describe('costOf', () => {
  it('prices Haiku 5.5 at $0.10 in / $0.50 out per MTok, exactly', () => {
    expect(costOf('claude-haiku-5-5', { input_tokens: 1000, output_tokens: 500 }).usd).toBe(0.00035);
    expect(costOf('claude-haiku-5-5', { input_tokens: 90_000, output_tokens: 10_000 }).usd).toBe(0.014);
    // A 1M-token prompt is far above the tier: $0.50 + $2.50, not $0.10 + $0.50.
    expect(costOf('claude-haiku-5-5', { input_tokens: 1_000_000, output_tokens: 1_000_000 }).usd).toBe(3);
  });

  it('bills every token of a Haiku 5.5 call 5x once the prompt passes 100K tokens', () => {
    const at = costOf('claude-haiku-5-5', { input_tokens: 100_000, output_tokens: 1000 });
    expect(at).toMatchObject({ usd: 0.0105, tier: 0 });
    const above = costOf('claude-haiku-5-5', { input_tokens: 120_000, output_tokens: 1000 });
    expect(above).toMatchObject({ usd: 0.0625, tier: 1 });
  });

  it('counts cache reads and writes toward the prompt size that picks the tier', () => {
    const c = costOf('claude-haiku-5-5', { input_tokens: 60_000, output_tokens: 0, cache_read_input_tokens: 50_000 });
    expect(c).toMatchObject({ usd: 0.0325, tier: 1 });
  });

  it('prices 5-minute writes, 1-hour writes and reads apart', () => {
    const usage = {
      input_tokens: 10,
      output_tokens: 100,
      cache_creation_input_tokens: 8000,
      cache_read_input_tokens: 2000,
      cache_creation: { ephemeral_5m_input_tokens: 5000, ephemeral_1h_input_tokens: 3000 },
    };
    // 10x0.10 + 5000x0.125 + 3000x0.20 + 2000x0.01 + 100x0.50 = 1296 micro-USD
    expect(costOf('claude-haiku-5-5', usage).usd).toBe(0.001296);
    // Without the split every write is a 5-minute write: 8000x0.125 = 1000 instead of 1225.
    const { cache_creation: _, ...unsplit } = usage;
    expect(costOf('claude-haiku-5-5', unsplit).usd).toBe(0.001071);
    // Sonnet 4.5: 1.25x / 2x / 0.1x of $3.
    expect(costOf('claude-sonnet-4-5', { ...usage, input_tokens: 0, output_tokens: 0 }).usd).toBe(
      (5000 * 3.75 + 3000 * 6 + 2000 * 0.3) / 1e6,
    );
  });

  it('halves batch calls', () => {
    expect(costOf('claude-haiku-5-5', { input_tokens: 1000, output_tokens: 500 }, { batch: true }).usd).toBe(0.000175);
    expect(costOf('claude-opus-4-8', { input_tokens: 3, output_tokens: 1 }, { batch: true }).usd).toBe(0.00002);
  });

  it('follows aliases to dated ids', () => {
    const alias = costOf('claude-haiku-4-5', { input_tokens: 1000, output_tokens: 500 });
    const dated = costOf('claude-haiku-4-5-20251001', { input_tokens: 1000, output_tokens: 500 });
    expect(alias).toEqual(dated);
    expect(alias).toMatchObject({ usd: 0.0035, pricedAs: 'claude-haiku-4-5-20251001' });
  });

  it('gives null, never 0, for an unknown model, and warns', () => {
    const { warnings, logger } = recordingLogger();
    const c = costOf('claude-haiku-9-9', { input_tokens: 1000, output_tokens: 500 }, { logger });
    expect(c.usd).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.obj).toMatchObject({ model: 'claude-haiku-9-9' });
  });
});

describe('pricing table', () => {
  it('is dated and covers every current model id of the SDK', () => {
    expect(defaultPricing.asOf).toMatch(/^2026-\d\d-\d\d$/);
    const ids = [
      'claude-fable-5-2', 'claude-mythos-5-2', 'claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-fable-5-1',
      'claude-opus-5-5', 'claude-mythos-5-1', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-5', 'claude-opus-5',
      'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-haiku-4-5',
      'claude-haiku-4-5-20251001', 'claude-opus-4-5', 'claude-opus-4-5-20251101', 'claude-sonnet-4-5',
      'claude-sonnet-4-5-20250929',
    ];
    for (const id of ids) expect(lookupModel(id), id).toBeDefined();
  });

  it('records minimum cacheable lengths and token ratios', () => {
    expect(lookupModel('claude-haiku-5-5')?.row).toMatchObject({ minCacheableTokens: 4096, tokenRatio: 1.3 });
    expect(lookupModel('claude-haiku-4-5')?.row).toMatchObject({ minCacheableTokens: 4096, tokenRatio: 1 });
    expect(lookupModel('claude-sonnet-4-6')?.row.minCacheableTokens).toBe(1024);
    expect(lookupModel('claude-sonnet-4-5')?.row.minCacheableTokens).toBe(1024);
    expect(lookupModel('claude-opus-4-7')?.row.tokenRatio).toBe(1.3);
    // The newer tokenizer counts ~30% more for the same text.
    const text = 'x'.repeat(4000);
    expect(estimateTokens(text, 'claude-haiku-4-5')).toBe(1000);
    expect(estimateTokens(text, 'claude-haiku-5-5')).toBe(1300);
  });

  it('takes overrides from config and rejects malformed ones with the field named', () => {
    const row = { tokenRatio: 1, minCacheableTokens: 1024, tiers: [{ input: 2, output: 4, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 }] };
    const table = createPricing({ models: { 'claude-test-1': row }, aliases: { 'test-alias': 'claude-test-1' } });
    expect(costOf('test-alias', { input_tokens: 1000, output_tokens: 1000 }, { pricing: table }).usd).toBe(0.006);
    expect(costOf('claude-haiku-5-5', { input_tokens: 1000, output_tokens: 0 }, { pricing: table }).usd).toBe(0.0001);
    expect(() => createPricing({ models: { bad: { ...row, tiers: [] } } })).toThrow(/models\.bad\.tiers/);
    expect(() => createPricing({ aliases: { x: 'nope' } })).toThrow(/alias x points at nope/);
  });
});
