// Covers summarizing against the Anthropic simulator: several threads per call, zod-validated
// JSON with one retry through @jobs/claude's structured helper, 529 on every call -> extractive
// and degraded, --batch through the batches API (and refused by the budget, progress still
// complete), and the ledger rows (app digest).
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { beforeAll, describe, expect, it } from 'vitest';
import { noopLogger } from '@jobs/core/logger';
import { summarizeThreads } from '../src/summarize/summarize.ts';
import type { PendingThread } from '../src/threads.ts';
import { sampleThreads } from './support/sample.ts';
import { fakeClock, simClient, summaryReply, TEST_KEY, threadIds } from './support/sim.ts';

let threads: PendingThread[];
const conversations = () => threads.filter((t) => t.kind === 'conversation');

beforeAll(async () => {
  threads = await sampleThreads();
});

async function ledgerRows(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('summarizeThreads', () => {
  it('sends only conversations, several per call, and uses the validated JSON', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const ledger = join(await mkdtemp(join(tmpdir(), 'digest-sum-')), 'ledger.jsonl');
    const out = await summarizeThreads(threads, { claude: simClient(sim, ledger, fakeClock()), logger: noopLogger });

    const calls = sim.messageRequests();
    const sent = calls.flatMap(threadIds);
    expect(sent.sort()).toEqual(conversations().map((t) => t.id).sort());
    expect(calls.length).toBeLessThan(sent.length); // several threads per call
    expect(calls.every((r) => r.body?.model === 'claude-haiku-5-5')).toBe(true);
    expect(out.degraded).toBeNull();
    for (const t of conversations()) expect(out.byThread.get(t.id)?.by).toBe('claude');
    for (const t of threads.filter((x) => x.kind !== 'conversation')) expect(out.byThread.get(t.id)?.by).toBe('rule');
    expect(out.inputTokens).toBeGreaterThan(0);
    expect(out.usd).toBeGreaterThan(0);
    const rows = await ledgerRows(ledger);
    expect(rows).toHaveLength(calls.length);
    expect(rows.every((r) => r.app === 'digest' && r.call_site === 'digest.summarize' && r.outcome === 'ok')).toBe(true);
  });

  it('retries once on a reply that is not the required JSON, then accepts the corrected one', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.enqueue({ kind: 'reply', text: 'Here you go: {"t": [{"id": "t999"' });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const ledger = join(await mkdtemp(join(tmpdir(), 'digest-sum-')), 'ledger.jsonl');
    const out = await summarizeThreads(threads, { claude: simClient(sim, ledger, fakeClock()), logger: noopLogger });
    expect(out.degraded).toBeNull();
    const calls = sim.messageRequests();
    // the retry carries the bad reply and the validation problems
    const retry = calls[1]!.body?.messages as Array<{ role: string; content: string }>;
    expect(retry.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(retry[2]!.content).toMatch(/did not match/);
    expect(out.calls).toBe(calls.length);
  });

  it('answers 529 on every call: every conversation gets the extractive summary, marked degraded', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.respond(() => ({ kind: 'error', status: 529, type: 'overloaded_error' }));
    const ledger = join(await mkdtemp(join(tmpdir(), 'digest-sum-')), 'ledger.jsonl');
    const clock = fakeClock();
    const out = await summarizeThreads(threads, { claude: simClient(sim, ledger, clock), logger: noopLogger });
    expect(out.degraded).toBe('claude-failed');
    for (const t of conversations()) expect(out.byThread.get(t.id)?.by).toBe('extractive');
    // one logical call failed (4 tries on the model, 4 on the fallback); the rest were not attempted
    expect(sim.messageRequests()).toHaveLength(8);
    expect(clock.sleeps.length).toBeGreaterThan(0);
    const rows = await ledgerRows(ledger);
    expect(rows.map((r) => r.outcome)).toEqual(['error']);
  });

  it('--batch: summaries come through the batches API at the batch price', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const dir = await mkdtemp(join(tmpdir(), 'digest-sum-'));
    const direct = await summarizeThreads(threads, { claude: simClient(sim, join(dir, 'a.jsonl'), fakeClock()), logger: noopLogger });
    sim.reset();
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const batched = await summarizeThreads(threads, {
      claude: simClient(sim, join(dir, 'b.jsonl'), fakeClock()),
      logger: noopLogger,
      batch: { deadlineMs: 60_000, pollIntervalMs: 1_000 },
    });
    expect(sim.messageRequests()).toHaveLength(0); // nothing went direct
    expect(sim.requests.some((r) => r.method === 'POST' && r.path === '/v1/messages/batches')).toBe(true);
    expect(batched.degraded).toBeNull();
    expect(batched.inputTokens).toBe(direct.inputTokens);
    expect(batched.usd).toBeCloseTo(direct.usd / 2, 10);
    const rows = await ledgerRows(join(dir, 'b.jsonl'));
    expect(rows.every((r) => r.app === 'digest' && r.reason === 'batch')).toBe(true);
  });

  it('--batch past its deadline: cancelled, and the pending summaries go direct', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY], batchProcessing: 'never' });
    sim.respond((req) => ({ kind: 'reply', text: summaryReply(req) }));
    const ledger = join(await mkdtemp(join(tmpdir(), 'digest-sum-')), 'ledger.jsonl');
    const out = await summarizeThreads(threads, {
      claude: simClient(sim, ledger, fakeClock()),
      logger: noopLogger,
      batch: { deadlineMs: 10_000, pollIntervalMs: 2_000 },
    });
    expect(out.degraded).toBeNull();
    expect(sim.requests.some((r) => r.path.endsWith('/cancel'))).toBe(true);
    expect(sim.messageRequests().flatMap(threadIds).sort()).toEqual(conversations().map((t) => t.id).sort());
  });

  it('--batch refused by the budget: every chunk falls back, and progress still reaches the end', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [TEST_KEY] });
    const ledger = join(await mkdtemp(join(tmpdir(), 'digest-sum-')), 'ledger.jsonl');
    const progress: Array<[number, number]> = [];
    const out = await summarizeThreads(threads, {
      claude: simClient(sim, ledger, fakeClock(), 0.000_001),
      logger: noopLogger,
      batch: { deadlineMs: 60_000, pollIntervalMs: 1_000 },
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(out.degraded).toBe('budget');
    expect(sim.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    for (const t of conversations()) expect(out.byThread.get(t.id)?.by).toBe('extractive');
    const total = conversations().length;
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual([total, total]);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
  });

  it('without a client: extractive summaries, degraded no-api-key, nothing sent', async () => {
    const out = await summarizeThreads(threads, { claude: null, noClaudeReason: 'no-api-key', logger: noopLogger });
    expect(out.degraded).toBe('no-api-key');
    expect(out.calls).toBe(0);
    expect([...out.byThread.values()].every((s) => s.by !== 'claude')).toBe(true);
  });
});
