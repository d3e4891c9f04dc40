/**
 * Bulk, non-urgent calls through the Message Batches API at half price, with a
 * deadline: poll (on the injected sleep) until the batch ends or the deadline
 * passes; at the deadline cancel it, keep what it finished, and send what is
 * still pending as direct calls. Every request gets its own ledger row: batch
 * results priced with the batch discount (request_id: the batch id), direct
 * ones as ordinary calls.
 */
import type { MessageBatchIndividualResponse } from '@anthropic-ai/sdk/resources/messages/batches';
import { estimateCostUsd } from './budget.ts';
import { type ClaudeClient, clientContext, type MessageRequest, type MessageResult } from './client.ts';
import { BudgetExceededError, ClaudeError } from './errors.ts';
import { type ClientContext, refuse, runCall } from './internal/api/call.ts';
import { appendRow } from './internal/ledger-row.ts';
import { toClaudeError } from './internal/api/normalize-error.ts';
import { checkRequest, type Prepared, prepare } from './internal/request.ts';
import { costOf } from './pricing.ts';
import { withRetries } from './retry-policy.ts';

/** One request of a batch; `customId` must be unique ([A-Za-z0-9_-]{1,64}). */
export interface BatchItem extends Omit<MessageRequest, 'stream' | 'signal'> {
  customId: string;
}

/** Timing of a batch. */
export interface BatchOptions {
  /** How long to wait for the batch (ms from now) before cancelling and going direct. */
  deadlineMs: number;
  /** Wait between status polls. Default 30 000 ms. */
  pollIntervalMs?: number;
  /** After cancelling, how long to wait for the batch to end before sending everything direct. Default 60 000 ms. */
  cancelGraceMs?: number;
}

/** What happened to one item. */
export type BatchOutcome =
  | { customId: string; ok: true; via: 'batch' | 'direct'; result: MessageResult }
  | { customId: string; ok: false; via: 'batch' | 'direct'; error: ClaudeError };

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Runs `items` as one batch with the deadline fallback. Results come back in the order of `items`. */
export async function runBatch(client: ClaudeClient, items: BatchItem[], options: BatchOptions): Promise<BatchOutcome[]> {
  const ctx = clientContext(client);
  const { opts } = ctx;
  const started = opts.now();
  const seen = new Set<string>();
  for (const item of items) {
    checkRequest(item);
    if (!ID.test(item.customId) || seen.has(item.customId)) {
      throw new ClaudeError('ECONFIG', `batch customId ${JSON.stringify(item.customId)} must be unique and match ${ID}`);
    }
    seen.add(item.customId);
  }
  const outcomes = new Map<string, BatchOutcome>();
  // Items refused locally (unpriced model, prompt over the cap) are recorded and never sent.
  const queued: Array<{ item: BatchItem; p: Prepared; estimate: number }> = [];
  for (const item of items) {
    const p = prepare(item, item.model ?? opts.model, opts);
    const estimate = estimateCostUsd({ model: p.model, promptTokens: p.promptTokens, maxTokens: item.maxTokens, batch: true }, opts.pricing);
    const refusal = refuse(p, estimate, true, item.callSite);
    if (refusal || estimate === null) {
      const error = refusal as ClaudeError;
      await appendRow(opts, { callSite: item.callSite, model: p.model, usd: 0, latencyMs: 0, attempts: 0, outcome: 'error', requestId: null, errorCode: error.code, reason: 'batch' });
      outcomes.set(item.customId, { customId: item.customId, ok: false, via: 'batch', error });
    } else {
      queued.push({ item, p, estimate });
    }
  }
  const total = queued.reduce((sum, q) => sum + q.estimate, 0);
  const reservation = ctx.budget.tryReserve(total);
  if (!reservation) {
    for (const { item, p } of queued) {
      await appendRow(opts, { callSite: item.callSite, model: p.model, usd: 0, latencyMs: 0, attempts: 0, outcome: 'budget_refused', requestId: null, errorCode: 'EBUDGET', reason: 'batch' });
    }
    throw ctx.budget.refusal(total, opts.model, `batch of ${queued.length}`);
  }

  try {
    if (queued.length > 0) await viaBatch(ctx, queued, options, started, outcomes);
  } catch (e) {
    const err = toClaudeError(e, { model: opts.model, keyFile: opts.keyFile, redact: opts.redact, nowMs: opts.now() });
    // Auth and spend-limit failures would fail direct calls too: surface them.
    if (err.code === 'EAUTH' || err.code === 'EPERMISSION' || err.code === 'ESPENDLIMIT') {
      reservation.release();
      throw err;
    }
    opts.logger.warn({ code: err.code, status: err.status, items: items.length }, 'batch failed: sending its requests as direct calls');
  }
  reservation.release();

  // Whatever the batch did not finish goes direct, one call at a time (rate limits apply to these).
  for (const item of items) {
    if (outcomes.has(item.customId)) continue;
    const { customId, ...req } = item;
    try {
      outcomes.set(customId, { customId, ok: true, via: 'direct', result: await runCall(ctx, req) });
    } catch (e) {
      if (e instanceof BudgetExceededError) throw e;
      const error = toClaudeError(e, { model: opts.model, keyFile: opts.keyFile, redact: opts.redact, nowMs: opts.now() });
      outcomes.set(customId, { customId, ok: false, via: 'direct', error });
    }
  }
  return items.map((item) => outcomes.get(item.customId) as BatchOutcome);
}

async function viaBatch(
  ctx: ClientContext,
  queued: Array<{ item: BatchItem; p: Prepared }>,
  options: BatchOptions,
  started: number,
  outcomes: Map<string, BatchOutcome>,
): Promise<void> {
  const { opts, sdk } = ctx;
  const retry = <T>(fn: () => Promise<T>) =>
    withRetries(
      async () => {
        try {
          return await fn();
        } catch (e) {
          throw toClaudeError(e, { model: opts.model, keyFile: opts.keyFile, redact: opts.redact, nowMs: opts.now() });
        }
      },
      { policy: opts.retry, sleep: opts.sleep, random: opts.random },
    ).then((r) => r.value);
  const deadline = started + options.deadlineMs;
  const poll = options.pollIntervalMs ?? 30_000;
  const grace = options.cancelGraceMs ?? 60_000;

  const requests = queued.map(({ item, p }) => ({ custom_id: item.customId, params: p.params }));
  let batch = await retry(() => sdk.messages.batches.create({ requests }));
  opts.logger.info({ batchId: batch.id, items: queued.length }, 'batch submitted');
  let cancelled = false;
  while (batch.processing_status !== 'ended') {
    const now = opts.now();
    if (!cancelled && now >= deadline) {
      opts.logger.warn({ batchId: batch.id, deadlineMs: options.deadlineMs }, 'batch deadline passed: cancelling it');
      cancelled = true;
      const id = batch.id;
      try {
        batch = await retry(() => sdk.messages.batches.cancel(id));
      } catch (e) {
        // It may have ended between the poll and the cancel: the next poll tells.
        opts.logger.warn({ batchId: id, err: e }, 'batch cancel failed');
      }
      continue;
    }
    if (cancelled && now >= deadline + grace) {
      opts.logger.warn({ batchId: batch.id }, 'cancelled batch did not end in time: all its requests go direct');
      return;
    }
    await opts.sleep(Math.max(1, Math.min(poll, (cancelled ? deadline + grace : deadline) - now)));
    const id = batch.id;
    batch = await retry(() => sdk.messages.batches.retrieve(id));
  }

  const byId = new Map(queued.map((q) => [q.item.customId, q]));
  const results = await retry(() => sdk.messages.batches.results(batch.id));
  for await (const line of results as AsyncIterable<MessageBatchIndividualResponse>) {
    const entry = byId.get(line.custom_id);
    if (!entry) continue;
    const latencyMs = opts.now() - started;
    const r = line.result;
    if (r.type === 'succeeded') {
      const { usd } = costOf(r.message.model, r.message.usage, { pricing: opts.pricing, logger: opts.logger, batch: true });
      // Unknown price: count the estimate, so the budget never under-counts.
      ctx.budget.add(usd ?? estimateCostUsd({ model: entry.p.model, promptTokens: entry.p.promptTokens, maxTokens: entry.item.maxTokens, batch: true }, opts.pricing) ?? 0);
      const text = r.message.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
      const result: MessageResult = { text, model: r.message.model, usage: r.message.usage, usd, requestId: batch.id, attempts: 1, stopReason: r.message.stop_reason, cacheTtl: entry.p.plan.cacheTtl };
      await appendRow(opts, { callSite: entry.item.callSite, model: r.message.model, usage: r.message.usage, usd, latencyMs, attempts: 1, outcome: 'ok', requestId: batch.id, reason: 'batch' });
      outcomes.set(line.custom_id, { customId: line.custom_id, ok: true, via: 'batch', result });
    } else if (r.type === 'errored' && r.error.error.type === 'invalid_request_error') {
      // The same request would be refused again directly: record it, do not resend.
      const error = new ClaudeError('EBADREQUEST', `batch request ${line.custom_id} was rejected as invalid: ${opts.redact(r.error.error.message)}`, { model: entry.p.model, type: r.error.error.type, requestId: batch.id, attempts: 1 });
      await appendRow(opts, { callSite: entry.item.callSite, model: entry.p.model, usd: 0, latencyMs, attempts: 1, outcome: 'error', requestId: batch.id, errorCode: error.code, reason: 'batch' });
      outcomes.set(line.custom_id, { customId: line.custom_id, ok: false, via: 'batch', error });
    }
    // canceled, expired, or errored for a transient reason: left for a direct call.
  }
}
