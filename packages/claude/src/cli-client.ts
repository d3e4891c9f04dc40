/**
 * The subscription transport: the same `message(req)` contract as createClaudeClient, served
 * by the `claude` CLI (`claude -p`) on the owner's logged-in plan instead of the Messages API
 * with a key. An app builds one or the other behind the shared `ClaudeClient` type.
 *
 * Guards: the env must carry no API key or cloud flag (checked when the client is built), and
 * the CLI's first `system/init` event must say `apiKeySource: none` (checked at run time: a
 * wrapper or settings file can still slip a key in); an inactivity watchdog kills the CLI's
 * process group; "not logged in" is an AuthError, a rejected plan rate limit a RateLimitError;
 * a run that exits 0 without a result is an error. One ledger row per call, `path:
 * 'subscription'`, `usd` = the CLI's `total_cost_usd` (what the API would have charged).
 *
 * @example
 * const { env } = childEnv('subscription', { parentEnv: process.env, allow: CLI_AUTH_ALLOW, set: CLI_QUIET_ENV });
 * const claude = createClaudeCliClient({ env, bin: 'claude', app: 'digest', job: 'am', runId, budgetUsd: 0.5, ledger });
 * const { text, usd } = await claude.message({ callSite: 'digest.summarize', system, messages, maxTokens: 800 });
 */
import { Budget } from './budget.ts';
import type { ClaudeClient } from './client.ts';
import { type CliContext, runCliCall } from './internal/cli/call.ts';
import { type ClaudeCliClientOptions, resolveCliOptions } from './internal/cli/options.ts';

export type { ClaudeCliClientOptions } from './internal/cli/options.ts';
export type { SpawnFn } from './cli-run.ts';
export type { ClaudeClient, MessageRequest, MessageResult } from './client.ts';

export { CLI_AUTH_ALLOW, CLI_QUIET_ENV } from './internal/cli/env.ts';

/** A ClaudeClient on the CLI transport; `path` says who pays. */
export interface ClaudeCliClient extends ClaudeClient {
  readonly path: 'subscription';
}

/**
 * Builds a CLI-transport client. Options are checked now (ClaudeError ECONFIG naming the
 * option); the CLI is not started until the first call.
 */
export function createClaudeCliClient(options: ClaudeCliClientOptions): ClaudeCliClient {
  const opts = resolveCliOptions(options);
  const ctx: CliContext = { opts, budget: new Budget(opts.budgetUsd) };
  return {
    message: (req) => runCliCall(ctx, req),
    spentUsd: () => ctx.budget.spentUsd(),
    remainingUsd: () => ctx.budget.remainingUsd(),
    model: opts.model,
    fallbackModel: opts.fallbackModel,
    pricing: opts.pricing,
    path: 'subscription',
  };
}
