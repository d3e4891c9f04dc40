// Shared test fixtures: a fake clock and recording sleeper (shared with the simulator, so its request
// log times are on the same clock), the real ledger on a temp file, a recording logger, a client factory.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedger } from '@jobs/ledger/ledger';
import { readLedger } from '@jobs/ledger/read';
import type { LedgerRow } from '@jobs/ledger/row';
import { type AnthropicSimulator, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { type ClaudeClient, type ClaudeClientOptions, createClaudeClient } from '../src/client.ts';

export const API_KEY = 'sk-ant-api03-test-key-6f1d2a9c8b7e';

/** A clock that only moves when the code under test sleeps. */
export function fakeClock(start = Date.parse('2026-11-23T09:00:00Z')) {
  const state = { t: start };
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => state.t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      state.t += ms;
    },
  };
}

/** A logger that keeps every line. */
export function recordingLogger() {
  const lines: Array<{ level: string; obj: object; msg: string | undefined }> = [];
  const at = (level: string) => (obj: object, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } };
}

/** Everything a client test needs, released with `await using`. */
export async function setup(
  overrides: Partial<ClaudeClientOptions> = {},
  simOptions: Parameters<typeof startAnthropicSimulator>[0] = {},
) {
  const clock = fakeClock();
  const dir = await mkdtemp(join(tmpdir(), 'claude-test-'));
  const ledgerPath = join(dir, 'ledger.jsonl');
  const sim: AnthropicSimulator = await startAnthropicSimulator({ apiKeys: [API_KEY], now: clock.now, ...simOptions });
  const log = recordingLogger();
  const client: ClaudeClient = createClaudeClient({
    apiKey: API_KEY,
    keyFile: '/home/ops/repos.env',
    baseURL: sim.url,
    app: 'test-app',
    job: 'test-job',
    runId: 'run-1',
    budgetUsd: 1,
    ledger: createLedger({ path: ledgerPath }),
    logger: log.logger,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    host: 'test-host',
    ...overrides,
  });
  return {
    clock,
    sim,
    client,
    log,
    ledgerPath,
    /** Rows read back through the real ledger reader. */
    rows: async (): Promise<LedgerRow[]> => {
      const out: LedgerRow[] = [];
      for await (const row of readLedger(ledgerPath, {})) out.push(row);
      return out;
    },
    ledgerText: () => readFile(ledgerPath, 'utf8').catch(() => ''),
    /** Requests the simulator saw on POST /v1/messages. */
    messageRequests: () => sim.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages'),
    async [Symbol.asyncDispose]() {
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A user message. */
export const user = (content: string) => ({ role: 'user' as const, content });
