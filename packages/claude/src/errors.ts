/**
 * Errors of @jobs/claude: one base class with a typed `code`, and subclasses only
 * where a caller branches (budget, rate limit, auth, structured output).
 * Messages say what happened and what to do; they never carry a secret (they
 * pass through the injected redactor where they quote anything external).
 * Every error carries the process `exitCode` its code maps to (ECONFIG and EAUTH_PATH 78, else 1).
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Every code a ClaudeError can carry. */
export type ClaudeErrorCode =
  | 'ECONFIG' // client options invalid
  | 'EAUTH' // 401: the key was refused
  | 'EPERMISSION' // 403
  | 'EBADREQUEST' // 400, 422
  | 'ENOTFOUND' // 404 (often: a model id that does not exist)
  | 'ETOOLARGE' // 413: the request body is too large
  | 'EPROMPT_TOO_LARGE' // refused locally: the prompt would cross the model's cheap price tier
  | 'EBILLING' // 402 or billing_error outside a 429
  | 'ESPENDLIMIT' // 429 spend limit: final, never retried
  | 'ERATELIMIT' // 429 rate limit
  | 'EOVERLOADED' // 529 or overloaded_error (also inside a 200 stream)
  | 'ESERVER' // other 5xx, api_error
  | 'ETIMEOUT' // 408, timeout_error, client-side timeout
  | 'ECONFLICT' // 409
  | 'ECONNECTION' // no HTTP response: refused, reset, dropped
  | 'ESTREAM' // a stream that broke or ended without a message
  | 'EBUDGET' // refused locally: the estimate would cross the run's budget
  | 'ESCHEMA' // a structured reply failed validation twice
  | 'EABORTED' // the caller aborted
  | 'EAPIKEY_SOURCE' // CLI transport: the claude CLI would bill an API key, not the subscription
  | 'EAUTH_PATH' // CLI transport: its env or settings would bill someone other than the subscription; not started
  | 'ESTALL' // CLI transport: no stream event within the inactivity watchdog; the process group was killed
  | 'ENO_RESULT' // CLI transport: the CLI exited 0 without a result event
  | 'ECLI' // CLI transport: the CLI could not be started, or failed without an API error to classify
  | 'EUNKNOWN';

/** The codes that mean the configuration must change (exit 78). */
const CONFIG_CODES: readonly ClaudeErrorCode[] = ['ECONFIG', 'EAUTH_PATH'];

/** Context carried by a ClaudeError (never secrets). */
export interface ClaudeErrorContext {
  status?: number | undefined;
  /** The API's error `type` (e.g. overloaded_error), when it sent one. */
  type?: string | undefined;
  /** The API's `error.details.error_code`, when it sent one. */
  apiErrorCode?: string | undefined;
  requestId?: string | null | undefined;
  model?: string | undefined;
  attempts?: number | undefined;
  retryable?: boolean | undefined;
  retryAfterMs?: number | undefined;
  cause?: unknown;
}

/** Base error of this package. Classify with `code` or `instanceof`, never the message. */
export class ClaudeError extends Error {
  override readonly name: string = 'ClaudeError';
  readonly code: ClaudeErrorCode;
  readonly status: number | undefined;
  readonly type: string | undefined;
  readonly apiErrorCode: string | undefined;
  readonly requestId: string | null;
  readonly model: string | undefined;
  /** Requests sent for the logical call when it failed (0 when refused locally). */
  attempts: number | undefined;
  /** Whether the retry policy would try again. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** The process exit status this failure maps to (read by @jobs/core's exitCodeOf). */
  readonly exitCode: ExitCode;

  constructor(code: ClaudeErrorCode, message: string, context: ClaudeErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.status = context.status;
    this.type = context.type;
    this.apiErrorCode = context.apiErrorCode;
    this.requestId = context.requestId ?? null;
    this.model = context.model;
    this.attempts = context.attempts;
    this.retryable = context.retryable ?? false;
    this.retryAfterMs = context.retryAfterMs;
    this.exitCode = exitCodeFor(code, { config: CONFIG_CODES });
  }
}

/**
 * True for a ClaudeError, also one from a second copy of this module (a bundled or duplicated
 * install), recognised by its shape: `code`, `retryable`, and a name ending in Error.
 */
export function isClaudeError(err: unknown): err is ClaudeError {
  return err instanceof ClaudeError || (err instanceof Error && err.name.endsWith('Error') && typeof (err as { code?: unknown }).code === 'string' && 'retryable' in err);
}

/** The call was refused before sending: its estimated cost would cross the run's budget. */
export class BudgetExceededError extends ClaudeError {
  override readonly name = 'BudgetExceededError';
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly estimateUsd: number;

  constructor(args: { budgetUsd: number; spentUsd: number; estimateUsd: number; model: string; callSite: string }) {
    super(
      'EBUDGET',
      `call ${args.callSite} refused before sending: estimated $${fmt(args.estimateUsd)} on ${args.model} ` +
        `would bring this run to $${fmt(args.spentUsd + args.estimateUsd)}, over its budget of $${fmt(args.budgetUsd)}; ` +
        'raise budgetUsd, shorten the prompt, or lower maxTokens',
      { model: args.model, attempts: 0 },
    );
    this.budgetUsd = args.budgetUsd;
    this.spentUsd = args.spentUsd;
    this.estimateUsd = args.estimateUsd;
  }
}

/** A 429: a rate limit (retryable, `retryAfterMs` from the server) or a spend limit (final). */
export class RateLimitError extends ClaudeError {
  override readonly name = 'RateLimitError';
}

/** A 401 (or 403): the credential was refused; on the CLI transport also "not logged in". Never retried. */
export class AuthError extends ClaudeError {
  override readonly name = 'AuthError';
}

/** A structured reply that failed to parse or validate, after one retry. */
export class StructuredOutputError extends ClaudeError {
  override readonly name = 'StructuredOutputError';
  /** Validation issues of the last reply (paths and messages, no reply text). */
  readonly issues: readonly string[];

  constructor(message: string, issues: readonly string[], context: ClaudeErrorContext = {}) {
    super('ESCHEMA', message, context);
    this.issues = issues;
  }
}

function fmt(usd: number): string {
  return usd < 0.01 ? usd.toPrecision(3) : usd.toFixed(4);
}
