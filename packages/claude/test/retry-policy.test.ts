// Covers the retry policy: backoff with injected jitter, retry-after parsing as a floor, and the
// p-retry loop waiting only on the injected sleep (no real timers), stopping on final errors.
import { describe, expect, it } from 'vitest';
import { ClaudeError } from '../src/errors.ts';
import { defaultRetryPolicy, parseRetryAfter, retryDelayMs, withRetries } from '../src/retry-policy.ts';

describe('retryDelayMs', () => {
  it('grows exponentially with equal jitter from the injected random', () => {
    const p = { ...defaultRetryPolicy, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, p, () => 0))).toEqual([500, 1000, 2000, 4000, 4000]);
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, p, () => 1))).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('never waits less than the server asked', () => {
    expect(retryDelayMs(1, defaultRetryPolicy, () => 0, 2000)).toBe(2000);
    expect(retryDelayMs(1, defaultRetryPolicy, () => 0, 10)).toBe(250);
  });
});

describe('parseRetryAfter', () => {
  const h = (o: Record<string, string>) => new Headers(o);
  it('reads retry-after-ms first, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '1500.5', 'retry-after': '9' }), 0)).toBe(1500.5);
    expect(parseRetryAfter(h({ 'retry-after': '2' }), 0)).toBe(2000);
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter(h({ 'retry-after': 'Mon, 23 Nov 2026 10:00:05 GMT' }), now)).toBe(5000);
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(parseRetryAfter(h({}), now)).toBeUndefined();
  });
});

describe('withRetries', () => {
  const overloaded = () => new ClaudeError('EOVERLOADED', 'overloaded', { retryable: true, status: 529 });

  it('retries retryable errors, sleeping only on the injected sleep', async () => {
    const waits: number[] = [];
    let calls = 0;
    const out = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw overloaded();
        return 'ok';
      },
      { policy: defaultRetryPolicy, sleep: async (ms) => void waits.push(ms), random: () => 0.5 },
    );
    expect(out).toEqual({ value: 'ok', attempts: 3 });
    expect(waits).toEqual([375, 750]);
  });

  it('stops at once on a final error and reports one attempt', async () => {
    const waits: number[] = [];
    const err = await withRetries(
      async () => {
        throw new ClaudeError('EAUTH', 'refused', { status: 401 });
      },
      { policy: defaultRetryPolicy, sleep: async (ms) => void waits.push(ms), random: () => 0 },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaudeError);
    expect((err as ClaudeError).attempts).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up after maxRetries and does not wait after the last attempt', async () => {
    const waits: number[] = [];
    const err = await withRetries(
      async () => {
        throw overloaded();
      },
      { policy: { ...defaultRetryPolicy, maxRetries: 2 }, sleep: async (ms) => void waits.push(ms), random: () => 0 },
    ).catch((e: unknown) => e);
    expect((err as ClaudeError).code).toBe('EOVERLOADED');
    expect((err as ClaudeError).attempts).toBe(3);
    expect(waits).toHaveLength(2);
  });

  it('does not wait out a retry-after longer than maxRetryAfterMs', async () => {
    const waits: number[] = [];
    const err = await withRetries(
      async () => {
        throw new ClaudeError('ERATELIMIT', 'rate limited', { retryable: true, retryAfterMs: 3_600_000 });
      },
      { policy: defaultRetryPolicy, sleep: async (ms) => void waits.push(ms), random: () => 0 },
    ).catch((e: unknown) => e);
    expect((err as ClaudeError).attempts).toBe(1);
    expect(waits).toEqual([]);
  });
});
