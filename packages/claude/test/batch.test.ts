// Covers Message Batches against the simulator: 50 requests in one batch priced at 50% with a
// ledger row each, the deadline fallback (cancel, then direct calls for what was pending), and a
// batch refused by the budget while a direct call is in flight.
import { describe, expect, it } from 'vitest';
import { runBatch } from '../src/batch.ts';
import { BudgetExceededError } from '../src/errors.ts';
import { costOf } from '../src/pricing.ts';
import { setup, user } from './helpers.ts';

const items = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    customId: `thread-${i}`,
    callSite: 'test.batch',
    messages: [user(`Summarise thread number ${i}.`)],
    maxTokens: 100,
  }));

describe('batch', () => {
  it('sends 50 requests through the Message Batches API, priced at half', async () => {
    await using t = await setup({}, { batchProcessing: { afterMs: 90_000 } });
    const out = await runBatch(t.client, items(50), { deadlineMs: 3_600_000, pollIntervalMs: 30_000 });
    expect(out).toHaveLength(50);
    expect(out.every((o) => o.ok && o.via === 'batch')).toBe(true);
    expect(out.map((o) => o.customId)).toEqual(items(50).map((i) => i.customId));

    const creates = t.sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
    expect(creates).toHaveLength(1);
    const body = creates[0]?.body as { requests: Array<{ custom_id: string; params: { model: string } }> } | undefined;
    const sent = body?.requests ?? [];
    expect(sent).toHaveLength(50);
    expect(sent.every((r) => r.params.model === 'claude-haiku-5-5')).toBe(true);
    expect(t.messageRequests()).toHaveLength(0);
    const polls = t.sim.requests.filter((r) => r.method === 'GET' && /^\/v1\/messages\/batches\/[^/]+$/.test(r.path));
    expect(polls.length).toBeGreaterThanOrEqual(3); // 30 s apart on the fake clock until 90 s
    expect(t.sim.requests.some((r) => r.method === 'GET' && r.path.endsWith('/results'))).toBe(true);

    const rows = await t.rows();
    expect(rows).toHaveLength(50);
    const batchId = out[0]?.ok ? out[0].result.requestId : undefined;
    expect(batchId).toBeTruthy();
    for (const row of rows) {
      expect(row).toMatchObject({ outcome: 'ok', attempts: 1, reason: 'batch', call_site: 'test.batch', request_id: batchId });
    }
    const first = out[0];
    if (!first?.ok) throw new Error('expected success');
    const full = costOf('claude-haiku-5-5', first.result.usage).usd as number;
    expect(first.result.usd).toBe(full / 2);
    expect(rows[0]?.usd).toBe(full / 2);
  });

  it('at the deadline cancels the batch and sends what is pending as direct calls', async () => {
    await using t = await setup({}, { batchProcessing: 'never' });
    const out = await runBatch(t.client, items(5), { deadlineMs: 60_000, pollIntervalMs: 20_000, cancelGraceMs: 60_000 });
    expect(out.every((o) => o.ok && o.via === 'direct')).toBe(true);
    expect(t.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).toHaveLength(1);
    const direct = t.messageRequests();
    expect(direct).toHaveLength(5);
    // Sent after the deadline, on the shared fake clock.
    const created = t.sim.requests.find((r) => r.path === '/v1/messages/batches');
    expect((direct[0]?.at ?? 0) - (created?.at ?? 0)).toBeGreaterThanOrEqual(60_000);
    const rows = await t.rows();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.outcome === 'ok' && r.reason === undefined)).toBe(true);
    // Direct calls pay full price.
    const o = out[0];
    if (!o?.ok) throw new Error('expected success');
    expect(o.result.usd).toBe(costOf('claude-haiku-5-5', o.result.usage).usd);
  });

  it('a batch refused by the budget counts what a call in flight holds, as a direct call does', async () => {
    // The simulator holds the direct call's reply until the batch has been refused.
    let open = (): void => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    await using t = await setup({ budgetUsd: 0.001 }, { latencyMs: 1, sleep: () => gate });
    const inFlight = t.client.message({ callSite: 'test.direct', messages: [user('A long answer, please.')], maxTokens: 1500 });
    const err = await runBatch(t.client, items(2).map((i) => ({ ...i, maxTokens: 1000 })), { deadlineMs: 60_000 }).catch((e: unknown) => e);
    open();
    await inFlight;
    expect(err).toBeInstanceOf(BudgetExceededError);
    const refused = err as BudgetExceededError;
    // What the run had committed (the direct call's reservation) is in the figure, so the message's
    // sum is really over the cap.
    expect(refused.spentUsd).toBeGreaterThan(0);
    expect(refused.spentUsd + refused.estimateUsd).toBeGreaterThan(refused.budgetUsd);
    expect(t.sim.requests.filter((r) => r.path === '/v1/messages/batches')).toHaveLength(0);
  });
});

