/**
 * Turns anything the SDK (or fetch) throws into a ClaudeError, at the boundary.
 * Classification uses instanceof, the HTTP status, the API's error `type` and
 * `details.error_code`; never the message text (its wording is not stable).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from '@anthropic-ai/sdk';
import {
  AuthError,
  ClaudeError,
  type ClaudeErrorCode,
  type ClaudeErrorContext,
  RateLimitError,
} from '../../errors.ts';
import { parseRetryAfter } from '../../retry-policy.ts';

/** What the normalizer needs to write a useful message. */
export interface NormalizeContext {
  model: string;
  /** The file the API key came from, named in 401 messages (never the key). */
  keyFile: string;
  redact: (s: string) => string;
  nowMs: number;
}

/** error.details.error_code values that mean a spend limit, not a rate limit. */
const SPEND_LIMIT_CODES = new Set(['contract_spend_limit_reached', 'enforced_spend_limit_reached']);

/** Normalizes one thrown value. A ClaudeError passes through unchanged. */
export function toClaudeError(err: unknown, ctx: NormalizeContext): ClaudeError {
  if (err instanceof ClaudeError) return err;
  if (err instanceof APIUserAbortError) {
    return new ClaudeError('EABORTED', 'the request was aborted by the caller', { model: ctx.model, cause: err });
  }
  if (err instanceof APIConnectionTimeoutError) {
    return new ClaudeError('ETIMEOUT', `no response from the API within the client timeout (model ${ctx.model})`, {
      model: ctx.model,
      retryable: true,
      cause: err,
    });
  }
  if (err instanceof APIConnectionError) {
    return new ClaudeError(
      'ECONNECTION',
      `could not reach the API (connection refused, reset or dropped) for model ${ctx.model}: check baseURL and the network`,
      { model: ctx.model, retryable: true, cause: err },
    );
  }
  if (err instanceof APIError) return fromApiError(err, ctx);
  // A socket torn down while the body streams surfaces from fetch as a TypeError or a
  // system error, after the SDK has handed us the response: still a connection failure.
  if (err instanceof Error) {
    return new ClaudeError('ECONNECTION', `the connection failed mid-response (${err.name}) for model ${ctx.model}`, {
      model: ctx.model,
      retryable: true,
      cause: err,
    });
  }
  return new ClaudeError('EUNKNOWN', `unexpected failure calling model ${ctx.model}`, { model: ctx.model, cause: err });
}

function fromApiError(err: APIError, ctx: NormalizeContext): ClaudeError {
  const status = err.status;
  const type = err.type ?? undefined;
  const apiErrorCode = err.errorCode ?? undefined;
  const retryAfterMs = parseRetryAfter(err.headers, ctx.nowMs);
  const base: ClaudeErrorContext = {
    status,
    type,
    apiErrorCode,
    requestId: err.requestID ?? null,
    model: ctx.model,
    cause: err,
    retryAfterMs,
  };
  const detail = err.apiMessage ? `: ${ctx.redact(err.apiMessage)}` : '';
  const make = (code: ClaudeErrorCode, message: string, retryable: boolean) =>
    new ClaudeError(code, message + detail, { ...base, retryable });

  // No status: an `error` event inside a 200 SSE stream. The SDK does not retry these.
  if (status === undefined) {
    if (type === 'overloaded_error') return make('EOVERLOADED', `model ${ctx.model} overloaded mid-stream`, true);
    if (type === 'rate_limit_error') {
      return new RateLimitError('ERATELIMIT', `rate limited mid-stream on ${ctx.model}${detail}`, {
        ...base,
        retryable: true,
      });
    }
    if (type === 'api_error' || type === 'timeout_error') return make('ESERVER', `stream failed (${type})`, true);
    return make('ESTREAM', `stream failed with ${type ?? 'an unknown error'}`, false);
  }
  if (status === 401) {
    return new AuthError(
      'EAUTH',
      `the ANTHROPIC_API_KEY in ${ctx.keyFile} was refused (401 ${type ?? 'authentication_error'}): ` +
        `put a valid key for this workspace in ${ctx.keyFile}`,
      { ...base, retryable: false },
    );
  }
  if (status === 403) {
    return new AuthError(
      'EPERMISSION',
      `the ANTHROPIC_API_KEY in ${ctx.keyFile} may not use ${ctx.model} (403): grant its workspace access to the model or pick another model${detail}`,
      { ...base, retryable: false },
    );
  }
  if (status === 429) {
    // A spend limit is final: no retry-after, billing type or a spend-limit code. Retrying it is a storm.
    if (type === 'billing_error' || (apiErrorCode !== undefined && SPEND_LIMIT_CODES.has(apiErrorCode))) {
      return new RateLimitError(
        'ESPENDLIMIT',
        `spend limit reached (429 ${apiErrorCode ?? type}): raise the limit in the Console or wait for the next period; not retried${detail}`,
        { ...base, retryable: false },
      );
    }
    const after = retryAfterMs === undefined ? '' : ` (retry-after ${Math.ceil(retryAfterMs / 1000)} s)`;
    return new RateLimitError('ERATELIMIT', `rate limited on ${ctx.model}${after}${detail}`, {
      ...base,
      retryable: true,
    });
  }
  if (status === 529 || type === 'overloaded_error') return make('EOVERLOADED', `model ${ctx.model} overloaded (${status})`, true);
  if (status === 408) return make('ETIMEOUT', `the API timed out the request (408)`, true);
  if (status === 409) return make('ECONFLICT', `conflict (409)`, true);
  if (status >= 500) return make('ESERVER', `API server error (${status})`, true);
  if (status === 400 || status === 422) {
    return make('EBADREQUEST', `the API rejected the request as invalid (${status}): fix the request parameters`, false);
  }
  if (status === 402) return make('EBILLING', `billing problem on the account (402): check billing in the Console`, false);
  if (status === 404) {
    return make('ENOTFOUND', `not found (404): check that model ${ctx.model} exists and baseURL is right`, false);
  }
  if (status === 413) {
    return make('ETOOLARGE', `request too large (413): send less text per call or split the work`, false);
  }
  return make('EUNKNOWN', `unexpected API status ${status}`, false);
}
