/**
 * The one retry loop of this package: p-retry, with exponential backoff and
 * jitter, the server's retry-after as a floor, and every wait taken on the
 * injected `sleep` (p-retry's own timer is turned off with minTimeout 0, so the
 * injected sleeper is the only clock a test has to control). The SDK's retries
 * are off (maxRetries: 0): stacked layers would multiply requests.
 *
 * Which errors are retryable is decided when they are normalized
 * (internal/normalize-error.ts): 408, 409, 429 except spend limits, 5xx, 529,
 * connection errors, and an overloaded_error inside a 200 stream.
 */
import pRetry from 'p-retry';
import { ClaudeError } from './errors.ts';

/** Retry settings. */
export interface RetryPolicy {
  /** Retries after the first attempt (so maxRetries + 1 requests at most). */
  maxRetries: number;
  /** Base of the exponential backoff: the first retry waits around this. */
  baseDelayMs: number;
  /** Cap of the exponential part. */
  maxDelayMs: number;
  /** A retry-after longer than this is not waited for: the call fails with the error at once. */
  maxRetryAfterMs: number;
}

/** Defaults: 4 requests at most, 0.5 s, 1 s, 2 s (jittered), never more than 30 s, retry-after up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Wait before retry number `retry` (1-based): "equal jitter" on an exponential
 * base, so waits spread out but never collapse to zero; the server's
 * retry-after, when given, is the floor.
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number | undefined,
): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(jittered, Math.ceil(retryAfterMs ?? 0));
}

/**
 * Reads `retry-after-ms` (milliseconds, fractional allowed) or `retry-after`
 * (seconds, or an HTTP date) from response headers. Undefined when absent or
 * unparseable; never negative.
 */
export function parseRetryAfter(headers: Headers | undefined, nowMs: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** What the loop tells its caller before each wait. */
export interface RetryEvent {
  /** The attempt that failed (1-based). */
  attempt: number;
  waitMs: number;
  error: ClaudeError;
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the
 * retries are spent; rethrows the last ClaudeError with `attempts` set.
 * `attempt` must throw ClaudeErrors (normalize at the boundary first).
 */
export async function withRetries<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  deps: {
    policy: RetryPolicy;
    sleep: (ms: number) => Promise<void>;
    random: () => number;
    onRetry?: (event: RetryEvent) => void;
  },
): Promise<{ value: T; attempts: number }> {
  let attempts = 0;
  try {
    const value = await pRetry(
      async (n) => {
        attempts = n;
        return attempt(n);
      },
      {
        retries: deps.policy.maxRetries,
        // p-retry's own setTimeout stays at 0 ms: the wait happens in shouldRetry, on the injected sleep.
        minTimeout: 0,
        maxTimeout: 0,
        randomize: false,
        shouldRetry: async ({ error, attemptNumber }) => {
          if (!(error instanceof ClaudeError) || !error.retryable) return false;
          if (error.retryAfterMs !== undefined && error.retryAfterMs > deps.policy.maxRetryAfterMs) return false;
          const waitMs = retryDelayMs(attemptNumber, deps.policy, deps.random, error.retryAfterMs);
          deps.onRetry?.({ attempt: attemptNumber, waitMs, error });
          await deps.sleep(waitMs);
          return true;
        },
      },
    );
    return { value, attempts };
  } catch (error) {
    if (error instanceof ClaudeError) error.attempts = attempts;
    throw error;
  }
}
