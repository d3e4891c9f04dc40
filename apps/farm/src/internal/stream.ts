/**
 * The CLI's `--output-format stream-json` events: one JSON object per stdout line. This file
 * reads them into what the router needs, classifying by the fields the CLI sets for machines
 * (`apiKeySource`, `subtype`, `error`, `rate_limit_info.status`), never by message text.
 */

/** One decoded event (only the fields we read are typed). */
export interface StreamEvent {
  type?: string;
  subtype?: string;
  session_id?: string;
  apiKeySource?: string;
  model?: string;
  /** On a synthetic assistant message: `authentication_failed`, `rate_limit`, ... */
  error?: string;
  request_id?: string;
  rate_limit_info?: { status?: string; resetsAt?: number };
  is_error?: boolean;
  result?: string;
  total_cost_usd?: number;
  num_turns?: number;
  duration_ms?: number;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_creation_input_tokens?: number;
    cache_read_input_tokens?: number;
  };
  modelUsage?: Record<string, unknown>;
  api_error_status?: number | null;
}

/** What a run's stream said, accumulated event by event. */
export interface StreamSummary {
  events: number;
  init?: StreamEvent;
  result?: StreamEvent;
  /** `system/api_retry` events seen. */
  apiRetries: number;
  /** The CLI reported it has no credential (assistant `error: authentication_failed`). */
  notLoggedIn: boolean;
  /** The plan's rate limit rejected the request (`rate_limit_event` status rejected, or an assistant `error: rate_limit`). */
  rateLimited: boolean;
  rateLimitResetsAt?: number;
  lastRequestId: string | null;
  sessionId?: string;
}

/** A fresh summary. */
export function emptySummary(): StreamSummary {
  return { events: 0, apiRetries: 0, notLoggedIn: false, rateLimited: false, lastRequestId: null };
}

/** Folds one event into the summary. */
export function foldEvent(s: StreamSummary, e: StreamEvent): void {
  s.events += 1;
  if (typeof e.session_id === 'string') s.sessionId = e.session_id;
  if (e.type === 'system' && e.subtype === 'init' && s.init === undefined) s.init = e;
  if (e.type === 'system' && e.subtype === 'api_retry') s.apiRetries += 1;
  if (e.type === 'rate_limit_event' && e.rate_limit_info?.status === 'rejected') {
    s.rateLimited = true;
    if (typeof e.rate_limit_info.resetsAt === 'number') s.rateLimitResetsAt = e.rate_limit_info.resetsAt;
  }
  if (e.type === 'assistant') {
    if (e.error === 'authentication_failed') s.notLoggedIn = true;
    if (e.error === 'rate_limit') s.rateLimited = true;
    if (typeof e.request_id === 'string') s.lastRequestId = e.request_id;
  }
  if (e.type === 'result') s.result = e;
}

/** The run outcome named by the result event's subtype. */
export type ResultOutcome = 'success' | 'error_max_turns' | 'error_max_budget_usd' | 'error_during_execution' | 'error';

/** Maps a result event to an outcome: a `success` subtype with `is_error` is an error. */
export function outcomeOf(result: StreamEvent): ResultOutcome {
  switch (result.subtype) {
    case 'success':
      return result.is_error === true ? 'error' : 'success';
    case 'error_max_turns':
    case 'error_max_budget_usd':
    case 'error_during_execution':
      return result.subtype;
    default:
      return 'error';
  }
}
