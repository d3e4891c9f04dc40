/**
 * Runs doveadm against one private instance's config (`doveadm -c CONF ...`).
 */
import { execFile } from 'node:child_process';
import { TestkitError } from '../errors.ts';

/** Runs `doveadm -c configPath ...args` and resolves with its stdout. */
export function runDoveadm(binary: string, configPath: string, args: readonly string[]): Promise<string> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    execFile(binary, ['-c', configPath, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      const exitCode = typeof error.code === 'number' ? error.code : null;
      reject(
        new TestkitError(
          'EDOVEADM',
          `doveadm ${args.join(' ')} failed (exit ${exitCode ?? error.code}): ${stderr.trim() || error.message}`,
          { cause: error, command: `doveadm ${args.join(' ')}`, exitCode, durationMs: Date.now() - started },
        ),
      );
    });
  });
}
