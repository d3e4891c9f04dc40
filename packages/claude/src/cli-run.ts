/**
 * The one `claude -p` runner of the suite: the jobs' CLI client (createClaudeCliClient) and the
 * farm's subscription and `--bare` paths both start the CLI through it. One run is spawned in
 * its own process group (a kill then reaches anything it started too), the prompt on stdin,
 * stream-json events read line by line, with
 *
 * - the auth-path guard, before spawning a subscription run (`expectKeySource` `none`): the
 *   path the CLI would take is resolved from the env, HOME, the working directory and every
 *   settings layer (./internal/cli/auth-check.ts); anything that bills other than the
 *   subscription (a settings `env` block's ANTHROPIC_AUTH_TOKEN or cloud switch, an API key,
 *   apiKeyHelper) refuses the run (`authRefused`), and nothing is spawned;
 * - the key-source guard, the second wall: the first `system/init` event must report
 *   `expectKeySource` (`none`, the subscription, by default), else the group is killed at
 *   once. The init event comes before the first API request, so a key slipped in by a wrapper
 *   script bills nothing;
 * - the inactivity watchdog: no event for `idleTimeoutMs` kills the group (a reply stalled
 *   mid-stream otherwise keeps the CLI waiting for minutes);
 * - a rejected plan rate limit stops the run at once (the CLI would otherwise retry it for
 *   minutes: ten retries with backoff, measured on 2.1.330);
 * - an optional overall deadline and the caller's AbortSignal.
 * Resolves when the process is gone; never rejects. Classify the outcome with classifyCliRun.
 */
import { type ChildProcess, spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import type { AuthCandidate } from '@jobs/credentials/auth-path';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { nonSubscriptionPath } from './internal/cli/auth-check.ts';
import { type CliEvent, type CliSummary, emptySummary, foldEvent } from './internal/cli/events.ts';
import { createLineDecoder } from './stream-json.ts';

export { assertSubscriptionEnv, headlessArgs } from './internal/cli/args.ts';
export { type CliEvent, type CliSummary, outcomeOf, type ResultOutcome, usageOf } from './internal/cli/events.ts';
export { type ClassifyContext, classifyCliRun } from './internal/cli/failure.ts';
export { billingOf, type CliBilling } from './internal/cli/billing.ts';
export { appendRow, type RowFields, type RowOptions } from './internal/ledger-row.ts';

/** node:child_process spawn, injectable. */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** Why the run was stopped by us. */
export type KillReason = 'key-source' | 'stall' | 'rate-limit' | 'timeout' | 'aborted';

/** Options of runClaudeCli. */
export interface RunClaudeCliOptions {
  bin: string;
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  cwd: string;
  stdin: string;
  idleTimeoutMs: number;
  /** Whole-run limit; default none (the watchdog and `--max-turns` bound the run). */
  timeoutMs?: number | undefined;
  /** The apiKeySource the init event must report. Default `none`: the subscription pays. */
  expectKeySource?: string;
  signal?: AbortSignal | undefined;
  /** The HOME the CLI sees, for the auth-path guard. Default: env.HOME, else os.homedir(). */
  home?: string | undefined;
  /** Managed settings file the auth-path guard reads; null skips it. Default: the platform's. */
  managedSettingsPath?: string | null | undefined;
  spawn?: SpawnFn | undefined;
  logger?: Logger | undefined;
  now?: (() => number) | undefined;
  /** Sees every decoded event after it was folded. */
  onEvent?: ((e: CliEvent) => void) | undefined;
}

/** How the run ended. */
export interface CliRun {
  summary: CliSummary;
  exitCode: number | null;
  signal: string | null;
  killed?: KillReason;
  /** ms from the last event to the watchdog's kill. */
  stalledForMs?: number;
  /** The spawn itself failed (ENOENT, EACCES): the CLI never ran. */
  spawnError?: NodeJS.ErrnoException;
  /** The auth-path guard refused the run before spawning: this path would have paid. */
  authRefused?: AuthCandidate;
  durationMs: number;
  /** The last 4 KiB of stderr (for messages, after redaction by the caller). */
  stderrTail: string;
}

/** Kills a whole process group (negative pid); a group already gone is fine. */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already exited
    }
  }
}

/** Spawns the CLI and resolves once it has exited (see the file comment). */
export async function runClaudeCli(o: RunClaudeCliOptions): Promise<CliRun> {
  const now = o.now ?? Date.now;
  const started = now();
  if ((o.expectKeySource ?? 'none') === 'none') {
    const payer = await nonSubscriptionPath(o);
    if (payer !== undefined) {
      (o.logger ?? noopLogger).warn({ authPath: payer.path, source: payer.source }, 'not starting the claude CLI: it would not bill the subscription');
      return { summary: emptySummary(), exitCode: null, signal: null, authRefused: payer, durationMs: now() - started, stderrTail: '' };
    }
  }
  return spawnAndWatch(o, started);
}

function spawnAndWatch(o: RunClaudeCliOptions, started: number): Promise<CliRun> {
  const now = o.now ?? Date.now;
  const logger = o.logger ?? noopLogger;
  const expectKeySource = o.expectKeySource ?? 'none';
  const summary = emptySummary();
  let lastEventAt = started;
  let killed: KillReason | undefined;
  let stalledForMs: number | undefined;
  let stderrTail = '';

  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = (o.spawn ?? (nodeSpawn as SpawnFn))(o.bin, o.args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    } catch (err) {
      resolve({ summary, exitCode: null, signal: null, spawnError: err as NodeJS.ErrnoException, durationMs: 0, stderrTail });
      return;
    }
    let spawnError: NodeJS.ErrnoException | undefined;
    const timers: NodeJS.Timeout[] = [];
    let idle: NodeJS.Timeout | undefined;
    const kill = (why: KillReason): void => {
      if (killed !== undefined) return;
      killed = why;
      logger.warn({ why, pid: child.pid, ...(stalledForMs === undefined ? {} : { stalledForMs }) }, 'stopping the claude CLI: killing its process group');
      killGroup(child);
    };
    const arm = (): void => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => {
        stalledForMs = now() - lastEventAt;
        kill('stall');
      }, o.idleTimeoutMs);
    };
    arm();
    if (o.timeoutMs !== undefined) timers.push(setTimeout(() => kill('timeout'), o.timeoutMs));
    const onAbort = (): void => kill('aborted');
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener('abort', onAbort, { once: true });

    const onEvent = (e: CliEvent): void => {
      lastEventAt = now();
      arm();
      foldEvent(summary, e);
      o.onEvent?.(e);
      if (e.type === 'system' && e.subtype === 'init' && summary.init === e && e.apiKeySource !== expectKeySource) kill('key-source');
      if (summary.rateLimited && summary.result === undefined) kill('rate-limit');
    };
    child.stdout?.on('data', createLineDecoder<CliEvent>(onEvent, (line) => logger.debug({ line: line.slice(0, 300) }, 'claude printed a non-JSON line')));
    child.stderr?.on('data', (c: Buffer) => {
      stderrTail = (stderrTail + c.toString('utf8')).slice(-4096);
    });
    // EPIPE when the CLI exits before reading its prompt: the exit code tells the story.
    child.stdin?.on('error', () => {});
    child.stdin?.end(o.stdin);

    let done = false;
    const finish = (exitCode: number | null, signal: string | null): void => {
      if (done) return;
      done = true;
      if (idle) clearTimeout(idle);
      for (const t of timers) clearTimeout(t);
      o.signal?.removeEventListener('abort', onAbort);
      // Tools or helpers the CLI started may outlive it in the group.
      if (killed !== undefined) killGroup(child);
      const r: CliRun = { summary, exitCode, signal, durationMs: now() - started, stderrTail };
      if (killed !== undefined) r.killed = killed;
      if (stalledForMs !== undefined) r.stalledForMs = stalledForMs;
      if (spawnError !== undefined) r.spawnError = spawnError;
      resolve(r);
    };
    child.on('error', (err: NodeJS.ErrnoException) => {
      spawnError = err;
      // 'close' may not follow an error from a process that never started.
      if (child.pid === undefined) finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}
