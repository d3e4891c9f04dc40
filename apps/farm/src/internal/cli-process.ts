/**
 * Runs the `claude` CLI once: spawned in its own process group (so a kill reaches the tools
 * it started too), the prompt on stdin, stream-json events read line by line, with
 *
 * - the key-source guard: the first `system/init` event must report the expected
 *   `apiKeySource`, else the whole group is killed before the first API call completes;
 * - the inactivity watchdog: no event for `watchdogMs` kills the group. A reply stalled
 *   mid-stream otherwise keeps the CLI waiting for minutes.
 */
import { type ChildProcess, spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import type { Logger } from '@jobs/core/logger';
import { createLineDecoder } from '@jobs/claude/stream-json';
import { emptySummary, foldEvent, type StreamEvent, type StreamSummary } from './stream.ts';

/** node:child_process spawn, injectable. */
export type SpawnFn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

/** Options of runCliProcess. */
export interface CliProcessOptions {
  bin: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  stdin: string;
  watchdogMs: number;
  /** The apiKeySource the init event must report (`none` on the subscription path). */
  expectKeySource: string;
  /** Stop at once when the stream says the plan's rate limit rejected us (the CLI would retry for minutes). */
  stopOnRateLimit: boolean;
  logger: Logger;
  spawn?: SpawnFn;
  now?: () => number;
  onEvent?: (e: StreamEvent) => void;
}

/** How the process ended. */
export interface CliProcessResult {
  summary: StreamSummary;
  exitCode: number | null;
  signal: string | null;
  /** Why we killed it, if we did. */
  killed?: 'stall' | 'key-source' | 'rate-limit';
  /** ms from the last event to the kill (stall only). */
  stalledForMs?: number;
  durationMs: number;
  stderr: string;
}

/** Kills a whole process group; a group already gone is fine. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already exited
    }
  }
}

/** Spawns the CLI and resolves when it has exited (never rejects for a CLI failure). */
export function runCliProcess(o: CliProcessOptions): Promise<CliProcessResult> {
  const now = o.now ?? Date.now;
  const spawn = o.spawn ?? (nodeSpawn as SpawnFn);
  const started = now();
  const summary = emptySummary();
  let lastEventAt = started;
  let killed: CliProcessResult['killed'];
  let stalledForMs: number | undefined;
  let stderr = '';

  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      child = spawn(o.bin, o.args, { cwd: o.cwd, env: o.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    } catch (err) {
      resolve({ summary, exitCode: null, signal: null, durationMs: 0, stderr: String(err) });
      return;
    }
    const kill = (why: NonNullable<CliProcessResult['killed']>): void => {
      if (killed !== undefined) return;
      killed = why;
      o.logger.warn({ why, pid: child.pid }, 'killing the claude process group');
      killGroup(child);
    };
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        stalledForMs = now() - lastEventAt;
        kill('stall');
      }, o.watchdogMs);
    };
    arm();
    const decode = createLineDecoder<StreamEvent>(
      (e) => {
        lastEventAt = now();
        arm();
        foldEvent(summary, e);
        o.onEvent?.(e);
        if (e.type === 'system' && e.subtype === 'init' && summary.init === e && e.apiKeySource !== o.expectKeySource) kill('key-source');
        if (o.stopOnRateLimit && summary.rateLimited && summary.result === undefined) kill('rate-limit');
      },
      (line) => o.logger.debug({ line: line.slice(0, 500) }, 'claude printed a non-JSON line'),
    );
    child.stdout?.on('data', decode);
    child.stderr?.on('data', (c: Buffer) => {
      if (stderr.length < 16_384) stderr += c.toString();
    });
    child.stdin?.on('error', () => {
      // EPIPE when the CLI exits before reading its prompt: the exit code tells the story.
    });
    child.stdin?.end(o.stdin);
    let done = false;
    const finish = (exitCode: number | null, signal: string | null): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      // The group may still hold tool processes the CLI left behind.
      if (killed !== undefined) killGroup(child);
      const r: CliProcessResult = { summary, exitCode, signal, durationMs: now() - started, stderr };
      if (killed !== undefined) r.killed = killed;
      if (stalledForMs !== undefined) r.stalledForMs = stalledForMs;
      resolve(r);
    };
    child.on('error', (err) => {
      stderr += String(err);
      finish(null, null);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}
