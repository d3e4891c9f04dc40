// Covers what a CLI run's ledger row costs, with the real Claude Code CLI against the simulator.
// Resumed sessions: the CLI's total_cost_usd is the session's running total after --resume, so a
// row priced from it counts earlier tasks again; each row must carry its own run's cost, priced
// from that run's usage. A run stopped by --max-budget-usd: the result's usage leaves out the last
// request while its total_cost_usd includes it; the row's tokens and usd must cover the same
// requests (all of them).
import type { LedgerRow } from '@jobs/ledger/row';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { baseEnv, sandbox, TOKEN } from './helpers.ts';

const oauth = { CLAUDE_CODE_OAUTH_TOKEN: TOKEN };

/**
 * The row's tokens at Haiku 5.5's first-tier rates per MTok ($0.10 in, $0.50 out, $0.20 1-hour
 * cache write, the CLI's kind, $0.01 cache read). Each request of these runs is under the 100K
 * tier bound; their sum may not be, so the row is priced per request, never by the summed prompt.
 */
function priced(row: LedgerRow | undefined): number {
  const r = row as LedgerRow;
  return (r.input_tokens * 0.1 + r.output_tokens * 0.5 + r.cache_creation_input_tokens * 0.2 + r.cache_read_input_tokens * 0.01) / 1e6;
}

describe('CLI rows carry this run\'s cost (real CLI)', () => {
  it('three tasks on one session: each resumed row is priced from its own usage, not the running total', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond(() => ({ kind: 'reply', text: 'noted '.repeat(40) }));
    const printed: unknown[] = [];
    for (const t of ['one', 'two', 'three']) {
      const r = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], `Task ${t}: ${'check the page '.repeat(60)}`, oauth);
      expect(r.code, r.stderr.text).toBe(0);
      printed.push(r.stdout.lines()[0]?.usd);
    }
    const rows = await sb.rows();
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(3);
    for (const [i, row] of rows.entries()) {
      expect(row.usd).toBeCloseTo(priced(row), 12);
      expect(printed[i]).toBe(row.usd);
    }
    // Resumed runs read the cached history and write only their new turn: each costs less than
    // the first, where the running total the CLI reports grows past it.
    expect(rows[1]?.cache_read_input_tokens).toBeGreaterThan(0);
    expect(rows[1]?.usd).toBeLessThan(rows[0]?.usd as number);
    expect(rows[2]?.usd).toBeLessThan(rows[0]?.usd as number);
  }, 120_000);

  it('a run stopped by --max-budget-usd: the row covers every request, tokens and usd alike', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    let n = 0;
    // Every reply asks for a tool, so the CLI keeps taking turns until its budget stops it.
    sim.respond(() => ({
      kind: 'reply',
      stopReason: 'tool_use',
      content: [{ type: 'text', text: 'step' }, { type: 'tool_use', id: `toolu_${++n}`, name: 'Bash', input: { command: 'true', description: 'noop' } }],
    }));
    const r = await sb.run(['run', '--path', 'subscription', '--atomic', '--max-budget-usd', '0.008', '--max-turns', '30', '--json'], `Task: ${'x '.repeat(300)}`, oauth);
    expect(r.stdout.lines()[0]).toMatchObject({ outcome: 'error_max_budget_usd' });
    const [row] = await sb.rows();
    const requests = sim.messageRequests().length;
    expect(requests).toBeGreaterThan(2);
    // Each tool_use reply is the same 14 output tokens: the row counts all the requests' output.
    expect(row?.output_tokens).toBe(14 * requests);
    expect(row?.usd).toBeCloseTo(priced(row), 12);
    expect(r.stdout.lines()[0]?.usd).toBe(row?.usd);
  }, 120_000);
});
