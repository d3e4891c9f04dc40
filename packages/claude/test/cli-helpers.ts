// Shared fixtures of the CLI-transport tests: the simulator (accepting one OAuth token and one API
// key), a temp HOME for the real `claude` CLI, its env built from scratch, the real ledger on a temp
// file, a recording logger, and a spawn that remembers the pids it started.
import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLedger } from '@jobs/ledger/ledger';
import { readLedger } from '@jobs/ledger/read';
import type { LedgerRow } from '@jobs/ledger/row';
import {
  type AnthropicSimulator,
  type ClaudeCliCredential,
  claudeCliEnv,
  claudeCliPath,
  startAnthropicSimulator,
} from '@jobs/testkit/anthropic-simulator';
import { type ClaudeCliClient, type ClaudeCliClientOptions, createClaudeCliClient, type SpawnFn } from '../src/cli-client.ts';
import { recordingLogger } from './helpers.ts';

export const TOKEN = 'sk-ant-oat01-cli-test-token-3c9e1f';
export const KEY = 'sk-ant-api03-cli-test-key-7a2d4b';
export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** What a CLI test gets; released with `await using`. */
export interface CliSetup {
  sim: AnthropicSimulator;
  home: string;
  /** The env the CLI gets (credential as asked; none for the not-logged-in case). */
  env: Record<string, string>;
  ledgerPath: string;
  log: ReturnType<typeof recordingLogger>;
  pids: number[];
  spawn: SpawnFn;
  client(overrides?: Partial<ClaudeCliClientOptions>): ClaudeCliClient;
  rows(): Promise<LedgerRow[]>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the simulator and prepares a HOME; `credential: null` leaves the CLI logged out. */
export async function cliSetup(credential: ClaudeCliCredential | null = { oauthToken: TOKEN }, extraEnv: Record<string, string> = {}): Promise<CliSetup> {
  const sim = await startAnthropicSimulator({ oauthTokens: [TOKEN], apiKeys: [KEY] });
  const home = await mkdtemp(join(tmpdir(), 'claude-cli-test-'));
  const ledgerPath = join(home, 'ledger.jsonl');
  const env = claudeCliEnv({ simUrl: sim.url, home, ...(credential ? { credential } : {}), extra: extraEnv });
  const log = recordingLogger();
  const pids: number[] = [];
  const spawn: SpawnFn = (cmd, args, options): ChildProcess => {
    const child = nodeSpawn(cmd, args, options);
    if (child.pid !== undefined) pids.push(child.pid);
    return child;
  };
  return {
    sim,
    home,
    env,
    ledgerPath,
    log,
    pids,
    spawn,
    client: (overrides = {}) =>
      createClaudeCliClient({
        env,
        bin: claudeCliPath(),
        app: 'test-app',
        job: 'test-job',
        runId: 'run-cli-1',
        budgetUsd: 1,
        ledger: createLedger({ path: ledgerPath }),
        logger: log.logger,
        spawn,
        tmpDir: home,
        host: 'test-host',
        reason: 'test: subscription transport',
        ...overrides,
      }),
    rows: async () => {
      const out: LedgerRow[] = [];
      for await (const row of readLedger(ledgerPath, {})) out.push(row);
      return out;
    },
    async [Symbol.asyncDispose]() {
      await sim.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

/** Whether a pid still names a live process (signal 0 probes without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
