/**
 * What one `claude -p` run was billed (or, on the subscription, would have been): the usage
 * of each API request it made, read from its stream events, summed, each request priced at
 * its own model. Tokens and usd come from the same requests, so they always agree.
 *
 * Not the result event's figures: after `--resume` its `total_cost_usd` (and `modelUsage`) is
 * the session's running total while `usage` is this run's (a row priced from the total counted
 * earlier runs again: 2.1x over three resumes, measured on 2.1.330); and a run stopped by
 * `--max-budget-usd` reports in `usage` one request fewer than in `total_cost_usd`. A run
 * without stream events (no --include-partial-messages) falls back to the result's `usage`.
 */
import type { Usage } from '@anthropic-ai/sdk/resources/messages/messages';
import { noopLogger, type Logger } from '@jobs/core/logger';
import type { PricingTable } from '../../pricing.ts';
import { BilledTally } from '../api/billed.ts';
import { type CliEvent, type CliSummary, usageOf } from './events.ts';

/** A run's billed usage, its cost (null when a model had no price) and the requests counted. */
export interface CliBilling {
  usage: Usage;
  usd: number | null;
  requests: number;
  /** The message ids of the requests (for the row's `message_ids`). */
  messageIds: string[];
}

/** Sums the run's requests (see the file comment); `model` names requests that did not say. */
export function billingOf(s: CliSummary, model: string, pricing: PricingTable, logger: Logger = noopLogger): CliBilling {
  const tally = new BilledTally(pricing, logger);
  if (s.requests.length > 0) {
    for (const r of s.requests) tally.add({ model: r.model ?? model, usage: usageOf({ usage: r.usage as NonNullable<CliEvent['usage']> }), requestId: null });
  } else if (s.result?.usage !== undefined) {
    tally.add({ model: s.replyModel ?? model, usage: usageOf(s.result), requestId: null });
  }
  const messageIds = s.requests.flatMap((r) => (typeof r.id === 'string' ? [r.id] : []));
  return { usage: tally.total(), usd: tally.usd(), requests: tally.count, messageIds };
}
