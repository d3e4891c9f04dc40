/**
 * Public types of the Anthropic Messages API simulator: the request log entry, the scripted
 * steps, the usage object and the options.
 */
import type { Logger } from '@jobs/core/logger';

export type { Logger } from '@jobs/core/logger';

/** Usage as the Messages API reports it (cache fields included). */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  cache_creation: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
  service_tier: 'standard' | 'batch';
}

/** The JSON body of a Messages request, loosely typed: the simulator reads only these fields. */
export interface MessagesBody {
  model?: unknown;
  messages?: unknown;
  system?: unknown;
  tools?: unknown;
  max_tokens?: unknown;
  stream?: unknown;
  cache_control?: unknown;
  [key: string]: unknown;
}

/** Which credential a request carried (values kept so tests can assert one was or wasn't sent). */
export interface SimCredential {
  /** The `x-api-key` header, if any. */
  apiKey: string | undefined;
  /** The token of an `Authorization: Bearer` header, if any (an OAuth token, or an API key
   * as @anthropic-ai/sdk 1.x sends it). */
  bearer: string | undefined;
  /** Whichever credential was sent (`apiKey` first): use it to assert a key was or wasn't sent. */
  value: string | undefined;
}

/** One entry of the request log. Every request is logged, unknown paths included. */
export interface SimRequest {
  /** 1-based sequence number. */
  id: number;
  method: string;
  /** The path without the query string (the CLI calls `/v1/messages?beta=true`). */
  path: string;
  query: Record<string, string>;
  /** Header names lowercased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  body: MessagesBody | undefined;
  /** The injected `now()` when the request arrived. */
  at: number;
  credential: SimCredential;
  /** HTTP status sent (undefined while pending, for a drop, or for a stall before headers). */
  status?: number;
  /** The `request-id` header sent back. */
  requestId?: string;
  /** The step that answered a Messages request (after queue/responder/default resolution). */
  step?: SimStep['kind'];
  /** Set on the synthetic per-item requests handed to `respond()` for a batch; never logged. */
  batch?: { id: string; customId: string };
}

/** A Messages request as handed to `respond()`: its body is always a parsed object. */
export type SimMessagesRequest = SimRequest & { body: MessagesBody };

interface StepBase {
  /** Delay before the response starts (added to nothing: it replaces `options.latencyMs`). */
  latencyMs?: number;
}

/** A successful reply. `text` becomes one text block; `content` gives the blocks verbatim. */
export interface ReplyStep extends StepBase {
  kind: 'reply';
  text?: string;
  /** Shorthand for `text: JSON.stringify(json)`, for structured-output callers. */
  json?: unknown;
  content?: unknown[];
  stopReason?: string;
  /** Overrides the computed usage field by field. */
  usage?: Partial<Usage>;
  model?: string;
  headers?: Record<string, string>;
}

/** An HTTP error with a body in the API's error shape. */
export interface ErrorStep extends StepBase {
  kind: 'error';
  status: number;
  /** e.g. overloaded_error, rate_limit_error, authentication_error, billing_error, api_error. */
  type: string;
  message?: string;
  /** e.g. { 'retry-after': '2' } or { 'retry-after-ms': '150' }. */
  headers?: Record<string, string>;
}

/** A 200 SSE stream that sends `afterEvents` events, then an `event: error`, then ends. */
export interface StreamErrorStep extends StepBase {
  kind: 'stream-error';
  afterEvents: number;
  type: string;
  message?: string;
  /** Text of the partial reply streamed before the error. */
  text?: string;
}

/** A 200 SSE stream that sends `afterEvents` events and then goes silent, socket open. */
export interface StallStep extends StepBase {
  kind: 'stall';
  afterEvents: number;
  text?: string;
}

/** The socket is destroyed without any response. */
export interface DropStep extends StepBase {
  kind: 'drop';
}

/** What the simulator does for one Messages request. */
export type SimStep = ReplyStep | ErrorStep | StreamErrorStep | StallStep | DropStep;

/** Decides a step for a request when the queue is empty; `undefined` means the default reply. */
export type SimResponder = (req: SimMessagesRequest) => SimStep | undefined;

/** When a created batch ends. `{ afterMs }` is measured on the injected clock. */
export type BatchProcessing = 'immediate' | 'never' | { afterMs: number };

/** Options of `startAnthropicSimulator`. */
export interface AnthropicSimulatorOptions {
  /** Default delay before every Messages response, in ms. Default 0. */
  latencyMs?: number;
  /** Accepted API keys (as `x-api-key` or `Authorization: Bearer`). When this or `oauthTokens`
   * is set, anything else gets a 401. */
  apiKeys?: readonly string[];
  /** Accepted `Authorization: Bearer` tokens (these also need the `oauth-2025-04-20` beta). */
  oauthTokens?: readonly string[];
  /** Clock for the log, prompt-cache TTLs and batch timing. Default `Date.now`. */
  now?: () => number;
  /** How latency is waited. Default a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Default `'immediate'`. */
  batchProcessing?: BatchProcessing;
  /** Text of the default reply, fixed or computed from the request. */
  defaultText?: string | ((req: SimMessagesRequest) => string);
  /** Interface to listen on. Default 127.0.0.1 (loopback only). */
  host?: string;
  logger?: Logger;
}
