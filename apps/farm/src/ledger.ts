/**
 * Appends a finished row to the cost ledger for farm's own records (a job child's run, a remote
 * worker's rows); Claude runs write theirs through @jobs/claude's appendRow. A failing ledger is
 * logged, never fatal: the run it records already happened.
 */
import type { LedgerRow } from '@jobs/ledger/row';
import type { FarmContext } from './context.ts';

/** Appends `row`; a failure is logged with the row's identity and swallowed (see above). */
export async function appendRow(ctx: Pick<FarmContext, 'ledger' | 'logger'>, row: LedgerRow): Promise<void> {
  try {
    await ctx.ledger.append(row);
  } catch (err) {
    ctx.logger.error({ err, runId: row.run_id, callSite: row.call_site }, 'could not append to the cost ledger');
  }
}
