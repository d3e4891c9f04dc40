/** Shared test setup: a temp workspace with a private repos.env, the simulator, in-process CLI runs. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readLedger } from '@jobs/ledger/read';
import type { LedgerRow } from '@jobs/ledger/row';
import { CLAUDE_CLI_QUIET_ENV, claudeCliPath } from '@jobs/testkit/anthropic-simulator';
import { main } from '../src/main.ts';

export const KEY = 'sk-ant-api03-farm-test-key-0123456789';
export const TOKEN = 'sk-ant-oat01-farm-test-token-0123456789';
export const APP_DIR = join(import.meta.dirname, '..');
export const WORKSPACE = join(APP_DIR, '..', '..');

/** A captured output stream. */
export class Capture {
  text = '';
  isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
  lines(): Array<Record<string, unknown>> {
    return this.text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

/** A temp dir tree for one test: home, state, repos.env. */
export interface Sandbox {
  root: string;
  home: string;
  state: string;
  reposEnv: string;
  ledger: string;
  env: Record<string, string>;
  writeEnv(values: Record<string, string | number>): Promise<void>;
  run(argv: string[], stdin?: string, extraEnv?: Record<string, string>): Promise<{ code: number; stdout: Capture; stderr: Capture }>;
  rows(): Promise<LedgerRow[]>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Makes a sandbox; `env` is the parent env `main` sees (HOME, PATH, state, ledger, REPOS_ENV). */
export async function sandbox(): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'farm-test-'));
  const home = join(root, 'home');
  const state = join(root, 'state');
  const reposEnv = join(root, 'repos.env');
  const ledger = join(root, 'ledger.jsonl');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    JOBS_STATE_DIR: state,
    COST_LEDGER: ledger,
    REPOS_ENV: reposEnv,
    ...CLAUDE_CLI_QUIET_ENV,
  };
  const sb: Sandbox = {
    root,
    home,
    state,
    reposEnv,
    ledger,
    env,
    async writeEnv(values) {
      const text = Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n');
      await writeFile(reposEnv, `${text}\n`, { mode: 0o600 });
    },
    async run(argv, stdin = '', extraEnv = {}) {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(argv, {
        env: { ...env, ...extraEnv },
        stdout,
        stderr,
        stdin: Readable.from([stdin]),
        cwd: root,
        home,
        workspaceRoot: root,
      });
      return { code, stdout, stderr };
    },
    async rows() {
      const out: LedgerRow[] = [];
      for await (const r of readLedger(ledger)) out.push(r);
      return out;
    },
    [Symbol.asyncDispose]: () => rm(root, { recursive: true, force: true }),
  };
  return sb;
}

/** The base repos.env of a farm test against a simulator. */
export function baseEnv(simUrl: string, more: Record<string, string | number> = {}): Record<string, string | number> {
  return { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: simUrl, FARM_CLAUDE_BIN: claudeCliPath(), FARM_WATCHDOG_SECONDS: 60, ...more };
}
