/** A running total of ledger rows: exact money (BigInt nano-dollars), integer counts. */
import type { LedgerRow } from '../row.ts';
import { NanoSum, nanoUsdToUsd, toNanoUsdNumber } from './money.ts';

/** Sums over a set of rows. Billed and equivalent dollars are never added together. */
export interface Totals {
  /** Rows (one per call, including refused and failed ones). */
  calls: number;
  /** Rows with `outcome: 'ok'`. */
  ok: number;
  /** Rows with `outcome: 'error'`. */
  errors: number;
  /** Rows with `outcome: 'budget_refused'`. */
  budgetRefused: number;
  /** Real money: known `usd` of `api` and `remote` rows. */
  billedUsd: number;
  /** `api` / `remote` rows whose cost is unknown (`usd: null`): not in `billedUsd`, never counted as 0. */
  billedUnknownCalls: number;
  /** What `subscription` rows would have cost on the API: no money was charged for them. */
  equivalentUsd: number;
  /** `subscription` rows whose equivalent cost is unknown. */
  equivalentUnknownCalls: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  /** Sum of `attempts` (requests actually sent, retries included). */
  attempts: number;
  /** Sum of `latency_ms`. */
  latencyMs: number;
  /** Earliest and latest `ts` seen (ISO strings as written), or null for no rows. */
  firstTs: string | null;
  lastTs: string | null;
}

/** Accumulates rows into {@link Totals}. */
export class Accumulator {
  private calls = 0;
  private ok = 0;
  private errors = 0;
  private budgetRefused = 0;
  private billedNanos = new NanoSum();
  private billedUnknown = 0;
  private equivalentNanos = new NanoSum();
  private equivalentUnknown = 0;
  private inputTokens = 0;
  private outputTokens = 0;
  private cacheCreation = 0;
  private cacheRead = 0;
  private attempts = 0;
  private latencyMs = 0;
  private first: { t: number; ts: string } | null = null;
  private last: { t: number; ts: string } | null = null;

  add(row: LedgerRow): void {
    this.calls += 1;
    if (row.outcome === 'ok') this.ok += 1;
    else if (row.outcome === 'error') this.errors += 1;
    else this.budgetRefused += 1;
    const billed = row.path !== 'subscription';
    if (row.usd === null) {
      if (billed) this.billedUnknown += 1;
      else this.equivalentUnknown += 1;
    } else if (billed) this.billedNanos.add(toNanoUsdNumber(row.usd));
    else this.equivalentNanos.add(toNanoUsdNumber(row.usd));
    // Token counts and attempts are integers far below 2^53 in any real ledger: plain adds are exact.
    this.inputTokens += row.input_tokens;
    this.outputTokens += row.output_tokens;
    this.cacheCreation += row.cache_creation_input_tokens;
    this.cacheRead += row.cache_read_input_tokens;
    this.attempts += row.attempts;
    this.latencyMs += row.latency_ms;
    const t = Date.parse(row.ts);
    if (this.first === null || t < this.first.t) this.first = { t, ts: row.ts };
    if (this.last === null || t > this.last.t) this.last = { t, ts: row.ts };
  }

  totals(): Totals {
    return {
      calls: this.calls,
      ok: this.ok,
      errors: this.errors,
      budgetRefused: this.budgetRefused,
      billedUsd: nanoUsdToUsd(this.billedNanos.total()),
      billedUnknownCalls: this.billedUnknown,
      equivalentUsd: nanoUsdToUsd(this.equivalentNanos.total()),
      equivalentUnknownCalls: this.equivalentUnknown,
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      cacheCreationInputTokens: this.cacheCreation,
      cacheReadInputTokens: this.cacheRead,
      attempts: this.attempts,
      latencyMs: this.latencyMs,
      firstTs: this.first?.ts ?? null,
      lastTs: this.last?.ts ?? null,
    };
  }
}
