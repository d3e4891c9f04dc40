// Covers summarize: for every `by` (and a two-field grouping) the sums equal sums computed here
// independently in integer micro-dollars; null usd counted as unknown, never 0; billed and
// subscription-equivalent dollars kept apart; days by UTC or a given time zone; bad options refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/errors.ts';
import { createLedger } from '../src/ledger.ts';
import { readLedger } from '../src/read.ts';
import { GROUP_BY, type GroupBy, summarize, summarizeStream } from '../src/report.ts';
import type { LedgerRow } from '../src/row.ts';
import { prng, row, tempDir } from './helpers.ts';

/** Generated rows, each with its cost in integer micro-dollars (null = unknown) kept beside it. */
function generate(n: number): Array<{ row: LedgerRow; micros: number | null }> {
  const rand = prng(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: Array<{ row: LedgerRow; micros: number | null }> = [];
  for (let i = 0; i < n; i++) {
    const micros = rand() < 0.12 ? null : Math.floor(rand() * 2_000_000);
    // Five days, any second of the day, so rows sit near midnight too.
    const t = Date.UTC(2026, 10, 20) + Math.floor(rand() * 5 * 86_400) * 1000;
    out.push({
      micros,
      row: row({
        ts: new Date(t).toISOString(),
        app: pick(['digest', 'lead-responder', 'farm']),
        job: pick(['am', 'pm', 'watch', 'adhoc']),
        model: pick(['claude-haiku-5-5', 'claude-haiku-4-5', 'claude-sonnet-4-6', 'mystery-model']),
        path: pick(['api', 'subscription', 'remote'] as const),
        call_site: pick(['summarize', 'rank', 'draft', 'classify', 'farm-task']),
        outcome: pick(['ok', 'ok', 'ok', 'error', 'budget_refused'] as const),
        input_tokens: Math.floor(rand() * 90_000),
        output_tokens: Math.floor(rand() * 4_000),
        cache_creation_input_tokens: Math.floor(rand() * 5_000),
        cache_read_input_tokens: Math.floor(rand() * 20_000),
        attempts: 1 + Math.floor(rand() * 4),
        latency_ms: Math.floor(rand() * 30_000),
        usd: micros === null ? null : micros / 1e6,
        // A third from the single-instance setup (no instance), the rest from two instances.
        ...(i % 3 === 0 ? {} : { instance: i % 3 === 1 ? 'client-a' : 'client-b' }),
      }),
    });
  }
  return out;
}

/** The expected group for a set of rows, computed without the code under test. */
function expectedTotals(items: Array<{ row: LedgerRow; micros: number | null }>) {
  const sum = (f: (r: LedgerRow) => number) => items.reduce((a, { row: r }) => a + f(r), 0);
  const billed = items.filter(({ row: r }) => r.path !== 'subscription');
  const equivalent = items.filter(({ row: r }) => r.path === 'subscription');
  const micros = (xs: typeof items) => xs.reduce((a, x) => a + (x.micros ?? 0), 0);
  const ts = items.map(({ row: r }) => r.ts).sort();
  return {
    calls: items.length,
    ok: items.filter(({ row: r }) => r.outcome === 'ok').length,
    errors: items.filter(({ row: r }) => r.outcome === 'error').length,
    budgetRefused: items.filter(({ row: r }) => r.outcome === 'budget_refused').length,
    billedUsd: micros(billed) / 1e6,
    billedUnknownCalls: billed.filter((x) => x.micros === null).length,
    equivalentUsd: micros(equivalent) / 1e6,
    equivalentUnknownCalls: equivalent.filter((x) => x.micros === null).length,
    inputTokens: sum((r) => r.input_tokens),
    outputTokens: sum((r) => r.output_tokens),
    cacheCreationInputTokens: sum((r) => r.cache_creation_input_tokens),
    cacheReadInputTokens: sum((r) => r.cache_read_input_tokens),
    attempts: sum((r) => r.attempts),
    latencyMs: sum((r) => r.latency_ms),
    firstTs: ts[0] ?? null,
    lastTs: ts.at(-1) ?? null,
  };
}

function expectedGroups(items: ReturnType<typeof generate>, by: readonly GroupBy[]) {
  const keyPart = (r: LedgerRow, b: GroupBy) => (b === 'day' ? r.ts.slice(0, 10) : b === 'instance' ? (r.instance ?? '(none)') : r[b]);
  const buckets = new Map<string, typeof items>();
  for (const item of items) {
    const key = by.map((b) => keyPart(item.row, b)).join(' / ');
    buckets.set(key, [...(buckets.get(key) ?? []), item]);
  }
  return [...buckets.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, xs]) => ({
      key,
      keys: Object.fromEntries(by.map((b) => [b, keyPart(xs[0]!.row, b)])),
      ...expectedTotals(xs),
    }));
}

const items = generate(1500);
const rows = items.map((x) => x.row);

describe('summarize', () => {
  it('the data is one where adding dollars as floats drifts (so exactness below is tested)', () => {
    // Naive float sums per group, in row order, against the exact ones: some must differ.
    let drifted = 0;
    for (const by of GROUP_BY) {
      for (const group of expectedGroups(items, [by])) {
        const naive = rows
          .filter((r) => (by === 'day' ? r.ts.slice(0, 10) : r[by]) === group.key && r.path !== 'subscription')
          .reduce((a, r) => a + (r.usd ?? 0), 0);
        if (naive !== group.billedUsd) drifted += 1;
      }
    }
    expect(drifted).toBeGreaterThan(0);
  });

  it.each(GROUP_BY)('by %s: every group and the totals equal independently computed sums', (by) => {
    const summary = summarize(rows, { by });
    expect(summary.by).toEqual([by]);
    expect(summary.timeZone).toBe('UTC');
    expect(summary.groups).toEqual(expectedGroups(items, [by]));
    expect(summary.totals).toEqual(expectedTotals(items));
  });

  it('by day then app: one group per (day, app), for a stacked chart', () => {
    const summary = summarize(rows, { by: ['day', 'app'] });
    expect(summary.groups).toHaveLength(15);
    expect(summary.groups[0]?.keys).toEqual({ day: '2026-11-20', app: 'digest' });
    expect(summary.groups).toEqual(expectedGroups(items, ['day', 'app']));
  });

  it('counts null usd as unknown, never as 0, and keeps subscription dollars out of billed dollars', () => {
    const s = summarize(
      [
        row({ path: 'api', usd: 0.25 }),
        row({ path: 'api', usd: null }),
        row({ path: 'remote', usd: 0.5 }),
        row({ path: 'subscription', usd: 1.75 }),
        row({ path: 'subscription', usd: null }),
      ],
      { by: 'path' },
    );
    expect(s.totals).toMatchObject({ billedUsd: 0.75, billedUnknownCalls: 1, equivalentUsd: 1.75, equivalentUnknownCalls: 1 });
    const byPath = Object.fromEntries(s.groups.map((g) => [g.key, [g.billedUsd, g.equivalentUsd, g.calls]]));
    expect(byPath).toEqual({ api: [0.25, 0, 2], remote: [0.5, 0, 1], subscription: [0, 1.75, 2] });
  });

  it('groups days by UTC by default, or by the calendar of a given time zone', () => {
    const late = [row({ ts: '2026-11-23T23:30:00.000Z' }), row({ ts: '2026-11-24T00:30:00.000Z' })];
    const days = (timeZone?: string) =>
      summarize(late, { by: 'day', ...(timeZone ? { timeZone } : {}) }).groups.map((g) => [g.key, g.calls]);
    expect(days()).toEqual([['2026-11-23', 1], ['2026-11-24', 1]]);
    expect(days('Europe/Berlin')).toEqual([['2026-11-24', 2]]);
    expect(days('America/Los_Angeles')).toEqual([['2026-11-23', 2]]);
  });

  it('is empty but well formed for no rows', () => {
    const s = summarize([], { by: 'model' });
    expect(s.groups).toEqual([]);
    expect(s.totals).toMatchObject({ calls: 0, billedUsd: 0, equivalentUsd: 0, firstTs: null, lastTs: null });
  });

  it('summarizeStream over the real ledger file gives the same summary as summarize in memory', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    const ledger = createLedger({ path });
    for (const r of rows.slice(0, 300)) await ledger.append(r);
    const fromFile = await summarizeStream(readLedger(path), { by: 'call_site' });
    expect(fromFile).toEqual(summarize(rows.slice(0, 300), { by: 'call_site' }));
    expect(fromFile.groups).toEqual(expectedGroups(items.slice(0, 300), ['call_site']));
  });

  it.each<[string, unknown]>([
    ['by', 'week'],
    ['by', []],
    ['by', ['day', 'day']],
    ['timeZone', 'Mars/Olympus_Mons'],
    ['timeZone', ''],
  ])('refuses %s = %j with EOPTION', (option, value) => {
    const options = { by: 'app', [option]: value } as Parameters<typeof summarize>[1];
    let err: unknown;
    try {
      summarize(rows, options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LedgerError);
    expect(err).toMatchObject({ code: 'EOPTION', option });
  });
});
