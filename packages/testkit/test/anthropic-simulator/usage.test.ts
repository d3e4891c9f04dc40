// Covers usage: the token estimate (1.3x for Haiku 5.5 and Claude 4.7+), count_tokens, and
// prompt caching (minimum cacheable length on both sides, 5m/1h TTLs, reads, lookback, models).
import { describe, expect, it } from 'vitest';
import { minCacheableTokens, parseModel, tokenRatio } from '../../src/anthropic-simulator/internal/models.ts';
import { startAnthropicSimulator } from '../../src/anthropic-simulator/simulator.ts';
import { fakeClock, post } from '../../src/anthropic-simulator/test-support.ts';

type UsageOut = {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
};

async function usageOf(url: string, body: Record<string, unknown>): Promise<UsageOut> {
  const res = await post(url, '/v1/messages', { max_tokens: 100, ...body });
  expect(res.status).toBe(200);
  return ((await res.json()) as { usage: UsageOut }).usage;
}

/** A request whose system prompt is `chars` characters, cached with `ttl` when given. */
function cachedSystem(model: string, chars: number, ttl?: '5m' | '1h') {
  const block: Record<string, unknown> = { type: 'text', text: 's'.repeat(chars) };
  block.cache_control = ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl };
  return { model, system: [block], messages: [{ role: 'user', content: 'Hello there' }] };
}

describe('model table', () => {
  it('parses both id styles and dates', () => {
    expect(parseModel('claude-haiku-4-5-20251001')).toEqual({ family: 'haiku', major: 4, minor: 5 });
    expect(parseModel('claude-3-5-haiku-20241022')).toEqual({ family: 'haiku', major: 3, minor: 5 });
    expect(parseModel('claude-sonnet-4-20250514')).toEqual({ family: 'sonnet', major: 4, minor: 0 });
    expect(parseModel('gpt-4')).toBeUndefined();
  });

  it('uses 1.3 tokens per 4 chars for Haiku 5.5 and 4.7+, 1 otherwise', () => {
    expect(tokenRatio('claude-haiku-5-5')).toEqual({ num: 13, den: 10 });
    expect(tokenRatio('claude-opus-4-7')).toEqual({ num: 13, den: 10 });
    expect(tokenRatio('claude-sonnet-5')).toEqual({ num: 13, den: 10 });
    expect(tokenRatio('claude-haiku-4-5')).toEqual({ num: 1, den: 1 });
    expect(tokenRatio('claude-opus-4-6')).toEqual({ num: 1, den: 1 });
  });

  it('knows the minimum cacheable lengths', () => {
    expect(minCacheableTokens('claude-haiku-5-5')).toBe(4096);
    expect(minCacheableTokens('claude-haiku-4-5-20251001')).toBe(4096);
    expect(minCacheableTokens('claude-sonnet-4-5')).toBe(1024);
    expect(minCacheableTokens('claude-sonnet-4-6')).toBe(1024);
    expect(minCacheableTokens('claude-3-5-haiku-latest')).toBe(2048);
    expect(minCacheableTokens('some-other-model')).toBe(1024);
  });
});

describe('token estimate', () => {
  it('counts system, messages and tools; count_tokens agrees with messages usage', async () => {
    await using sim = await startAnthropicSimulator();
    const tool = { name: 'f', description: 'd', input_schema: { type: 'object' } };
    const body = {
      model: 'claude-haiku-4-5',
      system: 'x'.repeat(400),
      tools: [tool],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'y'.repeat(81) }] }],
    };
    // 400/4 = 100; tool JSON chars/4 rounded up; ceil(81/4) = 21.
    const expected = 100 + Math.ceil(JSON.stringify(tool).length / 4) + 21;
    const counted = await post(sim.url, '/v1/messages/count_tokens', body);
    expect(await counted.json()).toEqual({ input_tokens: expected });
    expect((await usageOf(sim.url, body)).input_tokens).toBe(expected);
  });

  it('counts 30% more for claude-haiku-5-5, rounding up', async () => {
    await using sim = await startAnthropicSimulator();
    const body = (model: string) => ({ model, messages: [{ role: 'user', content: 'z'.repeat(400) }] });
    const count = async (model: string) =>
      ((await (await post(sim.url, '/v1/messages/count_tokens', body(model))).json()) as { input_tokens: number })
        .input_tokens;
    expect(await count('claude-haiku-4-5')).toBe(100);
    expect(await count('claude-haiku-5-5')).toBe(130);
    expect((await usageOf(sim.url, { ...body('claude-haiku-5-5') })).input_tokens).toBe(130);
  });
});

describe('prompt caching', () => {
  it('writes, then reads within the 5-minute TTL, then writes again after it', async () => {
    const clock = fakeClock();
    await using sim = await startAnthropicSimulator({ now: clock.now });
    const body = cachedSystem('claude-haiku-4-5', 20_000); // 5000 tokens >= 4096
    expect(await usageOf(sim.url, body)).toMatchObject({
      input_tokens: 3,
      cache_creation_input_tokens: 5000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 5000, ephemeral_1h_input_tokens: 0 },
    });
    clock.advance(4 * 60_000);
    expect(await usageOf(sim.url, body)).toMatchObject({
      input_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 5000,
    });
    // The read refreshed the TTL: 4 more minutes is still within 5 minutes of the last use.
    clock.advance(4 * 60_000);
    expect((await usageOf(sim.url, body)).cache_read_input_tokens).toBe(5000);
    clock.advance(5 * 60_000 + 1);
    expect(await usageOf(sim.url, body)).toMatchObject({
      cache_creation_input_tokens: 5000,
      cache_read_input_tokens: 0,
    });
  });

  it.each([
    ['claude-haiku-4-5', 16_380, 16_384],
    ['claude-haiku-5-5', 12_600, 12_604],
    ['claude-sonnet-4-5', 4_092, 4_096],
  ])('%s caches nothing below the minimum (%i chars) and caches at it (%i chars)', async (model, below, at) => {
    await using sim = await startAnthropicSimulator();
    for (let i = 0; i < 2; i += 1) {
      const u = await usageOf(sim.url, cachedSystem(model, below));
      expect(u.cache_creation_input_tokens + u.cache_read_input_tokens).toBe(0);
      expect(u.input_tokens).toBeGreaterThan(minCacheableTokens(model) - 2);
    }
    const first = await usageOf(sim.url, cachedSystem(model, at));
    expect(first.cache_creation_input_tokens).toBeGreaterThanOrEqual(minCacheableTokens(model));
    const second = await usageOf(sim.url, cachedSystem(model, at));
    expect(second.cache_read_input_tokens).toBe(first.cache_creation_input_tokens);
  });

  it('splits 1-hour and 5-minute writes and keeps the 1-hour prefix after 5 minutes', async () => {
    const clock = fakeClock();
    await using sim = await startAnthropicSimulator({ now: clock.now });
    const body = {
      model: 'claude-haiku-4-5',
      system: [
        { type: 'text', text: 'a'.repeat(20_000), cache_control: { type: 'ephemeral', ttl: '1h' } },
        { type: 'text', text: 'b'.repeat(4_000), cache_control: { type: 'ephemeral', ttl: '5m' } },
      ],
      messages: [{ role: 'user', content: 'Hello there' }],
    };
    expect(await usageOf(sim.url, body)).toMatchObject({
      input_tokens: 3,
      cache_creation_input_tokens: 6000,
      cache_creation: { ephemeral_1h_input_tokens: 5000, ephemeral_5m_input_tokens: 1000 },
    });
    clock.advance(10 * 60_000);
    expect(await usageOf(sim.url, body)).toMatchObject({
      input_tokens: 3,
      cache_read_input_tokens: 5000,
      cache_creation_input_tokens: 1000,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 1000 },
    });
    clock.advance(61 * 60_000);
    expect((await usageOf(sim.url, body)).cache_read_input_tokens).toBe(0);
  });

  it('finds an earlier cached prefix when a conversation grows (lookback)', async () => {
    await using sim = await startAnthropicSimulator();
    const cc = { type: 'ephemeral' };
    const doc = 'd'.repeat(20_000);
    const turn1 = [{ role: 'user', content: [{ type: 'text', text: doc, cache_control: cc }] }];
    await usageOf(sim.url, { model: 'claude-haiku-4-5', messages: turn1 });
    const turn2 = [
      { role: 'user', content: [{ type: 'text', text: doc }] },
      { role: 'assistant', content: [{ type: 'text', text: 'ok'.repeat(100) }] },
      { role: 'user', content: [{ type: 'text', text: 'q'.repeat(400), cache_control: cc }] },
    ];
    expect(await usageOf(sim.url, { model: 'claude-haiku-4-5', messages: turn2 })).toMatchObject({
      cache_read_input_tokens: 5000,
      cache_creation_input_tokens: 50 + 100,
      input_tokens: 0,
    });
  });

  it('keeps caches per model and ignores prefixes that differ', async () => {
    await using sim = await startAnthropicSimulator();
    await usageOf(sim.url, cachedSystem('claude-sonnet-4-5', 8_000));
    const other = await usageOf(sim.url, cachedSystem('claude-sonnet-4-6', 8_000));
    expect(other).toMatchObject({ cache_read_input_tokens: 0, cache_creation_input_tokens: 2000 });
    const changed = await usageOf(sim.url, cachedSystem('claude-sonnet-4-5', 8_001));
    expect(changed.cache_read_input_tokens).toBe(0);
  });

  it('lets a scripted usage override the computed fields', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'reply', text: 'hi', usage: { input_tokens: 120_000, output_tokens: 7 } });
    expect(await usageOf(sim.url, { model: 'claude-haiku-5-5', messages: [{ role: 'user', content: 'x' }] }))
      .toMatchObject({ input_tokens: 120_000, output_tokens: 7, cache_read_input_tokens: 0 });
  });
});
