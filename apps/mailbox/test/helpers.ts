/**
 * Test helpers: main() in-process with captured output (and a way to wait for a line), a
 * repos.env in a temp dir, and the CLI as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Deps, main, SecretSet } from '../src/main.ts';

/** A temp home with a state dir; removed on dispose. */
export async function tempHome(): Promise<{ dir: string; stateDir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mailbox-'));
  return { dir, stateDir: join(dir, 'state'), [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes repos.env (0600) from key/value pairs; returns its path. */
export async function writeReposEnv(dir: string, values: Record<string, string | number>): Promise<string> {
  const path = join(dir, 'repos.env');
  await writeFile(path, `${Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
  return path;
}

/** A captured stream with a waiter for text matching a pattern. */
class Capture {
  text = '';
  #waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  write(chunk: string): boolean {
    this.text += chunk;
    for (const w of [...this.#waiters]) {
      const m = this.text.match(w.re);
      if (m) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
    return true;
  }
  waitFor(re: RegExp): Promise<RegExpMatchArray> {
    const m = this.text.match(re);
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => this.#waiters.push({ re, resolve }));
  }
}

/** Starts main() in-process; `lines` are what stdin gives, in order (then it waits forever). */
export function startMain(argv: string[], o: { home: string; stateDir: string; reposEnv: string; lines?: Promise<string>[] }) {
  const stdout = new Capture();
  const stderr = new Capture();
  const lines = [...(o.lines ?? [])];
  const deps: Deps = {
    env: { JOBS_STATE_DIR: o.stateDir, REPOS_ENV: o.reposEnv },
    stdout,
    stderr,
    readLine: () => lines.shift() ?? new Promise<string | undefined>(() => {}),
    now: Date.now,
    home: o.home,
    cwd: o.home,
    workspaceRoot: o.home,
    secrets: new SecretSet(),
  };
  return { stdout, stderr, exit: main(argv, deps) };
}

const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');

/** The real CLI as a child process. */
export function mailboxCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
    child.stdin?.end();
  });
}
