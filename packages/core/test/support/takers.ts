// Starts lock takers as real child processes (test/support/lock-taker.ts) and talks to them.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const PKG = join(HERE, '..', '..');

/** A taker process: `ask` sends a line and resolves with its one-line answer. */
export interface Taker {
  readonly pid: number;
  ask(line: string): Promise<string>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a taker running `script` (default the core lock's taker). */
export function startTaker(script = join(HERE, 'lock-taker.ts')): Taker {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['--import', 'tsx', script], { cwd: PKG, stdio: 'pipe' });
  const waiting: Array<(line: string) => void> = [];
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  child.on('close', (code) => {
    for (const w of waiting.splice(0)) w(`error exited ${code}: ${stderr}`);
  });
  return {
    pid: child.pid as number,
    ask(line) {
      return new Promise((resolve) => {
        waiting.push(resolve);
        child.stdin.write(`${line}\n`);
      });
    },
    async [Symbol.asyncDispose]() {
      if (child.exitCode !== null) return;
      const closed = new Promise((r) => child.on('close', r));
      child.stdin.end();
      await closed;
    },
  };
}

/** The pid of a process that has exited. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((r) => child.on('close', r));
  return child.pid as number;
}
