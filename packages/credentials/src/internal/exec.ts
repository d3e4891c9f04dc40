/**
 * The subprocess seam: git is run through an injected `execFile` so tests and callers
 * can substitute it. The default never rejects on a non-zero exit (the exit code is the
 * answer git gives), only when the program cannot be started at all.
 */
/** What running a program produced. `code` is null when it was killed by a signal. */
export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `file` with `args` in `cwd`; rejects only when it cannot be started (e.g. ENOENT). */
export type ExecFile = (file: string, args: readonly string[], options: { cwd: string }) => Promise<ExecResult>;

/** Default ExecFile on node:child_process, with a timeout so a hung git cannot stall a job. */
export const defaultExecFile: ExecFile = (file, args, options) =>
  new Promise((resolve, reject) => {
    // node:child_process (and net, dgram) loads when git runs, not for a command that never checks a file.
    process.getBuiltinModule('node:child_process').execFile(
      file,
      [...args],
      { cwd: options.cwd, timeout: 10_000, windowsHide: true, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err && typeof err.code === 'string') {
          reject(err);
          return;
        }
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
