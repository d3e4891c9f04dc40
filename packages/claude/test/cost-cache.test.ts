// Covers cost and caching against the simulator: exact ledger cost from known usage (Haiku 5.5's
// 5x tier above 100K prompt tokens included), an unknown serving model priced null with a warning,
// cache_control only at/above the model's minimum cacheable length (and the simulator, like the API,
// caching nothing below it), and 5-minute writes, 1-hour writes and reads priced apart.
import { describe, expect, it } from 'vitest';
import { costOf } from '../src/pricing.ts';
import { setup, user } from './helpers.ts';

const LONG_SYSTEM = 'You summarise mail threads for a busy owner. Keep facts, dates and asks. '.repeat(270); // ~20K chars
const SHORT_SYSTEM = 'You summarise mail threads. '.repeat(285); // ~8K chars

describe('cost', () => {
  it('records the exact cost of known usage, including the tier above 100K prompt tokens', async () => {
    await using t = await setup();
    t.sim.enqueue(
      { kind: 'reply', text: 'a', usage: { input_tokens: 90_000, output_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
      { kind: 'reply', text: 'b', usage: { input_tokens: 150_000, output_tokens: 2000, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    );
    const a = await t.client.message({ callSite: 'test.cost', messages: [user('hi')], maxTokens: 2000 });
    const b = await t.client.message({ callSite: 'test.cost', messages: [user('hi')], maxTokens: 2000 });
    expect(a.usd).toBe(0.01); // 90K x $0.10 + 2K x $0.50 per MTok
    expect(b.usd).toBe(0.08); // 150K x $0.50 + 2K x $2.50 per MTok: every token at the 5x tier
    expect((await t.rows()).map((r) => r.usd)).toEqual([0.01, 0.08]);
    expect(t.client.spentUsd()).toBeCloseTo(0.09, 12);
    expect(t.messageRequests()).toHaveLength(2);
  });

  it('an unknown serving model gives usd null and a warning, never 0', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'reply', text: 'hi', model: 'claude-haiku-9-9' });
    const res = await t.client.message({ callSite: 'test.unknown', messages: [user('hi')], maxTokens: 50 });
    expect(res).toMatchObject({ model: 'claude-haiku-9-9', usd: null });
    expect(t.messageRequests()[0]?.body?.model).toBe('claude-haiku-5-5');
    expect(await t.rows()).toMatchObject([{ model: 'claude-haiku-9-9', usd: null, outcome: 'ok' }]);
    expect(t.log.lines.some((l) => l.level === 'warn' && (l.obj as { model?: string }).model === 'claude-haiku-9-9')).toBe(true);
    // The estimate stands in for the unknown cost so the budget never under-counts.
    expect(t.client.spentUsd()).toBeGreaterThan(0);
  });
});

describe('caching', () => {
  it('puts cache_control on a system prompt above the minimum, and reads it back on the next call', async () => {
    await using t = await setup();
    const req = { callSite: 'test.cache', system: LONG_SYSTEM, messages: [user('thread 1')], maxTokens: 100 };
    const first = await t.client.message(req);
    const second = await t.client.message({ ...req, messages: [user('thread 2')] });
    const [b1] = t.messageRequests().map((r) => r.body);
    expect(b1?.system).toEqual([{ type: 'text', text: LONG_SYSTEM, cache_control: { type: 'ephemeral', ttl: '5m' } }]);
    expect(first.cacheTtl).toBe('5m');
    expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(4096);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    // Writes at 1.25x and reads at 0.1x of $0.10, each from the usage the simulator reported.
    const price = (u: typeof first.usage) =>
      ((u.input_tokens * 0.1 + (u.cache_creation_input_tokens ?? 0) * 0.125 + (u.cache_read_input_tokens ?? 0) * 0.01 + u.output_tokens * 0.5) * 1e6) / 1e12;
    expect(first.usd).toBe(price(first.usage));
    expect(second.usd).toBe(price(second.usage));
    expect(second.usd).toBeLessThan(first.usd as number);
  });

  it('sends a system prompt below the minimum without cache_control', async () => {
    await using t = await setup();
    const res = await t.client.message({ callSite: 'test.short', system: SHORT_SYSTEM, messages: [user('x')], maxTokens: 50 });
    const body = t.messageRequests()[0]?.body;
    expect(body?.system).toBe(SHORT_SYSTEM);
    expect(JSON.stringify(body)).not.toContain('cache_control');
    expect(res).toMatchObject({ cacheTtl: null, usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } });
  });

  it('decides by each model\'s minimum: the same prompt caches on Sonnet 4.6 (1024) but not Haiku 5.5 (4096)', async () => {
    await using t = await setup();
    const system = 'Rules for drafting replies to leads. '.repeat(170); // ~6.3K chars
    await t.client.message({ callSite: 'test.min', model: 'claude-sonnet-4-6', system, messages: [user('a')], maxTokens: 50 });
    await t.client.message({ callSite: 'test.min', system, messages: [user('a')], maxTokens: 50 });
    const [sonnet, haiku] = t.messageRequests().map((r) => r.body);
    expect(JSON.stringify(sonnet?.system)).toContain('cache_control');
    expect(haiku?.system).toBe(system);
  });

  it('the simulator, like the API, caches nothing below the minimum even when asked', async () => {
    // Pretend (wrongly) that Haiku 5.5 caches from 1024 tokens, so the client sends cache_control.
    const wrong = { tokenRatio: 1.3, minCacheableTokens: 1024, tiers: [{ maxPromptTokens: 100000, input: 0.1, output: 0.5, cacheWrite5m: 0.125, cacheWrite1h: 0.2, cacheRead: 0.01 }, { input: 0.5, output: 2.5, cacheWrite5m: 0.625, cacheWrite1h: 1, cacheRead: 0.05 }] };
    await using t = await setup({ pricing: { models: { 'claude-haiku-5-5': wrong } } });
    const req = { callSite: 'test.below', system: SHORT_SYSTEM, messages: [user('x')], maxTokens: 50 };
    const a = await t.client.message(req);
    const b = await t.client.message(req);
    expect(JSON.stringify(t.messageRequests()[0]?.body?.system)).toContain('cache_control');
    for (const r of [a, b]) expect(r.usage).toMatchObject({ cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
  });

  it('prices 1-hour writes at 2x input, apart from 5-minute writes', async () => {
    await using t = await setup();
    const one = await t.client.message({ callSite: 'test.1h', system: LONG_SYSTEM, cacheSystem: '1h', messages: [user('a')], maxTokens: 50 });
    expect(JSON.stringify(t.messageRequests()[0]?.body?.system)).toContain('"ttl":"1h"');
    const written = one.usage.cache_creation_input_tokens ?? 0;
    expect(one.usage.cache_creation).toMatchObject({ ephemeral_1h_input_tokens: written, ephemeral_5m_input_tokens: 0 });
    const asFiveMinute = costOf('claude-haiku-5-5', { ...one.usage, cache_creation: null }).usd as number;
    expect((one.usd as number) - asFiveMinute).toBeCloseTo((written * (0.2 - 0.125)) / 1e6, 12);
  });
});
