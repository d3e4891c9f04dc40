/** Runs the real CLI as a child process (node --import tsx src/cli.ts). */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { APP_DIR } from './sample.ts';

export const CLI = join(APP_DIR, 'src/cli.ts');

/** What a child run gave. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Spawns the CLI; `killAfterMs` SIGKILLs it then (if still running). */
export function runChild(args: readonly string[], env: Record<string, string>, killAfterMs?: number): { child: ChildProcess; done: Promise<ChildResult> } {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const done = new Promise<ChildResult>((resolve) => {
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return { child, done };
}
