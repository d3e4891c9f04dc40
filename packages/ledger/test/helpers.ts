// Shared test helpers: temp dirs, a recording logger, a row builder and a seeded PRNG.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { LedgerRow } from '../src/row.ts';

export { prng } from '@jobs/testkit/prng';

/** A fresh temp dir, removed when the test ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A logger that keeps every call. */
export function recordingLogger() {
  const lines: Array<{ level: string; obj: Record<string, unknown>; msg: string | undefined }> = [];
  const at = (level: string) => (obj: object, msg?: string) =>
    void lines.push({ level, obj: obj as Record<string, unknown>, msg });
  return {
    lines,
    warnings: () => lines.filter((l) => l.level === 'warn'),
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

/** A valid row, with overrides. */
export function row(overrides: Partial<LedgerRow> = {}): LedgerRow {
  return {
    ts: '2026-11-23T09:00:00.000Z',
    run_id: 'run-1',
    app: 'digest',
    job: 'am',
    call_site: 'summarize-threads',
    path: 'api',
    host: 'test-host',
    model: 'claude-haiku-5-5',
    input_tokens: 1200,
    output_tokens: 300,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 4096,
    usd: 0.000312,
    latency_ms: 850,
    attempts: 1,
    outcome: 'ok',
    request_id: 'req_01',
    ...overrides,
  };
}

