// Shared test helpers: temp dirs, injected deps with captured output, seeded ledger rows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LedgerRow } from '@jobs/ledger/row';
import { onTestFinished } from 'vitest';
import type { Deps } from '../src/deps.ts';
import { main } from '../src/main.ts';

export { prng } from '@jobs/testkit/prng';

/** A fresh temp dir, removed when the test ends. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cost-test-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Deps for an in-process run: a temp home and state dir, a fixed clock, captured output. */
export function testDeps(home: string, overrides: Partial<Deps> = {}): Deps & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    env: { JOBS_STATE_DIR: join(home, 'state') },
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    },
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    },
    now: () => new Date('2026-11-23T12:00:00.000Z'),
    home,
    cwd: home,
    workspaceRoot: home,
    hostname: 'test-host',
    localTimeZone: 'UTC',
    ...overrides,
    out: () => out,
    err: () => err,
  };
}

/** Runs the CLI in-process; returns the exit code and what it printed. */
export async function run(argv: string[], deps: ReturnType<typeof testDeps>): Promise<{ code: number; out: string; err: string }> {
  const before = { out: deps.out().length, err: deps.err().length };
  const code = await main(argv, deps);
  return { code, out: deps.out().slice(before.out), err: deps.err().slice(before.err) };
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

/** Writes rows as a ledger file (one JSON line each). */
export async function writeLedger(path: string, rows: readonly LedgerRow[]): Promise<void> {
  await writeFile(path, rows.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });
}

