/**
 * The Claude client: default model Haiku 5.5, one p-retry loop with backoff
 * (SDK retries off), a per-run budget checked before sending, system-prompt
 * caching when it pays, a fallback model, and one ledger row per call.
 *
 * @example
 * const claude = createClaudeClient({ apiKey: scope.values.ANTHROPIC_API_KEY, keyFile: scope.file,
 *   app: 'digest', job: 'am', runId, budgetUsd: 0.5, ledger, redact: scope.redact, logger });
 * const { text, usd } = await claude.message({ callSite: 'digest.summarize', system, messages, maxTokens: 800 });
 */
import { Budget } from './budget.ts';
import { ClaudeError } from './errors.ts';
import type { PricingTable } from './pricing.ts';
import { type ClientContext, type MessageResult, runCall } from './internal/api/call.ts';
import { type ClaudeClientOptions, resolveOptions } from './internal/api/options.ts';
import type { MessageRequest } from './internal/request.ts';
import { buildSdk } from './internal/api/sdk.ts';

export type { ClaudeClientOptions, LedgerSink } from './internal/api/options.ts';
export type { MessageRequest } from './internal/request.ts';
export type { MessageResult } from './internal/api/call.ts';

/** A client bound to one run (app, job, run id, budget). */
export interface ClaudeClient {
  /** Sends one logical call; throws ClaudeError (BudgetExceededError, RateLimitError, AuthError, ...). */
  message(req: MessageRequest): Promise<MessageResult>;
  /** USD spent by this client's settled calls. */
  spentUsd(): number;
  /** USD left under the budget, minus calls in flight. */
  remainingUsd(): number;
  /** The default model and fallback this client names on every call. */
  readonly model: string;
  readonly fallbackModel: string | null;
  /** The pricing table in use (built-in plus overrides). */
  readonly pricing: PricingTable;
  /**
   * Who pays: 'api' (this client, billed to the key) or 'subscription' (the CLI transport of
   * `./cli-client`, plan usage). Optional so wrappers that forward a client need not set it.
   */
  readonly path?: 'api' | 'subscription';
}

const contexts = new WeakMap<ClaudeClient, ClientContext>();

/** Internal: the context behind a client, for the batch and structured helpers. */
export function clientContext(client: ClaudeClient): ClientContext {
  const ctx = contexts.get(client);
  if (!ctx && client.path === 'subscription') {
    throw new ClaudeError('ECONFIG', 'Message Batches need the API client: the subscription (CLI transport) has no batch API; send direct calls');
  }
  if (!ctx) throw new TypeError('not a client made by createClaudeClient');
  return ctx;
}

/**
 * Builds a client. Options are checked now (ClaudeError ECONFIG naming the
 * option); nothing is sent until the first call.
 */
export function createClaudeClient(options: ClaudeClientOptions): ClaudeClient {
  const opts = resolveOptions(options);
  const ctx: ClientContext = {
    opts,
    sdk: buildSdk({
      apiKey: opts.apiKey,
      baseURL: opts.baseURL,
      timeoutMs: opts.timeoutMs,
      fetch: opts.fetch,
      logger: opts.logger,
      redact: opts.redact,
    }),
    budget: new Budget(opts.budgetUsd),
  };
  const client: ClaudeClient = {
    message: (req) => runCall(ctx, req),
    spentUsd: () => ctx.budget.spentUsd(),
    remainingUsd: () => ctx.budget.remainingUsd(),
    model: opts.model,
    fallbackModel: opts.fallbackModel,
    pricing: opts.pricing,
    path: 'api',
  };
  contexts.set(client, ctx);
  return client;
}
