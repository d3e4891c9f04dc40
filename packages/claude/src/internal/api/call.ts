/**
 * One logical call: prompt cap, budget reservation, the retry loop on the
 * primary model, the fallback model when the primary stays overloaded, the
 * cost, and exactly one ledger row whatever the outcome.
 *
 * Every attempt reserves its own estimate (a retry is another request the API may
 * bill), and every attempt that got a `message_start` (a reply, or a stream that then
 * stalled, dropped or carried an error) is settled at its real cost and summed into the
 * row: tokens and usd of all billed attempts, each once; `attempts` counts every HTTP
 * request. One row per call, not per attempt: reports and audits count calls by rows,
 * and the row's `attempts` says how many requests the sum covers.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import { type Budget, estimateCostUsd } from '../../budget.ts';
import type { CacheTtl } from '../../cache.ts';
import { ClaudeError } from '../../errors.ts';
import { withRetries } from '../../retry-policy.ts';
import { appendRow } from '../ledger-row.ts';
import { toClaudeError } from './normalize-error.ts';
import type { ResolvedOptions } from './options.ts';
import { checkRequest, type MessageRequest, type Prepared, prepare } from '../request.ts';
import { BilledTally } from './billed.ts';
import { sendOnce } from './send.ts';

/** What the client shares with its helpers (batch, structured). */
export interface ClientContext {
  opts: ResolvedOptions;
  sdk: Anthropic;
  budget: Budget;
}

/** The result of a successful call. */
export interface MessageResult {
  text: string;
  /** The model that actually served (the fallback when it was used). */
  model: string;
  usage: Usage;
  /** Exact cost of every billed attempt of the call (a retried stall included); null when a model had no price. */
  usd: number | null;
  requestId: string | null;
  /** HTTP requests made, across retries and the fallback. */
  attempts: number;
  stopReason: string | null;
  /** The cache TTL put on the system prompt, or null when it was sent without cache_control. */
  cacheTtl: CacheTtl | null;
}

/** Runs one logical call (see file comment). */
export async function runCall(ctx: ClientContext, req: MessageRequest): Promise<MessageResult> {
  const { opts, budget } = ctx;
  checkRequest(req);
  const started = opts.now();
  const primary = req.model ?? opts.model;
  const models = opts.fallbackModel && opts.fallbackModel !== primary ? [primary, opts.fallbackModel] : [primary];
  const row = (f: Omit<Parameters<typeof appendRow>[1], 'callSite' | 'latencyMs'>) =>
    appendRow(opts, { ...f, callSite: req.callSite, latencyMs: opts.now() - started });
  const tally = new BilledTally(opts.pricing, opts.logger);
  let requests = 0;
  let last: ClaudeError | undefined;
  const billedRow = () => (tally.count > 0 ? { usage: tally.total(), usd: tally.usd() } : { usd: 0 });

  for (const [i, model] of models.entries()) {
    const p = prepare(req, model, opts);
    const estimate = estimateCostUsd(
      {
        model,
        promptTokens: p.promptTokens,
        cacheWriteTokens: p.plan.cacheTtl ? p.plan.systemTokens : 0,
        cacheTtl: p.plan.cacheTtl ?? '5m',
        maxTokens: req.maxTokens,
      },
      opts.pricing,
    );
    const refusal = refuse(p, estimate, i === 0, req.callSite);
    if (refusal) {
      if (i > 0) {
        opts.logger.warn({ callSite: req.callSite, model, reason: refusal.code }, 'fallback model not tried');
        break;
      }
      await row({ model, usd: 0, attempts: 0, outcome: 'error', requestId: null, errorCode: refusal.code });
      throw refusal;
    }
    const overBudget = () => budget.refusal(estimate as number, model, req.callSite);
    let reservation = budget.tryReserve(estimate as number);
    if (!reservation) {
      const err = overBudget();
      if (i > 0) {
        opts.logger.warn({ callSite: req.callSite, model, estimateUsd: estimate }, 'fallback model refused by the budget');
        break;
      }
      await row({ model, usd: 0, attempts: 0, outcome: 'budget_refused', requestId: null, errorCode: err.code });
      throw err;
    }
    try {
      const { value: reply } = await withRetries(
        async () => {
          // Each retry is a new request: it reserves its own estimate, and stops when the
          // budget cannot cover it (what earlier attempts were billed is already spent).
          const held = reservation ?? budget.tryReserve(estimate as number);
          reservation = undefined;
          if (!held) throw overBudget();
          requests += 1;
          try {
            const r = await sendOnce(ctx.sdk, p.params, {
              stream: req.stream ?? false,
              streamIdleMs: opts.streamIdleMs,
              signal: req.signal,
              onBilled: (b) => held.settle(tally.add(b)),
            });
            held.settle(tally.add(r));
            return r;
          } catch (e) {
            held.release();
            throw toClaudeError(e, { model, keyFile: opts.keyFile, redact: opts.redact, nowMs: opts.now() });
          }
        },
        {
          policy: opts.retry,
          sleep: opts.sleep,
          random: opts.random,
          onRetry: (ev) =>
            opts.logger.info(
              { callSite: req.callSite, model, attempt: ev.attempt, waitMs: ev.waitMs, code: ev.error.code, status: ev.error.status },
              'retrying the Claude call',
            ),
        },
      );
      const usd = tally.usd();
      await row({ model: reply.model, usage: tally.total(), usd, attempts: requests, outcome: 'ok', requestId: reply.requestId });
      return { ...reply, usd, attempts: requests, cacheTtl: p.plan.cacheTtl };
    } catch (e) {
      reservation?.release();
      last = toClaudeError(e, { model, keyFile: opts.keyFile, redact: opts.redact, nowMs: opts.now() });
      if (last.code !== 'EOVERLOADED') break;
      if (i + 1 < models.length) {
        opts.logger.warn({ callSite: req.callSite, model, next: models[i + 1], attempts: requests }, 'model stayed overloaded: trying the fallback model');
      }
    }
  }
  const err = last as ClaudeError;
  err.attempts = requests;
  await row({
    model: err.model ?? primary,
    ...billedRow(),
    attempts: requests,
    outcome: 'error',
    requestId: err.requestId,
    errorCode: err.code,
  });
  throw err;
}

/** A local refusal before any budget check: unpriced model, or a prompt over the cap (undefined: none). */
export function refuse(p: Prepared, estimate: number | null, isPrimary: boolean, callSite: string): ClaudeError | undefined {
  if (estimate === null) {
    return new ClaudeError(
      'ECONFIG',
      `model ${p.model} has no price in the pricing table, so the budget cannot be enforced: add it with option pricing`,
      { model: p.model, attempts: 0 },
    );
  }
  if (p.maxPromptTokens !== undefined && p.promptTokens > p.maxPromptTokens) {
    return new ClaudeError(
      'EPROMPT_TOO_LARGE',
      `call ${callSite} refused before sending: its prompt is about ${p.promptTokens} tokens on ${p.model}, over the ` +
        `${p.maxPromptTokens}-token cap${isPrimary ? ' (above it every token bills at the next price tier)' : ''}: ` +
        'split the input across calls or raise maxPromptTokens',
      { model: p.model, attempts: 0 },
    );
  }
  return undefined;
}
