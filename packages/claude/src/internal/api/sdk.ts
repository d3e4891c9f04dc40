/**
 * Builds the @anthropic-ai/sdk client the way this package needs it.
 *
 * - maxRetries: 0. Our retry loop (retry-policy.ts) is the only one; the SDK's
 *   own retries stacked under it would multiply requests.
 * - The key goes in `x-api-key` only. SDK 1.x sends its `apiKey` option as
 *   `Authorization: Bearer`, which is the OAuth scheme; an API key belongs in
 *   x-api-key. So the key is set as a default header, every SDK credential
 *   option is null (which also keeps the SDK from reading ANTHROPIC_API_KEY /
 *   ANTHROPIC_AUTH_TOKEN from the environment), and the subclass turns off the
 *   SDK's lazy "default credential chain" (profile files on disk).
 * - baseURL, webhookKey, logLevel and openTelemetry are always passed, so the
 *   SDK does not fall back to ANTHROPIC_BASE_URL, ANTHROPIC_LOG and friends.
 *   (It still merges ANTHROPIC_CUSTOM_HEADERS, which no option turns off.)
 */
import Anthropic from '@anthropic-ai/sdk';
import type { Logger } from '@jobs/core/logger';

class KeyHeaderAnthropic extends Anthropic {
  // Credentials come only from the x-api-key default header: never from disk.
  protected override _shouldResolveDefaultCredentials(): boolean {
    return false;
  }
}

/** What the wrapper needs. */
export interface SdkOptions {
  apiKey: string;
  baseURL: string;
  timeoutMs: number;
  fetch?: ((input: string | URL | Request, init?: RequestInit) => Promise<Response>) | undefined;
  logger: Logger;
  redact: (s: string) => string;
}

/** A configured SDK client. */
export function buildSdk(options: SdkOptions): Anthropic {
  const log =
    (level: 'error' | 'warn' | 'info' | 'debug') =>
    (message: string): void =>
      options.logger[level]({ component: 'anthropic-sdk' }, options.redact(message));
  return new KeyHeaderAnthropic({
    apiKey: null,
    authToken: null,
    webhookKey: null,
    baseURL: options.baseURL,
    maxRetries: 0,
    timeout: options.timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    defaultHeaders: { 'x-api-key': options.apiKey },
    logLevel: 'warn',
    logger: { error: log('error'), warn: log('warn'), info: log('info'), debug: log('debug') },
    openTelemetry: false,
  });
}
