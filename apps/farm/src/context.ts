/**
 * Everything a path needs to run a task, resolved once by the CLI (or a test) and passed down:
 * where things live, the limits, the clients' injected parts. Libraries below never read
 * process.env; the CLI builds this from repos.env and its own environment.
 */
import type { Logger } from '@jobs/core/logger';
import type { LedgerRow } from '@jobs/ledger/row';
import type { SpawnFn } from '@jobs/claude/cli-run';

/** Where rows go (@jobs/ledger's createLedger in practice). */
export interface LedgerSink {
  append(row: LedgerRow): Promise<void>;
}

/** SSH worker settings for the remote path. */
export interface RemoteSettings {
  host: string;
  user?: string;
  port?: number;
  identityFile?: string;
  knownHostsFile?: string;
  /** The remote shell command that runs `farm remote-exec` there. */
  command: string;
  /** The ssh binary. Default `ssh`. */
  sshBin?: string;
}

/** The resolved context of a farm run. */
export interface FarmContext {
  /** The parent's environment (the CLI's process.env); only childEnv reads it. */
  parentEnv: Readonly<Record<string, string | undefined>>;
  /** The `claude` executable. */
  claudeBin: string;
  /** ANTHROPIC_BASE_URL for the CLI and the API client, when not the default. */
  baseURL?: string;
  /** The API key (repos.env), for the API path and fallback; absent: no API path here. */
  apiKey?: string;
  /** `<state dir>/farm`: locks, sessions, per-task MCP files. */
  farmDir: string;
  /** Where project folders (with instructions.md) live. */
  projectsDir: string;
  watchdogMs: number;
  lockWaitMs: number;
  /** Wait for a busy project (true) or refuse at once. */
  lockWait: boolean;
  sessionTtlMs: number;
  sessionMaxMessages: number;
  /** `mcpServers` definitions the tasks may name (FARM_MCP_CONFIG). */
  mcpServers: Record<string, unknown>;
  /** USD the API may be billed per day (ledger `billedUsd` today); undefined: no daily cap. */
  dailyApiBudgetUsd?: number;
  ledger: LedgerSink;
  ledgerPath?: string;
  remote?: RemoteSettings;
  app: string;
  host: string;
  logger: Logger;
  redact: (s: string) => string;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  spawn?: SpawnFn;
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/** The switches that keep the CLI from calling anything but the Messages API (telemetry, updates, feature flags). */
export const CLAUDE_QUIET_ENV: Readonly<Record<string, string>> = Object.freeze({
  CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
  DISABLE_TELEMETRY: '1',
  DISABLE_ERROR_REPORTING: '1',
  DISABLE_AUTOUPDATER: '1',
});

/** The parent variables the subscription CLI may inherit besides childEnv's allowlist. */
export const SUBSCRIPTION_ALLOW: readonly string[] = ['CLAUDE_CODE_OAUTH_TOKEN', 'CLAUDE_CONFIG_DIR'];
