/**
 * Runs the real CLI as a child process: `node src/cli.ts` (Node's own type stripping); or, where many children
 * are started (the crash test), pre-warmed: src/cli.ts behind warm-cli.ts, bundled once by
 * esbuild into a temporary .mjs run by plain `node`, started while the previous child works
 * and released with a line on stdin. tsx's start-up (~2-3 s on a loaded machine) is then paid
 * once per test file, and module loading is off the clock. The bundle is the same source, not
 * a stand-in.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_DIR } from './sample.ts';

export const CLI = join(APP_DIR, 'src/cli.ts');

/** What a child run gave. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** When it was started (or released, for a pre-warmed child), and how long it ran from then. */
  readonly startedAt: number;
  readonly ms: number;
}

/** A bundled entry (e.g. warm-cli.ts) in a temporary folder, removed on dispose. */
export interface BundledCli {
  /** The .mjs file to run with plain `node`. */
  readonly path: string;
  readonly buildMs: number;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The part of esbuild's API used here (esbuild comes with tsx; no types are installed for it). */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}

/**
 * Bundles `entry` (our packages as TypeScript source, npm packages included) into one .mjs in
 * a temporary folder. esbuild is resolved from the tsx package, which depends on it, so no
 * extra dependency is needed.
 */
export async function bundleEntry(entry: string): Promise<BundledCli> {
  const fromTsx = createRequire(createRequire(join(APP_DIR, 'package.json')).resolve('tsx/package.json'));
  const esbuild = fromTsx('esbuild') as Esbuild;
  const dir = await mkdtemp(join(tmpdir(), 'lead-bundle-'));
  const path = join(dir, 'entry.mjs');
  const started = Date.now();
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: path,
    logLevel: 'error',
    // CommonJS dependencies bundled into ESM still call require() for node: builtins
    banner: { js: "import { createRequire as __leadRequire } from 'node:module'; const require = __leadRequire(import.meta.url);" },
  });
  return { path, buildMs: Date.now() - started, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

/** Bundles warm-cli.ts in front of src/cli.ts (for prewarm and warmLauncher). */
export function bundleCli(): Promise<BundledCli> {
  return bundleEntry(join(APP_DIR, 'test/support/warm-cli.ts'));
}

/** Spawns the CLI; `killAfterMs` SIGKILLs it then (if still running). */
export function runChild(args: readonly string[], env: Record<string, string>, killAfterMs?: number): { child: ChildProcess; done: Promise<ChildResult> } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  return { child, done: finish(child, output, Date.now(), killAfterMs) };
}

/** A started, loaded, waiting CLI child. */
export interface WarmChild {
  /** Lets the CLI run now; `killAfterMs` (from now) SIGKILLs it then. */
  go(killAfterMs?: number): { child: ChildProcess; done: Promise<ChildResult> };
  /** Kills it if go() was never called. */
  discard(): void;
}

/** Starts the bundled CLI, which loads, says `ready` over IPC, and waits for go(). */
export function prewarm(bundle: BundledCli, args: readonly string[], env: Record<string, string>): WarmChild {
  const child = spawn(process.execPath, [bundle.path, ...args], { cwd: APP_DIR, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  const output = collect(child);
  const ready = new Promise<boolean>((resolve) => {
    child.once('message', () => resolve(true));
    void output.closed.then(() => resolve(false));
  });
  let started = false;
  return {
    go(killAfterMs) {
      started = true;
      const done = ready.then((alive) => {
        if (alive) child.send('go');
        return finish(child, output, Date.now(), killAfterMs);
      });
      return { child, done };
    },
    discard() {
      if (!started) child.kill('SIGKILL');
    },
  };
}

/** Runs the bundled CLI one child after another, each started while the one before works. */
export interface WarmLauncher {
  /** Releases the waiting child (see WarmChild.go) and starts the next one. */
  launch(killAfterMs?: number): { child: ChildProcess; done: Promise<ChildResult> };
  /** Kills the waiting child. */
  [Symbol.dispose](): void;
}

/** A WarmLauncher for `args` and `env`. */
export function warmLauncher(bundle: BundledCli, args: readonly string[], env: Record<string, string>): WarmLauncher {
  let next = prewarm(bundle, args, env);
  return {
    launch(killAfterMs) {
      const run = next.go(killAfterMs);
      next = prewarm(bundle, args, env);
      return run;
    },
    [Symbol.dispose]: () => next.discard(),
  };
}

interface Output {
  stdout: string;
  stderr: string;
  /** 'close', not 'exit': the output is complete only once the pipes are closed. */
  readonly closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Listens from the spawn on, so nothing is missed (a child may die while it loads). */
function collect(child: ChildProcess): Output {
  const out: Output = {
    stdout: '',
    stderr: '',
    closed: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return out;
}

async function finish(child: ChildProcess, output: Output, started: number, killAfterMs: number | undefined): Promise<ChildResult> {
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  const { code, signal } = await output.closed;
  clearTimeout(timer);
  return { code, signal, stdout: output.stdout, stderr: output.stderr, startedAt: started, ms: Date.now() - started };
}
