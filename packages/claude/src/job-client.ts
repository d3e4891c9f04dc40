/**
 * The Claude transport of a scheduled job, chosen in one place for every job: on the API path
 * (the default) the job's own key from repos.env pays; with `JOBS_CLAUDE_PATH=subscription` (set
 * by `farm run-job --path subscription --allow-subscription`) the `claude` CLI runs on the
 * owner's login with no key in its environment; with no key on the API path there is no client
 * and the job takes its degraded path.
 *
 * @example
 * const claude = jobClaude({ runtime, parentEnv: process.env, apiKey: env.ANTHROPIC_API_KEY, keyFile: scope.file,
 *   app: 'digest', job: 'digest', runId, budgetUsd: 0.05, model, ledger, redact: scope.redact, logger: log });
 * const client = claude.load ? (await claude.load())() : null;
 *
 * Choosing loads nothing heavy: the client's module (and the SDK under it) is imported by
 * `load`, so a run that never calls Claude (no new mail) never loads it.
 */
import type { Logger } from '@jobs/core/logger';
import { childEnv } from '@jobs/credentials/child-env';
import type { RuntimeEnv } from '@jobs/credentials/runtime-env';
import { jobClaudeBin } from '@jobs/credentials/runtime-env';
import type { ClaudeClient, LedgerSink } from './client.ts';
import { CLI_AUTH_ALLOW, CLI_QUIET_ENV } from './internal/cli/env.ts';

/** What a job knows when it picks its transport. */
export interface JobClaudeOptions {
  /** The checked process settings: JOBS_CLAUDE_PATH and the `claude` executable. */
  readonly runtime: Pick<RuntimeEnv, 'JOBS_CLAUDE_PATH' | 'JOBS_CLAUDE_BIN' | 'FARM_CLAUDE_BIN'>;
  /** The parent environment the CLI's allowlisted environment is built from. */
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
  /** The job's API key from repos.env; absent means no client on the API path. */
  readonly apiKey?: string | undefined;
  /** repos.env's path, named when the key is refused. */
  readonly keyFile: string;
  readonly baseURL?: string | undefined;
  readonly app: string;
  readonly job: string;
  readonly runId: string;
  readonly budgetUsd: number;
  readonly model: string;
  readonly fallbackModel?: string | null | undefined;
  readonly ledger: LedgerSink;
  readonly redact: (s: string) => string;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The chosen transport: who pays, and how to build a client (null: no key on the API path). */
export interface JobClaude {
  readonly path: 'api' | 'subscription';
  /**
   * Loads the transport's module and resolves with its client factory; call the factory again
   * for a fresh budget (a watch loop, one per day). Null: no key on the API path.
   */
  readonly load: (() => Promise<() => ClaudeClient>) | null;
}

/** Picks the job's Claude transport; logs what it removed from the CLI's environment. */
export function jobClaude(o: JobClaudeOptions): JobClaude {
  const common = {
    app: o.app,
    job: o.job,
    runId: o.runId,
    budgetUsd: o.budgetUsd,
    model: o.model,
    ledger: o.ledger,
    ...(o.fallbackModel ? { fallbackModel: o.fallbackModel } : {}),
    redact: o.redact,
    logger: o.logger,
    ...(o.now ? { now: o.now } : {}),
  };
  if (o.runtime.JOBS_CLAUDE_PATH === 'subscription') {
    // The owner's plan pays: no API key is needed, and none may reach the CLI.
    const cli = childEnv('subscription', {
      parentEnv: o.parentEnv,
      allow: CLI_AUTH_ALLOW,
      set: { ...CLI_QUIET_ENV, ...(o.baseURL ? { ANTHROPIC_BASE_URL: o.baseURL } : {}) },
    });
    if (cli.removed.length > 0) o.logger.warn({ removed: cli.removed }, 'not passed to claude: these would move billing off the subscription');
    const bin = jobClaudeBin(o.runtime as RuntimeEnv);
    o.logger.info({ claudePath: 'subscription', bin }, 'Claude on the subscription (claude -p, no API key): ledger USD is the API equivalent, not billed');
    return {
      path: 'subscription',
      load: async () => {
        const { createClaudeCliClient } = await import('./cli-client.ts');
        return () => createClaudeCliClient({ ...common, env: cli.env, bin, reason: 'JOBS_CLAUDE_PATH=subscription' });
      },
    };
  }
  const apiKey = o.apiKey;
  if (!apiKey) return { path: 'api', load: null };
  return {
    path: 'api',
    load: async () => {
      const { createClaudeClient } = await import('./client.ts');
      return () =>
        createClaudeClient({
          ...common,
          apiKey,
          keyFile: o.keyFile,
          ...(o.baseURL ? { baseURL: o.baseURL } : {}),
          ...(o.sleep ? { sleep: o.sleep } : {}),
        });
    },
  };
}
