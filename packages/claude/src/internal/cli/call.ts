/**
 * One logical call on the CLI transport: prompt cap and budget checked before the CLI starts,
 * one guarded `claude -p` run, its outcome classified into a ClaudeError (or a MessageResult),
 * and exactly one ledger row with `path: 'subscription'` whatever happened.
 *
 * No retry loop here: the CLI retries 429/5xx itself (`system/api_retry` events), and a second
 * loop around it would multiply requests. `attempts` is 1 per CLI run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Budget, estimateCostUsd } from '../../budget.ts';
import type { ClaudeError } from '../../errors.ts';
import type { MessageResult } from '../api/call.ts';
import { refuse } from '../api/call.ts';
import { classifyCliRun } from './failure.ts';
import { billingOf } from './billing.ts';
import type { CliEvent } from './events.ts';
import type { ResolvedCliOptions } from './options.ts';
import { runClaudeCli } from '../../cli-run.ts';
import { callEnv, cliArgs, renderPrompt } from './prompt.ts';
import { appendRow, type RowFields } from '../ledger-row.ts';
import { checkRequest, type MessageRequest, prepare } from '../request.ts';

/** What the CLI client shares with its calls. */
export interface CliContext {
  opts: ResolvedCliOptions;
  budget: Budget;
}

/**
 * Tokens the CLI adds to every request on its own (its identity line, an environment block,
 * a billing header), counted in the budget estimate. Measured near 370 on 2.1.330; rounded up.
 */
const CLI_OVERHEAD_TOKENS = 1000;

/** Runs one logical call (see file comment). */
export async function runCliCall(ctx: CliContext, req: MessageRequest): Promise<MessageResult> {
  const { opts, budget } = ctx;
  checkRequest(req);
  const started = opts.now();
  const model = req.model ?? opts.model;
  const row = (f: Omit<RowFields, 'callSite' | 'latencyMs' | 'path' | 'reason'>) =>
    appendRow(opts, { ...f, callSite: req.callSite, latencyMs: opts.now() - started, path: 'subscription', reason: opts.reason });
  const refused = async (err: ClaudeError, outcome: 'error' | 'budget_refused' = 'error'): Promise<never> => {
    await row({ model, usd: 0, attempts: 0, outcome, requestId: null, errorCode: err.code });
    throw err;
  };

  let prompt: string;
  try {
    prompt = renderPrompt(req.messages);
  } catch (err) {
    return refused(err as ClaudeError);
  }
  const p = prepare(req, model, { pricing: opts.pricing, cacheTtl: '1h', maxPromptTokens: opts.maxPromptTokens });
  // Worst case: the CLI marks its system blocks for a 1-hour cache write (2x input), so the
  // whole prompt is priced that way, plus the CLI's own overhead, plus maxTokens of output.
  const promptTokens = p.promptTokens + CLI_OVERHEAD_TOKENS;
  const estimate = estimateCostUsd(
    { model, promptTokens, cacheWriteTokens: promptTokens, cacheTtl: '1h', maxTokens: req.maxTokens },
    opts.pricing,
  );
  const refusal = refuse(p, estimate, true, req.callSite);
  if (refusal) return refused(refusal);
  const reservation = budget.tryReserve(estimate as number);
  if (!reservation) {
    return refused(budget.refusal(estimate as number, model, req.callSite), 'budget_refused');
  }

  // A private directory per call: the CLI's cwd (no project CLAUDE.md is picked up) and the
  // system prompt file, created 0600 from the start.
  const dir = await mkdtemp(join(opts.tmpDir, 'claude-cli-'));
  let run: Awaited<ReturnType<typeof runClaudeCli>>;
  try {
    const systemPromptFile = join(dir, 'system.txt');
    await writeFile(systemPromptFile, req.system ?? '', { mode: 0o600, flag: 'wx' });
    run = await runClaudeCli({
      bin: opts.bin,
      args: cliArgs({ model, fallbackModel: opts.fallbackModel, systemPromptFile, effort: req.effort }),
      env: callEnv(opts.env, req.maxTokens),
      cwd: dir,
      stdin: prompt,
      idleTimeoutMs: opts.idleTimeoutMs,
      timeoutMs: opts.timeoutMs,
      signal: req.signal,
      managedSettingsPath: opts.managedSettingsPath,
      spawn: opts.spawn,
      logger: opts.logger,
      now: opts.now,
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  const s = run.summary;
  // Tokens and usd of every request this run made, from its stream (not total_cost_usd).
  const billed = billingOf(s, model, opts.pricing, opts.logger);
  const usage = billed.usage;
  const attempts = run.spawnError ? 0 : 1;
  const failure = classifyCliRun(run, { model, bin: opts.bin, redact: opts.redact, nowMs: opts.now(), idleTimeoutMs: opts.idleTimeoutMs });
  if (failure) {
    // Usage the CLI reports on a failed run (a turn that was answered, then cut) is still plan usage.
    const usd = billed.usd ?? 0;
    if (usd > 0) reservation.settle(usd);
    else reservation.release();
    failure.attempts = attempts;
    opts.logger.warn({ callSite: req.callSite, model, code: failure.code, apiRetries: s.apiRetries, exitCode: run.exitCode }, 'claude CLI call failed');
    // Refused before spawning: nothing ran, nothing was billed, and no row may claim the subscription.
    if (run.authRefused) throw failure;
    await row({ model, usage, usd, attempts, outcome: 'error', requestId: failure.requestId, errorCode: failure.code, messageIds: billed.messageIds });
    throw failure;
  }
  const result = s.result as CliEvent;
  const served = s.replyModel ?? model;
  const usd = billed.usd;
  reservation.settle(usd);
  if (s.apiRetries > 0) opts.logger.info({ callSite: req.callSite, apiRetries: s.apiRetries }, 'the claude CLI retried requests on its own');
  await row({ model: served, usage, usd, attempts, outcome: 'ok', requestId: s.lastRequestId, messageIds: billed.messageIds });
  return {
    text: result.result ?? '',
    model: served,
    usage,
    usd,
    requestId: s.lastRequestId,
    attempts,
    stopReason: result.stop_reason ?? null,
    // The CLI decides cache_control itself; nothing here says which TTL it used.
    cacheTtl: null,
  };
}
