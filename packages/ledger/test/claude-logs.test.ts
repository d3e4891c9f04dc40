// Covers readClaudeLogs: Claude Code session logs (fixtures in the CLI's line format) priced per
// model, repeated lines and resumed-session copies counted once by message id + request id,
// synthetic and torn lines skipped, since/until and the file-mtime shortcut, bad options.
import { cp, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ClaudeUsage, readClaudeLogs } from '../src/claude-logs.ts';
import { LedgerError } from '../src/errors.ts';
import { summarize } from '../src/report.ts';
import type { LedgerRow } from '../src/row.ts';
import { recordingLogger, tempDir } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'claude-projects');

// USD per MTok: input, output, 5-minute write, 1-hour write, read. Held here, apart from the code.
const RATES: Record<string, [number, number, number, number, number]> = {
  'claude-sonnet-4-6': [3, 15, 3.75, 6, 0.3],
  'claude-haiku-4-5-20251001': [1, 5, 1.25, 2, 0.1],
  'claude-opus-4-6': [5, 25, 6.25, 10, 0.5],
};

/** Exact price in pico-dollars (integers), turned into dollars once. */
function picos(model: string, u: ClaudeUsage): bigint | null {
  const r = RATES[model];
  if (r === undefined) return null;
  const h1 = u.cache_creation?.ephemeral_1h_input_tokens ?? 0;
  const m5 = u.cache_creation_input_tokens - h1;
  const parts = [u.input_tokens, u.output_tokens, m5, h1, u.cache_read_input_tokens];
  return parts.reduce((sum, n, i) => sum + BigInt(n) * BigInt(Math.round(r[i]! * 1e6)), 0n);
}
const price = (model: string, u: ClaudeUsage): number | null => {
  const p = picos(model, u);
  return p === null ? null : Number(p) / 1e12;
};

async function collect(reader: AsyncIterable<LedgerRow>): Promise<LedgerRow[]> {
  const rows: LedgerRow[] = [];
  for await (const r of reader) rows.push(r);
  return rows;
}

describe('readClaudeLogs', () => {
  it('yields one subscription row per API response, priced per model', async () => {
    const log = recordingLogger();
    const reader = readClaudeLogs(FIXTURES, { price, host: 'laptop', logger: log.logger });
    const rows = await collect(reader);
    expect(rows.map((r) => r.request_id)).toEqual(['req_011A1', 'req_011C1', 'req_011A2', 'req_011B1', 'req_011D1', 'req_011E1']);
    expect(reader.stats).toEqual({ files: 4, filesSkipped: 0, lines: 10, messages: 6, duplicates: 4, invalid: 1, filtered: 0, inLedger: 0, rows: 6 });
    // The torn last line of a killed session is warned about, not fatal.
    expect(log.warnings().map((w) => w.obj.problem)).toEqual(['not JSON']);

    const first = rows[0]!;
    expect(first).toMatchObject({
      ts: '2026-11-20T09:00:04.221Z', // the last line of the streamed reply (full output)
      run_id: '7d2f4c1e-8a3b-4e5f-9c6d-1a2b3c4d5e6f',
      app: 'claude-code',
      job: 'garden-site',
      call_site: 'main',
      path: 'subscription',
      host: 'laptop',
      model: 'claude-sonnet-4-6',
      input_tokens: 4,
      output_tokens: 268, // not 12 (a partial line), not 3 x 268 (every line)
      cache_creation_input_tokens: 24205,
      cache_read_input_tokens: 11648,
      outcome: 'ok',
    });
    expect(rows[1]).toMatchObject({ call_site: 'subagent', model: 'claude-haiku-4-5-20251001' });
    expect(rows[3]).toMatchObject({ model: 'claude-opus-4-6' }); // [1m] variant priced as its model
    expect(rows[4]).toMatchObject({ model: 'claude-mythos-preview', usd: null }); // unpriced: unknown, never 0
    expect(rows[5]).toMatchObject({ job: 'jobs', run_id: 'c0ffee00-1111-4222-8333-444455556666' });
    // Sonnet, 1-hour cache write: 6 x $3 + 410 x $15 + 1200 x $6 + 35853 x $0.3 per MTok.
    expect(rows[2]!.usd).toBe((6 * 3 + 410 * 15 + 1200 * 6 + 35853 * 0.3) / 1e6);
  });

  it('skips the messages a ledger row already counts (inLedger: its message_ids), each by message id', async () => {
    // A CLI run under the same HOME: its ledger row lists msg_01Sonnet1 and msg_01Haiku1.
    const reader = readClaudeLogs(FIXTURES, { price, inLedger: new Set(['msg_01Sonnet1', 'msg_01Haiku1']) });
    const rows = await collect(reader);
    expect(rows.map((r) => r.request_id)).toEqual(['req_011A2', 'req_011B1', 'req_011D1', 'req_011E1']);
    expect(reader.stats).toMatchObject({ messages: 6, inLedger: 2, rows: 4 });
  });

  it('sums per model equal the exact prices of the distinct messages', async () => {
    const rows = await collect(readClaudeLogs(FIXTURES, { price, host: 'h' }));
    const s = summarize(rows, { by: 'model' });
    const expected: Record<string, { calls: number; picos: bigint; output: number; unknown: number }> = {
      'claude-haiku-4-5-20251001': { calls: 1, picos: 2100n * 1_000_000n + 95n * 5_000_000n, output: 95, unknown: 0 },
      'claude-mythos-preview': { calls: 1, picos: 0n, output: 40, unknown: 1 },
      'claude-opus-4-6': { calls: 1, picos: 1500n * 5_000_000n + 2200n * 25_000_000n + 90000n * 500_000n, output: 2200, unknown: 0 },
      'claude-sonnet-4-6': {
        calls: 3,
        picos:
          4n * 3_000_000n + 268n * 15_000_000n + 24205n * 3_750_000n + 11648n * 300_000n +
          (6n * 3_000_000n + 410n * 15_000_000n + 1200n * 6_000_000n + 35853n * 300_000n) +
          (10n * 3_000_000n + 500n * 15_000_000n + 3000n * 3_750_000n),
        output: 268 + 410 + 500,
        unknown: 0,
      },
    };
    expect(s.groups.map((g) => g.key)).toEqual(Object.keys(expected));
    for (const g of s.groups) {
      const e = expected[g.key]!;
      expect(g.calls).toBe(e.calls);
      expect(g.outputTokens).toBe(e.output);
      expect(g.equivalentUsd).toBe(Number(e.picos) / 1e12);
      expect(g.equivalentUnknownCalls).toBe(e.unknown);
      expect(g.billedUsd).toBe(0); // subscription work is never billed money
    }
    expect(s.totals.outputTokens).toBe(3513);
  });

  it('keeps messages in [since, until) and skips files last written before since', async () => {
    const reader = readClaudeLogs(FIXTURES, {
      price,
      since: new Date('2026-11-21T00:00:00Z'),
      until: new Date('2026-11-22T12:00:00Z'),
    });
    const rows = await collect(reader);
    expect(rows.map((r) => r.request_id)).toEqual(['req_011B1', 'req_011D1']);
    expect(reader.stats.filtered).toBe(4);

    const dir = await tempDir();
    await cp(FIXTURES, dir, { recursive: true });
    const old = new Date('2026-11-01T00:00:00Z');
    const jobsFile = join(dir, '-home-carole-jobs', 'c0ffee00-1111-4222-8333-444455556666.jsonl');
    await utimes(jobsFile, old, old);
    const skipping = readClaudeLogs(dir, { price, since: new Date('2026-11-02T00:00:00Z') });
    const kept = await collect(skipping);
    expect(skipping.stats.filesSkipped).toBe(1);
    expect(kept.map((r) => r.request_id)).not.toContain('req_011E1');
    expect(kept).toHaveLength(5);
  });

  it('reads nothing from a missing folder, and a price function that throws gives an unknown cost', async () => {
    const dir = await tempDir();
    expect(await collect(readClaudeLogs(join(dir, 'nope'), { price }))).toEqual([]);
    const log = recordingLogger();
    const rows = await collect(
      readClaudeLogs(FIXTURES, {
        price: () => {
          throw new Error('table broken');
        },
        logger: log.logger,
      }),
    );
    expect(rows.every((r) => r.usd === null)).toBe(true);
    expect(log.warnings().filter((w) => w.obj.model !== undefined)).toHaveLength(6);
  });

  it('refuses bad options with EOPTION naming them', () => {
    const fail = (f: () => unknown, option: string) => {
      try {
        f();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(LedgerError);
        expect((err as LedgerError).code).toBe('EOPTION');
        expect((err as LedgerError).option).toBe(option);
      }
    };
    fail(() => readClaudeLogs('', { price }), 'dir');
    fail(() => readClaudeLogs(FIXTURES, {} as never), 'price');
    fail(() => readClaudeLogs(FIXTURES, { price, since: new Date('x') }), 'since');
  });
});
