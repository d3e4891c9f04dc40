/** Ledger rows for runs of the claude CLI (the API client writes its own). */
import type { LedgerRow } from '@jobs/ledger/row';
import type { FarmContext } from '../context.ts';
import type { StreamSummary } from './stream.ts';

/** One row for one CLI run: tokens and `total_cost_usd` from the result event. */
export function cliRow(
  ctx: FarmContext,
  f: { runId: string; job: string; path: LedgerRow['path']; reason: string; summary: StreamSummary; model: string; latencyMs: number; ok: boolean; errorCode?: string },
): LedgerRow {
  const u = f.summary.result?.usage ?? {};
  const cost = f.summary.result?.total_cost_usd;
  const row: LedgerRow = {
    ts: new Date(ctx.now()).toISOString(),
    run_id: f.runId,
    app: ctx.app,
    job: f.job,
    call_site: f.path === 'subscription' ? 'farm.subscription' : 'farm.cli-bare',
    path: f.path,
    host: ctx.host,
    model: f.summary.init?.model ?? f.model,
    input_tokens: u.input_tokens ?? 0,
    output_tokens: u.output_tokens ?? 0,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    usd: typeof cost === 'number' && cost >= 0 ? cost : f.summary.result === undefined ? 0 : null,
    latency_ms: Math.max(0, f.latencyMs),
    attempts: 1 + f.summary.apiRetries,
    outcome: f.ok ? 'ok' : 'error',
    request_id: f.summary.lastRequestId,
    reason: f.reason,
  };
  if (f.errorCode !== undefined) row.error_code = f.errorCode;
  return row;
}

/** Appends a row; a failing ledger is logged, never fatal (the run already happened). */
export async function appendRow(ctx: FarmContext, row: LedgerRow): Promise<void> {
  try {
    await ctx.ledger.append(row);
  } catch (err) {
    ctx.logger.error({ err }, 'could not append to the cost ledger');
  }
}
