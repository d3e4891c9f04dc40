/**
 * One task through the `claude` CLI, on @jobs/claude's runner (`@jobs/claude/cli-run`, the same
 * one the jobs' CLI client uses): the task's arguments, the run, its failure in farm's codes,
 * and the ledger row. Shared by the subscription path and the API path's agent loop (`--bare`
 * with the key in the child's env).
 */
import type { ClaudeError } from '@jobs/claude/errors';
import { appendRow, billingOf, type CliRun, classifyCliRun, headlessArgs, outcomeOf, runClaudeCli } from '@jobs/claude/cli-run';
import { defaultPricing } from '@jobs/claude/pricing';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import type { LedgerRow } from '@jobs/ledger/row';
import type { FarmContext } from '../context.ts';
import type { FarmErrorCode } from '../errors.ts';
import type { TaskResult } from '../result.ts';
import type { Task } from '../task.ts';

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

/** The headless arguments with every guard the CLI itself enforces (turns, budget, model). */
export function cliArgs(task: Task, extra: string[]): string[] {
  return [...headlessArgs({ model: task.model ?? DEFAULT_MODEL, maxTurns: task.maxTurns }), '--max-budget-usd', String(task.maxBudgetUsd), ...extra];
}

/** The runner's ClaudeError in farm's codes (the fallback branches on ENOT_LOGGED_IN and ERATE_LIMITED). */
function farmCode(run: CliRun, err: ClaudeError): FarmErrorCode {
  const s = run.summary;
  if (err.code === 'EAPIKEY_SOURCE' || err.code === 'EAUTH_PATH' || err.code === 'ESTALL' || err.code === 'ENO_RESULT') return err.code;
  if (s.authFailed) return 'ENOT_LOGGED_IN';
  if (s.rateLimited) return 'ERATE_LIMITED';
  return s.result === undefined ? 'ECLI' : 'EOUTCOME';
}

/** Runs the CLI for a task and writes its ledger row. Never throws for a CLI failure: see `result.error`. */
export async function runCliTask(ctx: FarmContext, task: Task, r: CliTaskRun): Promise<{ result: TaskResult; run: CliRun }> {
  const model = task.model ?? DEFAULT_MODEL;
  const run = await runClaudeCli({
    bin: ctx.claudeBin,
    args: cliArgs(task, r.extraArgs),
    env: r.env,
    cwd: r.cwd,
    stdin: r.prompt,
    idleTimeoutMs: ctx.watchdogMs,
    expectKeySource: r.expectKeySource,
    spawn: ctx.spawn,
    logger: ctx.logger,
    now: ctx.now,
  });
  const c = { model, bin: ctx.claudeBin, redact: ctx.redact, nowMs: ctx.now(), idleTimeoutMs: ctx.watchdogMs, expectKeySource: r.expectKeySource, idleSetting: 'FARM_WATCHDOG_SECONDS' };
  const err = classifyCliRun(run, c);
  const fail = err === undefined ? undefined : { code: farmCode(run, err), message: err.message };
  const s = run.summary;
  const outcome = s.result ? outcomeOf(s.result) : 'error';
  // This run's requests, priced: after --resume the result's total_cost_usd is the session's
  // running total, and a run stopped by --max-budget-usd leaves its last request out of `usage`.
  const billed = billingOf(s, model, defaultPricing, ctx.logger);
  const result: TaskResult = {
    taskId: task.id,
    project: task.project,
    path: r.path,
    reason: r.reason,
    outcome: fail && outcome === 'success' ? 'error' : outcome,
    ok: fail === undefined,
    text: s.result?.result ?? '',
    model: s.init?.model ?? model,
    usd: billed.usd,
    usdKind: r.path === 'subscription' ? 'equivalent' : 'billed',
    sessionId: s.sessionId ?? null,
    apiRetries: s.apiRetries,
    durationMs: run.durationMs,
  };
  if (fail) result.error = fail;
  // Refused before spawning: nothing ran, nothing was billed, and no row may claim the subscription.
  if (run.authRefused) return { result, run };
  const rowOpts = { now: ctx.now, runId: task.id, app: ctx.app, job: task.project, host: ctx.host, ledger: ctx.ledger, logger: ctx.logger };
  await appendRow(rowOpts, {
    callSite: r.path === 'subscription' ? 'farm.subscription' : 'farm.cli-bare',
    path: r.path,
    reason: r.reason,
    model: s.init?.model ?? model,
    usage: billed.usage,
    usd: billed.usd,
    latencyMs: run.durationMs,
    attempts: 1 + s.apiRetries,
    outcome: fail ? 'error' : 'ok',
    requestId: s.lastRequestId,
    messageIds: billed.messageIds,
    errorCode: fail?.code,
  });
  return { result, run };
}
