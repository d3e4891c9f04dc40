/**
 * One task through the `claude` CLI: arguments, the guarded process, the result event mapped to
 * an outcome, the ledger row. Shared by the subscription path and the API path's agent loop
 * (`--bare` with the key in the child's env).
 */
import type { LedgerRow } from '@jobs/ledger/row';
import type { FarmContext } from '../context.ts';
import { FarmError, type FarmErrorCode } from '../errors.ts';
import type { TaskResult } from '../result.ts';
import type { Task } from '../task.ts';
import { type CliProcessResult, runCliProcess } from './cli-process.ts';
import { appendRow, cliRow } from './ledger-row.ts';
import { outcomeOf } from './stream.ts';

/** The default model of every path (named explicitly: never the CLI's own default). */
export const DEFAULT_MODEL = 'claude-haiku-5-5';

/** Inputs of one CLI run. */
export interface CliTaskRun {
  path: LedgerRow['path'];
  reason: string;
  env: Record<string, string>;
  cwd: string;
  prompt: string;
  expectKeySource: string;
  /** Session, MCP and mode flags. */
  extraArgs: string[];
}

/** The headless arguments with every guard the CLI itself enforces. */
export function cliArgs(task: Task, extra: string[]): string[] {
  return [
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    // Partial messages keep the watchdog fed while a long reply streams.
    '--include-partial-messages',
    '--model',
    task.model ?? DEFAULT_MODEL,
    '--max-turns',
    String(task.maxTurns),
    '--max-budget-usd',
    String(task.maxBudgetUsd),
    ...extra,
  ];
}

/** The failure a CLI run ended in, or undefined when it produced a usable result. */
export function cliFailure(run: CliProcessResult, expectKeySource: string): { code: FarmErrorCode; message: string } | undefined {
  const s = run.summary;
  if (run.killed === 'key-source') {
    const src = s.init?.apiKeySource ?? 'unknown';
    return {
      code: 'EAPIKEY_SOURCE',
      message:
        expectKeySource === 'none'
          ? `claude reported apiKeySource "${src}": it would bill the API, not the subscription, so the run was stopped. Something puts a key in its environment (a wrapper script, a settings file env block, apiKeyHelper); run "pnpm farm doctor" and remove it.`
          : `claude reported apiKeySource "${src}" where "${expectKeySource}" was required; the run was stopped. Run "pnpm farm doctor".`,
    };
  }
  if (run.killed === 'stall') return { code: 'ESTALL', message: `claude sent no event for ${Math.round((run.stalledForMs ?? 0) / 1000)} s; its process group was killed (watchdog FARM_WATCHDOG_SECONDS)` };
  if (s.notLoggedIn) return { code: 'ENOT_LOGGED_IN', message: 'claude is not logged in: run "claude /login" (or set CLAUDE_CODE_OAUTH_TOKEN from "claude setup-token") on this host' };
  if (s.rateLimited) {
    const when = s.rateLimitResetsAt ? ` until ${new Date(s.rateLimitResetsAt * 1000).toISOString()}` : '';
    return { code: 'ERATE_LIMITED', message: `the subscription's rate limit rejected the run${when}` };
  }
  if (s.result === undefined) {
    return {
      code: run.exitCode === 0 ? 'ENO_RESULT' : 'ECLI',
      message: run.exitCode === 0 ? 'claude exited 0 without a result event: treated as a failure' : `claude exited with ${run.exitCode ?? run.signal} and no result: ${run.stderr.trim().slice(0, 300)}`,
    };
  }
  if (outcomeOf(s.result) !== 'success') return { code: 'EOUTCOME', message: `claude ended with ${outcomeOf(s.result)}: ${(s.result.result ?? '').slice(0, 300)}` };
  return undefined;
}

/** Runs the CLI for a task and writes its ledger row. Never throws for a CLI failure: see `result.error`. */
export async function runCliTask(ctx: FarmContext, task: Task, r: CliTaskRun): Promise<{ result: TaskResult; run: CliProcessResult }> {
  const model = task.model ?? DEFAULT_MODEL;
  const opts = {
    bin: ctx.claudeBin,
    args: cliArgs(task, r.extraArgs),
    env: r.env,
    cwd: r.cwd,
    stdin: r.prompt,
    watchdogMs: ctx.watchdogMs,
    expectKeySource: r.expectKeySource,
    stopOnRateLimit: true,
    logger: ctx.logger,
    now: ctx.now,
  };
  const run = await runCliProcess(ctx.spawn ? { ...opts, spawn: ctx.spawn } : opts);
  const fail = cliFailure(run, r.expectKeySource);
  const s = run.summary;
  const outcome = s.result && !fail ? outcomeOf(s.result) : s.result ? outcomeOf(s.result) : 'error';
  const result: TaskResult = {
    taskId: task.id,
    project: task.project,
    path: r.path,
    reason: r.reason,
    outcome: fail && outcome === 'success' ? 'error' : outcome,
    ok: fail === undefined,
    text: s.result?.result ?? '',
    model: s.init?.model ?? model,
    usd: typeof s.result?.total_cost_usd === 'number' ? s.result.total_cost_usd : null,
    usdKind: r.path === 'subscription' ? 'equivalent' : 'billed',
    sessionId: s.sessionId ?? null,
    apiRetries: s.apiRetries,
    durationMs: run.durationMs,
  };
  if (fail) result.error = fail;
  const row = { runId: task.id, job: task.project, path: r.path, reason: r.reason, summary: s, model, latencyMs: run.durationMs, ok: fail === undefined };
  await appendRow(ctx, cliRow(ctx, fail ? { ...row, errorCode: fail.code } : row));
  return { result, run };
}

/** Throws the result's failure as a FarmError (for callers that want an exception). */
export function throwIfFailed(result: TaskResult): TaskResult {
  if (result.error) throw new FarmError(result.error.code as FarmErrorCode, result.error.message, { project: result.project, path: result.path });
  return result;
}
