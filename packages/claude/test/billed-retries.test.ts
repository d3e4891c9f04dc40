// Covers what retries cost, against the simulator's scripted faults: every attempt that got a
// message_start is billed by the API, so a stall, a second stall, an overloaded_error inside a 200
// stream and then a reply are four billed requests. The call's one ledger row carries the tokens
// and usd of all four, each once (attempts 4), the budget is charged the same sum, and a failed
// call that was billed records what it cost instead of 0.
import { describe, expect, it } from 'vitest';
import { estimateCostUsd } from '../src/budget.ts';
import { costOf, defaultPricing } from '../src/pricing.ts';
import { estimatePromptTokens } from '../src/tokens.ts';
import { setup, user } from './helpers.ts';

const prompt = 'Summarise the thread about the roof repair quote and the delivery window. '.repeat(40);

describe('retries that were billed', () => {
  it('stall, stall, overloaded mid-stream, reply: 4 billed attempts, all in the row and the budget', async () => {
    await using t = await setup({ streamIdleMs: 300 });
    t.sim.enqueue(
      { kind: 'stall', afterEvents: 2, text: 'never finished' },
      { kind: 'stall', afterEvents: 3, text: 'never finished either' },
      { kind: 'stream-error', afterEvents: 3, type: 'overloaded_error', text: 'partial' },
      { kind: 'reply', text: 'whole reply' },
    );
    const res = await t.client.message({ callSite: 'test.billed', messages: [user(prompt)], maxTokens: 200, stream: true });
    expect(res.text).toBe('whole reply');
    expect(res.attempts).toBe(4);
    expect(t.messageRequests()).toHaveLength(4);
    expect(t.messageRequests().every((r) => r.status === 200)).toBe(true);
    const one = res.usage.input_tokens;
    expect(one).toBeGreaterThan(500);
    const rows = await t.rows();
    expect(rows).toHaveLength(1);
    const row = rows[0];
    // Each failed attempt was billed its input and the one output token of message_start.
    expect(row).toMatchObject({ outcome: 'ok', attempts: 4, input_tokens: 4 * one, output_tokens: res.usage.output_tokens + 3 });
    const perFailed = costOf('claude-haiku-5-5', { input_tokens: one, output_tokens: 1 }).usd as number;
    const reply = costOf('claude-haiku-5-5', res.usage).usd as number;
    expect(row?.usd).toBeCloseTo(3 * perFailed + reply, 12);
    expect(res.usd).toBe(row?.usd);
    expect(t.client.spentUsd()).toBeCloseTo(row?.usd as number, 12);
  }, 30_000);

  it('a call that fails after billed attempts records their cost, not 0', async () => {
    await using t = await setup({ streamIdleMs: 300, fallbackModel: null, retry: { maxRetries: 1 } });
    t.sim.respond(() => ({ kind: 'stream-error', afterEvents: 3, type: 'overloaded_error', text: 'partial' }));
    const err = await t.client.message({ callSite: 'test.billed-fail', messages: [user(prompt)], maxTokens: 200, stream: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EOVERLOADED', attempts: 2 });
    const [row] = await t.rows();
    expect(row).toMatchObject({ outcome: 'error', attempts: 2, output_tokens: 2 });
    expect(row?.input_tokens).toBeGreaterThan(1000);
    expect(row?.usd).toBeGreaterThan(0);
    expect(t.client.spentUsd()).toBeCloseTo(row?.usd as number, 12);
  }, 30_000);

  it('each retry reserves its own estimate: one the budget cannot cover after a billed stall is not sent', async () => {
    const messages = [user(prompt)];
    const promptTokens = estimatePromptTokens({ messages }, 'claude-haiku-5-5').total;
    const estimate = estimateCostUsd({ model: 'claude-haiku-5-5', promptTokens, maxTokens: 1 }, defaultPricing) as number;
    // Room for one attempt and a half: the stall is billed about one estimate, so a second cannot fit.
    await using t = await setup({ streamIdleMs: 300, budgetUsd: estimate * 1.5 });
    t.sim.enqueue({ kind: 'stall', afterEvents: 2 }, { kind: 'reply', text: 'would overspend' });
    const err = await t.client.message({ callSite: 'test.billed-budget', messages, maxTokens: 1, stream: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EBUDGET', attempts: 1 });
    expect(t.messageRequests()).toHaveLength(1);
    const [row] = await t.rows();
    expect(row).toMatchObject({ outcome: 'error', error_code: 'EBUDGET', attempts: 1 });
    expect(row?.usd).toBeGreaterThan(estimate * 0.5);
    expect(t.client.spentUsd()).toBe(row?.usd);
  }, 30_000);
});
