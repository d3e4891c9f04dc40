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

/**
 * The switches that keep the CLI from calling anything but the Messages API (telemetry,
 * feature flags, update checks, error reports): pass them as childEnv's `set`.
 */
export const CLI_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_AUTOUPDATER: '1',
});

/**
 * The parent variables the CLI needs for the subscription login besides childEnv's default
 * allowlist: a long-lived token from `claude setup-token`, and a non-default config dir.
 */
export const CLI_AUTH_ALLOW: readonly string[] = Object.freeze(['CLAUDE_CODE_OAUTH_TOKEN', 'CLAUDE_CONFIG_DIR']);

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
