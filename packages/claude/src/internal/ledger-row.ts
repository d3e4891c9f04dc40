/**
 * Builds and appends ledger rows (the DESIGN.md contract). A failed append is
 * logged, not thrown: the call it records already happened (and was paid for),
 * and throwing would invite the caller to send it again.
 */
import type { LedgerRow } from '@jobs/ledger/row';
import type { UsageLike } from '../pricing.ts';
import type { ResolvedCommonOptions } from './client-options.ts';

/** The per-call part of a row. */
export interface RowFields {
  callSite: string;
  model: string;
  usage?: UsageLike | undefined;
  usd: number | null;
  latencyMs: number;
  attempts: number;
  outcome: LedgerRow['outcome'];
  requestId: string | null;
  errorCode?: string | undefined;
  reason?: string | undefined;
  /** API message ids the row covers (a CLI run's requests, which Claude Code also logs). */
  messageIds?: readonly string[] | undefined;
  /** Billing path; default 'api'. The CLI transport writes 'subscription' (usd is then the API equivalent). */
  path?: LedgerRow['path'] | undefined;
}

/** What a row needs from a client's options (the API client's and the CLI transport's share these). */
export type RowOptions = Pick<ResolvedCommonOptions, 'now' | 'runId' | 'app' | 'job' | 'host' | 'ledger' | 'logger'>;

/** A complete row for this client (path 'api' unless the fields say otherwise). */
export function makeRow(opts: RowOptions, f: RowFields): LedgerRow {
  const row: LedgerRow = {
    ts: new Date(opts.now()).toISOString(),
    run_id: opts.runId,
    app: opts.app,
    job: opts.job,
    call_site: f.callSite,
    path: f.path ?? 'api',
    host: opts.host,
    model: f.model,
    input_tokens: f.usage?.input_tokens ?? 0,
    output_tokens: f.usage?.output_tokens ?? 0,
    cache_creation_input_tokens: f.usage?.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: f.usage?.cache_read_input_tokens ?? 0,
    usd: f.usd,
    latency_ms: Math.max(0, Math.round(f.latencyMs)),
    attempts: f.attempts,
    outcome: f.outcome,
    request_id: f.requestId,
  };
  if (f.errorCode !== undefined) row.error_code = f.errorCode;
  if (f.reason !== undefined) row.reason = f.reason;
  if (f.messageIds !== undefined && f.messageIds.length > 0) row.message_ids = [...f.messageIds];
  return row;
}

/** Appends a row; a failure is logged with the row's identity and swallowed (see above). */
export async function appendRow(opts: RowOptions, f: RowFields): Promise<void> {
  const row = makeRow(opts, f);
  try {
    await opts.ledger.append(row);
  } catch (err) {
    opts.logger.error(
      { err, runId: opts.runId, callSite: f.callSite, outcome: f.outcome, usd: f.usd },
      'could not append to the cost ledger: this call is missing from it',
    );
  }
}
