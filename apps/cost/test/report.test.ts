// Covers `cost report`: for every --by, the JSON groups and totals equal sums of the ledger rows
// in range computed here in integer nano-dollars; the terminal table's total line shows the same
// sums with billed and subscription dollars in separate columns; Claude Code session logs join
// the report as subscription rows, repeated lines counted once; --since/--until forms; usage errors.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { costOf } from '@jobs/claude/pricing';
import type { LedgerRow } from '@jobs/ledger/row';
import { describe, expect, it } from 'vitest';
import type { ReportOutput } from '../src/report.ts';
import { prng, row, run, tempDir, testDeps, writeLedger } from './helpers.ts';

const BY = ['app', 'job', 'model', 'day', 'path', 'call_site', 'instance'] as const;

function generate(n: number): LedgerRow[] {
  const r = prng(5511);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  return Array.from({ length: n }, (_, i) =>
    row({
      // 20 days around the range (2026-11-10 .. 2026-11-23), any second.
      ts: new Date(Date.UTC(2026, 10, 6) + Math.floor(r() * 20 * 86_400) * 1000).toISOString(),
      run_id: `run-${i % 37}`,
      app: pick(['digest', 'lead-responder', 'farm']),
      job: pick(['am', 'pm', 'watch']),
      model: pick(['claude-haiku-5-5', 'claude-sonnet-4-6', 'unpriced-model']),
      path: pick(['api', 'api', 'remote', 'subscription'] as const),
      call_site: pick(['summarize', 'rank', 'draft', 'farm-task']),
      outcome: pick(['ok', 'ok', 'error', 'budget_refused'] as const),
      // A third of the rows come from the single-instance setup (no instance).
      ...(r() < 0.33 ? {} : { instance: pick(['client-a', 'client-b']) }),
      input_tokens: Math.floor(r() * 50_000),
      output_tokens: Math.floor(r() * 3_000),
      cache_read_input_tokens: Math.floor(r() * 9_000),
      usd: r() < 0.1 ? null : Math.floor(r() * 3_000_000) / 1e9, // exact nano-dollars
    }),
  );
}

/** Expected sums of a set of rows, in integer nano-dollars. */
function sums(rows: LedgerRow[]) {
  const nanos = (xs: LedgerRow[]) => xs.reduce((a, x) => a + BigInt(Math.round((x.usd ?? 0) * 1e9)), 0n);
  const billed = rows.filter((x) => x.path !== 'subscription');
  const equiv = rows.filter((x) => x.path === 'subscription');
  return {
    calls: rows.length,
    billedUsd: Number(nanos(billed)) / 1e9,
    equivalentUsd: Number(nanos(equiv)) / 1e9,
    billedUnknownCalls: billed.filter((x) => x.usd === null).length,
    equivalentUnknownCalls: equiv.filter((x) => x.usd === null).length,
    inputTokens: rows.reduce((a, x) => a + x.input_tokens, 0),
    outputTokens: rows.reduce((a, x) => a + x.output_tokens, 0),
    cacheReadInputTokens: rows.reduce((a, x) => a + x.cache_read_input_tokens, 0),
  };
}

describe('cost report', () => {
  it('sums equal the sums of the ledger rows they cover, for every --by', async () => {
    const home = await tempDir();
    const rows = generate(2_000);
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, rows);
    const deps = testDeps(home);
    const since = Date.parse('2026-11-10T00:00:00Z');
    const until = Date.parse('2026-11-24T00:00:00Z');
    const inRange = rows.filter((x) => Date.parse(x.ts) >= since && Date.parse(x.ts) < until);
    expect(inRange.length).toBeGreaterThan(1_000);
    expect(inRange.length).toBeLessThan(rows.length);
    for (const by of BY) {
      const { code, out } = await run(
        ['report', '--by', by, '--since', '2026-11-10', '--until', '2026-11-24', '--ledger', ledger, '--no-claude-logs', '--json'],
        deps,
      );
      expect(code).toBe(0);
      const report = JSON.parse(out) as ReportOutput;
      expect(report.ledger.rows).toBe(inRange.length);
      expect(report.totals).toMatchObject(sums(inRange));
      const keyOf = (x: LedgerRow) => (by === 'day' ? x.ts.slice(0, 10) : by === 'instance' ? (x.instance ?? '(none)') : x[by]);
      const keys = [...new Set(inRange.map(keyOf))].sort();
      expect(report.groups.map((g) => g.key)).toEqual(keys);
      for (const g of report.groups) expect(g).toMatchObject(sums(inRange.filter((x) => keyOf(x) === g.key)));
      // The terminal table's total line shows the same numbers.
      const table = await run(['report', '--by', by, '--since', '2026-11-10', '--until', '2026-11-24', '--ledger', ledger, '--no-claude-logs'], deps);
      const total = table.out.split('\n').find((l) => l.startsWith('TOTAL')) ?? '';
      const cells = total.split(/\s{2,}/);
      expect(cells[1]).toBe(inRange.length.toLocaleString('en-US'));
      const digits = (n: number) => (n >= 100 ? 2 : n >= 1 ? 3 : n >= 0.01 ? 4 : 6);
      const dollars = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: digits(n), maximumFractionDigits: digits(n) })}`;
      expect(cells[6]).toBe(`${dollars(report.totals.billedUsd)} +${report.totals.billedUnknownCalls}?`);
      expect(cells[7]).toBe(`${dollars(report.totals.equivalentUsd)} +${report.totals.equivalentUnknownCalls}?`);
    }
  });

  it('adds Claude Code session logs as subscription work, repeated lines counted once', async () => {
    const home = await tempDir();
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: '2026-11-22T10:00:00.000Z', usd: 0.5 })]);
    const project = join(home, '.claude', 'projects', '-home-carole-site');
    await mkdir(project, { recursive: true });
    const usage = { input_tokens: 12, output_tokens: 900, cache_creation_input_tokens: 2000, cache_read_input_tokens: 40000 };
    const line = (output: number) =>
      JSON.stringify({
        parentUuid: 'p',
        isSidechain: false,
        userType: 'external',
        cwd: '/home/carole/site',
        sessionId: 's-1',
        version: '2.1.330',
        message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], usage: { ...usage, output_tokens: output } },
        requestId: 'req_1',
        type: 'assistant',
        uuid: 'u',
        timestamp: '2026-11-22T11:00:00.000Z',
      });
    await writeFile(join(project, 's-1.jsonl'), `${line(40)}\n${line(900)}\n${line(900)}\n`);
    const deps = testDeps(home);
    const { code, out } = await run(['report', '--since', '2d', '--ledger', ledger, '--json', '--by', 'path'], deps);
    expect(code).toBe(0);
    const report = JSON.parse(out) as ReportOutput;
    expect(report.since).toBe('2026-11-22T00:00:00.000Z'); // 2d: today and yesterday, from midnight
    expect(report.claudeLogs).toMatchObject({ dir: join(home, '.claude', 'projects'), messages: 1, duplicates: 2, rows: 1 });
    const sub = report.groups.find((g) => g.key === 'subscription');
    expect(sub).toMatchObject({ calls: 1, outputTokens: 900, billedUsd: 0, equivalentUsd: costOf('claude-sonnet-4-6', usage).usd });
    expect(report.groups.find((g) => g.key === 'api')).toMatchObject({ calls: 1, billedUsd: 0.5, equivalentUsd: 0 });
    expect(report.totals.billedUsd).toBe(0.5); // never added to the subscription dollars

    const text = await run(['report', '--since', '2d', '--ledger', ledger, '--by', 'app'], deps);
    expect(text.out).toMatch(/^claude-code\s+1\s/m);
    expect(text.out).toContain('2 repeated lines counted once');
  });

  it('a farm subscription row and the same response in the session logs are counted once (by message id)', async () => {
    const home = await tempDir();
    const ledger = join(home, 'ledger.jsonl');
    const farmRow = row({ ts: '2026-11-22T11:00:05.000Z', app: 'farm', path: 'subscription', usd: 0.02, request_id: 'req_2', message_ids: ['msg_a', 'msg_b'] });
    await writeLedger(ledger, [farmRow]);
    const project = join(home, '.claude', 'projects', '-home-carole-site');
    await mkdir(project, { recursive: true });
    const line = (id: string, requestId: string) =>
      JSON.stringify({
        sessionId: 's-2',
        cwd: '/home/carole/site',
        message: { id, type: 'message', role: 'assistant', model: 'claude-haiku-5-5', content: [], usage: { input_tokens: 10, output_tokens: 20, cache_creation_input_tokens: 3000, cache_read_input_tokens: 0 } },
        requestId,
        type: 'assistant',
        timestamp: '2026-11-22T11:00:00.000Z',
      });
    // The farm run's two responses, and one from the owner's own interactive session.
    await writeFile(join(project, 's-2.jsonl'), `${line('msg_a', 'req_1')}\n${line('msg_b', 'req_2')}\n${line('msg_own', 'req_9')}\n`);
    const { code, out } = await run(['report', '--since', '2d', '--ledger', ledger, '--json', '--by', 'app'], testDeps(home));
    expect(code).toBe(0);
    const report = JSON.parse(out) as ReportOutput;
    expect(report.claudeLogs).toMatchObject({ messages: 3, inLedger: 2, rows: 1 });
    expect(report.groups.find((g) => g.key === 'farm')).toMatchObject({ calls: 1, equivalentUsd: 0.02 });
    expect(report.groups.find((g) => g.key === 'claude-code')).toMatchObject({ calls: 1 });
    expect(report.totals.calls).toBe(2);
  });

  it('writes the HTML page when asked and names it', async () => {
    const home = await tempDir();
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: '2026-11-20T10:00:00.000Z', usd: 1.25 })]);
    const deps = testDeps(home);
    const { code, out } = await run(['report', '--since', '7d', '--ledger', ledger, '--no-claude-logs', '--html', 'spend.html'], deps);
    expect(code).toBe(0);
    expect(out).toContain(`HTML report: ${join(home, 'spend.html')}`);
    const html = await readFile(join(home, 'spend.html'), 'utf8');
    expect(html.match(/<g class="day"/g)).toHaveLength(14); // 7 days in each of the two charts
    expect(html).toContain('$1.25');
  });

  it('reads the ledger from $COST_LEDGER and refuses bad arguments with exit 2', async () => {
    const home = await tempDir();
    const ledger = join(home, 'elsewhere.jsonl');
    await writeLedger(ledger, [row({ usd: 0.25 })]);
    const deps = testDeps(home, { env: { COST_LEDGER: ledger } });
    const ok = await run(['report', '--json', '--no-claude-logs'], deps);
    expect(JSON.parse(ok.out)).toMatchObject({ ledger: { path: ledger, rows: 1 }, totals: { billedUsd: 0.25 } });
    for (const args of [
      ['--by', 'colour'],
      ['--since', 'last week'],
      ['--since', '0d'],
      ['--since', '2026-11-20', '--until', '2026-11-19'],
      ['--tz', 'Mars/Olympus'],
      ['--bogus'],
    ]) {
      const r = await run(['report', ...args], deps);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toContain('cost report --help');
    }
  });
});
