/**
 * The `claude -p --output-format stream-json` events: one JSON object per stdout line. Read
 * into what the CLI transport needs, classified by the fields the CLI sets for machines
 * (`apiKeySource`, `subtype`, `error`, `api_error_status`, `rate_limit_info.status`), never by
 * the human text next to them (its wording changes between CLI versions).
 *
 * Shapes as CLI 2.1.330 prints them (measured against the simulator):
 * - `system/init` first, with `apiKeySource` (`none` on the subscription) and `model`;
 * - `system/api_retry` per retry the CLI makes itself (`error_status`, `error`);
 * - `stream_event` per SSE event (with --include-partial-messages): the watchdog's food, and
 *   each API request's own usage (`message_start`, then `message_delta`'s final counts);
 * - `assistant` with the reply, or a synthetic one carrying `error: 'authentication_failed'`
 *   (no credential, or the token was refused) or `error: 'rate_limit'`, plus `request_id`;
 * - `rate_limit_event` with `rate_limit_info.status` `allowed` or `rejected` (+ `resetsAt`, s);
 * - `result` last: `subtype`, `is_error`, `result` (the text), `usage`, `total_cost_usd`,
 *   `modelUsage` (by model id), `api_error_status`.
 */

import type { Usage } from '@anthropic-ai/sdk/resources/messages/messages';

/** One decoded event (only the fields read here are typed). */
export interface CliEvent {
  type?: string;
  subtype?: string;
  session_id?: string;
  apiKeySource?: string;
  model?: string;
  error?: string;
  request_id?: string;
  api_error_status?: number | null;
  rate_limit_info?: { status?: string; resetsAt?: number };
  message?: { model?: string; stop_reason?: string | null };
  is_error?: boolean;
  result?: string;
  stop_reason?: string | null;
  total_cost_usd?: number;
  num_turns?: number;
  duration_ms?: number;
  usage?: {
    input_tokens?: number;
    output_tokens?: number;
    cache_creation_input_tokens?: number;
    cache_read_input_tokens?: number;
    cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
  };
  modelUsage?: Record<string, unknown>;
  /** The SSE event of a `stream_event`. */
  event?: {
    type?: string;
    message?: { id?: string; model?: string; usage?: Record<string, unknown> };
    usage?: Record<string, unknown>;
  };
}

/** One API request of the run, from its stream events: this request's usage alone. */
export interface CliRequest {
  /** The API message id (`msg_...`), which Claude Code's session logs also record. */
  id: string | undefined;
  model: string | undefined;
  usage: Record<string, unknown>;
}

/** What a run's stream said, folded event by event. */
export interface CliSummary {
  events: number;
  /** The first system/init event. */
  init?: CliEvent;
  result?: CliEvent;
  /** `system/api_retry` events: retries the CLI made on its own. */
  apiRetries: number;
  /** An assistant event said `authentication_failed`: not logged in, or the login was refused. */
  authFailed: boolean;
  /** The HTTP status behind the auth failure; absent when the CLI had no credential at all. */
  authStatus?: number;
  /** The plan's rate limit refused the request. */
  rateLimited: boolean;
  /** When the limit resets, epoch seconds, if the CLI said. */
  rateLimitResetsAt?: number;
  /** The model the reply came from (`<synthetic>` replies are the CLI's own and are skipped). */
  replyModel?: string;
  lastRequestId: string | null;
  /** The CLI's session id, from the last event that carried one. */
  sessionId?: string;
  /**
   * Every API request of this run that reached `message_start`, with its own usage. The
   * result's `usage` can miss the last request (a run stopped by --max-budget-usd) and its
   * `total_cost_usd` and `modelUsage` are the session's running totals after --resume; these
   * are what this run was billed.
   */
  requests: CliRequest[];
}

/** A fresh summary. */
export function emptySummary(): CliSummary {
  return { events: 0, apiRetries: 0, authFailed: false, rateLimited: false, lastRequestId: null, requests: [] };
}

/** Folds one event into the summary. */
export function foldEvent(s: CliSummary, e: CliEvent): void {
  s.events += 1;
  if (typeof e.session_id === 'string') s.sessionId = e.session_id;
  if (e.type === 'system' && e.subtype === 'init' && s.init === undefined) s.init = e;
  if (e.type === 'system' && e.subtype === 'api_retry') s.apiRetries += 1;
  if (e.type === 'rate_limit_event' && e.rate_limit_info?.status === 'rejected') {
    s.rateLimited = true;
    if (typeof e.rate_limit_info.resetsAt === 'number') s.rateLimitResetsAt = e.rate_limit_info.resetsAt;
  }
  if (e.type === 'assistant') {
    if (typeof e.request_id === 'string') s.lastRequestId = e.request_id;
    if (e.error === 'authentication_failed') {
      s.authFailed = true;
      if (typeof e.api_error_status === 'number') s.authStatus = e.api_error_status;
    }
    if (e.error === 'rate_limit') s.rateLimited = true;
    const model = e.message?.model;
    if (typeof model === 'string' && !model.startsWith('<')) s.replyModel = model;
  }
  if (e.type === 'result' && s.result === undefined) s.result = e;
  if (e.type === 'stream_event') foldRequest(s, e);
}

/** message_start opens a request; message_delta carries its final (cumulative) counts. */
function foldRequest(s: CliSummary, e: CliEvent): void {
  const ev = e.event;
  if (ev?.type === 'message_start' && ev.message?.usage) {
    s.requests.push({ id: ev.message.id, model: ev.message.model, usage: { ...ev.message.usage } });
  } else if (ev?.type === 'message_delta' && ev.usage) {
    const last = s.requests.at(-1);
    if (last) for (const [k, v] of Object.entries(ev.usage)) if (v !== null && v !== undefined) last.usage[k] = v;
  }
}

/** The run outcome named by the result event's subtype. */
export type ResultOutcome = 'success' | 'error_max_turns' | 'error_max_budget_usd' | 'error_during_execution' | 'error';

/** Maps a result event to an outcome: a `success` subtype with `is_error` is an error. */
export function outcomeOf(result: CliEvent): ResultOutcome {
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

/** The result event's usage in the SDK's shape (zeros where the CLI said nothing). */
export function usageOf(result: CliEvent | undefined): Usage {
  const u = result?.usage ?? {};
  return {
    input_tokens: u.input_tokens ?? 0,
    output_tokens: u.output_tokens ?? 0,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    cache_creation: {
      ephemeral_5m_input_tokens: u.cache_creation?.ephemeral_5m_input_tokens ?? 0,
      ephemeral_1h_input_tokens: u.cache_creation?.ephemeral_1h_input_tokens ?? 0,
    },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: null,
    speed: null,
  };
}
