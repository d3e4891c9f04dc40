/**
 * Options of the API client (createClaudeClient): the common ones (client-options.ts) plus the
 * key, the endpoint, retries, caching and timeouts, with their defaults and the check made when
 * a client is built (each message names the option and the value it got; the API key is never
 * echoed).
 */
import type { CacheTtl } from '../../cache.ts';
import { ClaudeError } from '../../errors.ts';
import { defaultRetryPolicy, type RetryPolicy } from '../../retry-policy.ts';
import { bad, type CommonClientOptions, positive, type ResolvedCommonOptions, resolveCommonOptions } from '../client-options.ts';

export type { LedgerSink } from '../client-options.ts';

/** Options of createClaudeClient. */
export interface ClaudeClientOptions extends CommonClientOptions {
  /** The API key, sent in x-api-key only; never logged or written to the ledger. */
  apiKey: string;
  /** The file the key came from, named when the API refuses it. Default 'repos.env'. */
  keyFile?: string;
  /** Default 'https://api.anthropic.com'. Tests pass the simulator's url. */
  baseURL?: string;
  retry?: Partial<RetryPolicy>;
  /** TTL of system-prompt cache writes. Default '5m'. */
  cacheTtl?: CacheTtl;
  /** Per-request timeout. Default 120 000 ms. */
  timeoutMs?: number;
  /** A stream silent this long is aborted and retried. Default 60 000 ms. */
  streamIdleMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/** Options after defaults and checks. */
export interface ResolvedOptions extends ResolvedCommonOptions {
  apiKey: string;
  keyFile: string;
  baseURL: string;
  retry: RetryPolicy;
  cacheTtl: CacheTtl;
  timeoutMs: number;
  streamIdleMs: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fetch: ClaudeClientOptions['fetch'];
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Applies defaults and checks every option; throws ClaudeError ECONFIG naming the first bad one. */
export function resolveOptions(o: ClaudeClientOptions): ResolvedOptions {
  if (typeof o.apiKey !== 'string' || o.apiKey.trim() === '') {
    // The value is not shown: it is (or was meant to be) a secret.
    throw new ClaudeError('ECONFIG', `option apiKey must be a non-empty string; set ANTHROPIC_API_KEY in ${o.keyFile ?? 'repos.env'}`);
  }
  const common = resolveCommonOptions(o, o.apiKey);
  const retry: RetryPolicy = { ...defaultRetryPolicy, ...o.retry };
  if (!Number.isInteger(retry.maxRetries) || retry.maxRetries < 0) bad('retry.maxRetries', retry.maxRetries, 'an integer >= 0');
  positive('retry.baseDelayMs', retry.baseDelayMs, true);
  positive('retry.maxDelayMs', retry.maxDelayMs, true);
  positive('retry.maxRetryAfterMs', retry.maxRetryAfterMs, true);
  const cacheTtl = o.cacheTtl ?? '5m';
  if (cacheTtl !== '5m' && cacheTtl !== '1h') bad('cacheTtl', cacheTtl, "'5m' or '1h'");
  const baseURL = o.baseURL ?? 'https://api.anthropic.com';
  if (!URL.canParse(baseURL)) bad('baseURL', baseURL, 'an absolute URL');
  return {
    ...common,
    apiKey: o.apiKey,
    keyFile: o.keyFile ?? 'repos.env',
    baseURL,
    retry,
    cacheTtl,
    timeoutMs: positive('timeoutMs', o.timeoutMs ?? 120_000),
    streamIdleMs: positive('streamIdleMs', o.streamIdleMs ?? 60_000),
    sleep: o.sleep ?? realSleep,
    random: o.random ?? Math.random,
    fetch: o.fetch,
  };
}
