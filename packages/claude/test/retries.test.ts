// Covers retries against the simulator: 529s then success, retry-after as a floor (injected clock),
// a final spend-limit 429, overloaded_error inside a 200 stream, dropped connections, and the
// fallback model when the primary stays overloaded (ledger names the serving model).
import { describe, expect, it } from 'vitest';
import { ClaudeError, RateLimitError } from '../src/errors.ts';
import { setup, user } from './helpers.ts';

describe('retries', () => {
  it('529 twice then 200: three requests, one ledger row with attempts 3 and outcome ok', async () => {
    await using t = await setup();
    t.sim.enqueue(
      { kind: 'error', status: 529, type: 'overloaded_error' },
      { kind: 'error', status: 529, type: 'overloaded_error' },
      { kind: 'reply', text: 'third time' },
    );
    const res = await t.client.message({ callSite: 'test.retry', messages: [user('hello')], maxTokens: 50 });
    expect(res).toMatchObject({ text: 'third time', attempts: 3, model: 'claude-haiku-5-5' });
    expect(t.messageRequests()).toHaveLength(3);
    expect(t.messageRequests().map((r) => r.status)).toEqual([529, 529, 200]);
    const rows = await t.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ attempts: 3, outcome: 'ok', call_site: 'test.retry', model: 'claude-haiku-5-5', path: 'api' });
    expect(rows[0]?.request_id).toBe(t.messageRequests()[2]?.requestId);
  });

  it('retry-after: 2 on a 429: the next request is not sent before 2 s have passed', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '2' } }, { kind: 'reply', text: 'ok' });
    await t.client.message({ callSite: 'test.retry-after', messages: [user('hello')], maxTokens: 50 });
    const [first, second] = t.messageRequests();
    expect(second).toBeDefined();
    // Both times come from the simulator's log, on the clock only the injected sleep moves.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(2000);
    expect(t.clock.sleeps).toHaveLength(1);
    expect(t.clock.sleeps[0]).toBeGreaterThanOrEqual(2000);
  });

  it('honours retry-after-ms as a floor too', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'error', status: 529, type: 'overloaded_error', headers: { 'retry-after-ms': '4500' } }, { kind: 'reply' });
    await t.client.message({ callSite: 'test.retry-after-ms', messages: [user('hello')], maxTokens: 50 });
    expect(t.clock.sleeps).toEqual([4500]);
  });

  it('a spend-limit 429 with no retry-after: one request, a final error, no retry', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'error', status: 429, type: 'billing_error', message: 'spend limit reached' }, { kind: 'reply' });
    const err = await t.client.message({ callSite: 'test.spend', messages: [user('hello')], maxTokens: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ code: 'ESPENDLIMIT', retryable: false, attempts: 1, status: 429 });
    expect(t.messageRequests()).toHaveLength(1);
    expect(t.clock.sleeps).toEqual([]);
    const rows = await t.rows();
    expect(rows).toMatchObject([{ outcome: 'error', error_code: 'ESPENDLIMIT', attempts: 1, usd: 0 }]);
  });

  it('an overloaded_error event in the middle of a streamed reply is retried', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'stream-error', afterEvents: 3, type: 'overloaded_error', text: 'partial' }, { kind: 'reply', text: 'whole reply' });
    const res = await t.client.message({ callSite: 'test.stream', messages: [user('hello')], maxTokens: 50, stream: true });
    expect(res).toMatchObject({ text: 'whole reply', attempts: 2 });
    const reqs = t.messageRequests();
    expect(reqs).toHaveLength(2);
    // The first attempt got HTTP 200 and then the error event.
    expect(reqs[0]?.status).toBe(200);
    expect(reqs.every((r) => r.body?.stream === true)).toBe(true);
    expect(res.usage.output_tokens).toBeGreaterThan(0);
    expect(await t.rows()).toMatchObject([{ outcome: 'ok', attempts: 2 }]);
  });

  it('a dropped connection is retried', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'drop' }, { kind: 'reply', text: 'after drop' });
    const res = await t.client.message({ callSite: 'test.drop', messages: [user('hello')], maxTokens: 50 });
    expect(res).toMatchObject({ text: 'after drop', attempts: 2 });
    expect(t.messageRequests()).toHaveLength(2);
  });

  it('a stream that goes silent is aborted after streamIdleMs and retried', async () => {
    await using t = await setup({ streamIdleMs: 500 });
    t.sim.enqueue({ kind: 'stall', afterEvents: 2, text: 'never finished' }, { kind: 'reply', text: 'second try' });
    const res = await t.client.message({ callSite: 'test.stall', messages: [user('hello')], maxTokens: 50, stream: true });
    expect(res).toMatchObject({ text: 'second try', attempts: 2 });
    expect(t.messageRequests()).toHaveLength(2);
  });

  it('the primary overloaded through every retry: the fallback answers and the row names it', async () => {
    await using t = await setup({ retry: { maxRetries: 2 } });
    t.sim.respond((req) =>
      req.body.model === 'claude-haiku-5-5' ? { kind: 'error', status: 529, type: 'overloaded_error' } : { kind: 'reply', text: 'from the fallback' },
    );
    const res = await t.client.message({ callSite: 'test.fallback', messages: [user('hello')], maxTokens: 50 });
    expect(res).toMatchObject({ text: 'from the fallback', attempts: 4 });
    expect(res.model).toMatch(/^claude-haiku-4-5/);
    expect(t.messageRequests().map((r) => r.body?.model)).toEqual([
      'claude-haiku-5-5',
      'claude-haiku-5-5',
      'claude-haiku-5-5',
      'claude-haiku-4-5',
    ]);
    const rows = await t.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.model).toBe(res.model);
    expect(rows[0]).toMatchObject({ outcome: 'ok', attempts: 4 });
    // Priced at the fallback's rates ($1 / $5 per MTok), not Haiku 5.5's.
    expect(rows[0]?.usd).toBe((res.usage.input_tokens * 1 + res.usage.output_tokens * 5) / 1e6);
  });

  it('sends effort to models that take it and drops it for the Haiku 4.5 fallback', async () => {
    await using t = await setup({ retry: { maxRetries: 0 } });
    t.sim.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'reply', text: 'ok' });
    await t.client.message({ callSite: 'test.effort', messages: [user('hello')], maxTokens: 50, effort: 'low' });
    const [primary, fallback] = t.messageRequests().map((r) => r.body);
    expect(primary?.output_config).toEqual({ effort: 'low' });
    expect(fallback?.model).toBe('claude-haiku-4-5');
    expect(fallback?.output_config).toBeUndefined();
  });

  it('without a fallback, the overloaded error is final after the retries', async () => {
    await using t = await setup({ fallbackModel: null, retry: { maxRetries: 1 } });
    t.sim.respond(() => ({ kind: 'error', status: 529, type: 'overloaded_error' }));
    const err = await t.client.message({ callSite: 'test.nofallback', messages: [user('hello')], maxTokens: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaudeError);
    expect(err).toMatchObject({ code: 'EOVERLOADED', attempts: 2 });
    expect(t.messageRequests()).toHaveLength(2);
    expect(await t.rows()).toMatchObject([{ outcome: 'error', error_code: 'EOVERLOADED', attempts: 2 }]);
  });

  it('400 fails at once with what to fix', async () => {
    await using t = await setup();
    t.sim.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error', message: 'max_tokens: too large' });
    const err = await t.client.message({ callSite: 'test.400', messages: [user('hello')], maxTokens: 50 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'EBADREQUEST', attempts: 1, status: 400 });
    expect((err as Error).message).toMatch(/fix the request parameters/);
    expect(t.messageRequests()).toHaveLength(1);
  });
});
