/**
 * Starts and stops one dovecot master process (`dovecot -F -c CONF`) and the watchdog that
 * cleans up after it if the test process dies without calling close().
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { TestkitError } from '../errors.ts';
import { readGreeting } from './net.ts';

/** A running master, as far as the harness needs it. */
export interface DovecotProcess {
  child: ChildProcess;
  /** The first line the IMAP listener sent. */
  greeting: string;
  /** Resolves when the master has exited. */
  exited: Promise<void>;
}

/** Result of one start attempt. */
export type StartAttempt =
  | { ok: true; process: DovecotProcess }
  | { ok: false; portInUse: boolean; error: TestkitError };

async function tail(path: string, chars = 2000): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).slice(-chars);
  } catch {
    return '';
  }
}

/**
 * Spawns the master in the foreground and waits for the IMAP greeting on `port`.
 * A port taken by someone else between our probe and dovecot's bind is reported as
 * `portInUse` so the caller can retry with another one.
 */
export async function spawnDovecot(opts: {
  binary: string;
  configPath: string;
  logPath: string;
  host: string;
  port: number;
  timeoutMs: number;
}): Promise<StartAttempt> {
  const started = Date.now();
  const command = `${opts.binary} -F -c ${opts.configPath}`;
  // detached: the master leads its own process group, so one group kill reaches every
  // process it forked, and a Ctrl-C aimed at the test runner's group does not race us.
  const child = spawn(opts.binary, ['-F', '-c', opts.configPath], {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.unref();
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      exitCode = code;
      resolve();
    });
    child.once('error', (error) => {
      stderr += String(error);
      exitCode = -1;
      resolve();
    });
  });

  while (Date.now() - started < opts.timeoutMs) {
    if (exitCode !== undefined) break;
    const result = await readGreeting(opts.host, opts.port, 1000);
    if (result.ok) {
      if (!result.line.startsWith('* OK')) {
        // Something else answered on the port we picked: not ours.
        child.kill('SIGKILL');
        await exited;
        return {
          ok: false,
          portInUse: true,
          error: new TestkitError('EDOVECOT_START', `port ${opts.port} answered "${result.line}"`, {
            command,
          }),
        };
      }
      return { ok: true, process: { child, greeting: result.line, exited } };
    }
    // Not listening yet: poll again shortly (an internal start-up wait, not a test sleep).
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  if (exitCode === undefined) child.kill('SIGKILL');
  await exited;
  const log = `${stderr}\n${await tail(opts.logPath)}`.trim();
  const portInUse = /Address already in use/.test(log);
  return {
    ok: false,
    portInUse,
    error: new TestkitError(
      'EDOVECOT_START',
      `dovecot did not start within ${opts.timeoutMs} ms (exit code ${exitCode ?? 'none'}); ` +
        `its log says:\n${log || '(nothing)'}`,
      { command, exitCode: exitCode ?? null, durationMs: Date.now() - started },
    ),
  };
}

/**
 * A `sh` process that holds a pipe from us: when our process dies for any reason (even
 * SIGKILL from a test runner), the pipe closes, `cat` returns, and it stops dovecot and
 * removes the temp dir. close() kills it first, so on the normal path it does nothing.
 */
export function spawnWatchdog(masterPid: number, rootDir: string): ChildProcess {
  const script =
    'cat >/dev/null; kill -TERM "$0" 2>/dev/null; sleep 3; kill -KILL -- "-$0" 2>/dev/null; rm -rf -- "$1"';
  const watchdog = spawn('sh', ['-c', script, String(masterPid), rootDir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  (watchdog.stdin as { unref?: () => void } | null)?.unref?.();
  watchdog.on('error', () => {
    // Without sh there is no watchdog; close() still cleans up on the normal path.
  });
  return watchdog;
}
