// Covers `--batch` through main() on a Maildir copy and the Anthropic simulator: the summaries
// come through the Message Batches API (POST /v1/messages/batches, no direct /v1/messages), the
// ledger rows are priced at half the direct rate; a batch that never ends is cancelled at
// DIGEST_BATCH_DEADLINE_MINUTES on an injected clock and the pending summaries go direct.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type AnthropicSimulator, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { copySample, runMain, workDir } from './support/env.ts';
import { fakeClock, summaryReply, TEST_KEY, threadIds } from './support/sim.ts';

type Row = Record<string, unknown> & { usd: number; input_tokens: number; output_tokens: number };

async function setup(sim: AnthropicSimulator, extra: Record<string, string | number> = {}) {
  sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
  const wd = await workDir({});
  const maildir = await copySample(wd.dir);
  const keys = { DIGEST_SOURCE: `maildir:${maildir}`, DIGEST_TIMEZONE: 'America/New_York', ANTHROPIC_API_KEY: TEST_KEY, ANTHROPIC_BASE_URL: sim.url, ...extra };
  await writeFile(wd.envFile, `${Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  const ledger = (name: string) => join(wd.dir, `${name}.jsonl`);
  const run = async (name: string, args: string[], clock = fakeClock()) => {
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--since', '36500d', '--out', join(wd.dir, `${name}.html`), '--json', ...args], { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: ledger(name) }, { now: clock.now, sleep: clock.sleep });
    expect(r.code, r.stderr).toBe(0);
    const rows = (await readFile(ledger(name), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Row);
    return { report: JSON.parse(r.stdout), rows, stderr: r.stderr };
  };
  return { run };
}

const sum = (rows: Row[], key: 'usd' | 'input_tokens' | 'output_tokens') => rows.reduce((a, r) => a + r[key], 0);

describe('digest --batch', () => {
  it('summaries come through the batches API, none direct, ledger rows at half the direct price', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    const s = await setup(sim);
    const direct = await s.run('direct', []);
    const directCalls = sim.messageRequests();
    expect(directCalls.length).toBeGreaterThan(0);
    const summarized = directCalls.flatMap(threadIds).sort();
    expect(summarized.length).toBeGreaterThan(directCalls.length); // several threads per call
    sim.reset();
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));

    const batched = await s.run('batch', ['--batch']);
    expect(sim.messageRequests()).toHaveLength(0);
    const creates = sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages/batches');
    expect(creates).toHaveLength(1);
    // the batch carried every conversation the direct run summarized
    const items = (creates[0]!.body?.requests ?? []) as Array<{ params: { messages: Array<{ content: unknown }> } }>;
    const batchedIds = items.flatMap((it) => [...JSON.stringify(it.params.messages).matchAll(/<thread id=\\"(t\d+)\\"/g)].map((m) => m[1]!)).sort();
    expect(batchedIds).toEqual(summarized);

    expect(batched.report).toMatchObject({ outcome: 'dry-run', degraded: null, claudeCalls: direct.report.claudeCalls, claudePath: 'api' });
    expect(batched.rows).toHaveLength(direct.rows.length);
    expect(batched.rows.every((r) => r.app === 'digest' && r.job === 'digest-batch' && r.reason === 'batch' && r.outcome === 'ok')).toBe(true);
    expect(direct.rows.every((r) => r.reason !== 'batch')).toBe(true);
    expect(sum(batched.rows, 'input_tokens')).toBe(sum(direct.rows, 'input_tokens'));
    expect(sum(batched.rows, 'output_tokens')).toBe(sum(direct.rows, 'output_tokens'));
    expect(sum(direct.rows, 'usd')).toBeGreaterThan(0);
    expect(sum(batched.rows, 'usd')).toBeCloseTo(sum(direct.rows, 'usd') / 2, 10);
    expect(batched.report.usd).toBeCloseTo(direct.report.usd / 2, 10);
    const html = await readFile(batched.report.htmlPath, 'utf8');
    expect(html).toContain('Summary of Backyard patio and planting plan');
  });

  it('a batch that never ends: cancelled at the deadline (injected clock), the rest goes direct', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY], batchProcessing: 'never' });
    const s = await setup(sim, { DIGEST_BATCH_DEADLINE_MINUTES: 2 });
    const clock = fakeClock();
    const started = clock.now();
    const r = await s.run('late', ['--batch'], clock);
    expect(sim.requests.some((q) => q.method === 'POST' && q.path === '/v1/messages/batches')).toBe(true);
    expect(sim.requests.some((q) => q.method === 'POST' && /^\/v1\/messages\/batches\/[^/]+\/cancel$/.test(q.path))).toBe(true);
    // it waited for the deadline on the injected sleep, not on the wall clock
    expect(clock.now() - started).toBeGreaterThanOrEqual(2 * 60_000);
    const direct = sim.messageRequests();
    expect(direct.length).toBeGreaterThan(0);
    const batchItems = (sim.requests.find((q) => q.path === '/v1/messages/batches')!.body?.requests ?? []) as unknown[];
    expect(direct).toHaveLength(batchItems.length);
    expect(r.report).toMatchObject({ degraded: null, claudeCalls: direct.length });
    const ok = r.rows.filter((row) => row.outcome === 'ok');
    expect(ok).toHaveLength(direct.length);
    expect(ok.every((row) => row.reason !== 'batch' && row.usd > 0)).toBe(true);
    expect(r.stderr).toContain('batch deadline passed');
  });
});
