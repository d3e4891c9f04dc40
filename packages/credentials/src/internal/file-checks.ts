/**
 * Checks made on an env file before it is read: not readable by group or others (as
 * ssh refuses loose keys) and not tracked by git. Shared by loadScope and the doctor.
 */
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { CredentialsError } from '../errors.ts';
import type { ExecFile } from './exec.ts';

/** The permission bits as three octal digits, e.g. `644`. */
export function modeString(mode: number): string {
  return (mode & 0o777).toString(8).padStart(3, '0');
}

/** Quotes a path for a shell command line only when it needs it. */
export function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The error for a file whose group/other bits are set, naming the chmod that fixes it. */
export function looseModeError(path: string, mode: number): CredentialsError {
  const readable = (mode & 0o044) !== 0;
  const what = readable ? 'readable by others' : 'writable or executable by others';
  return new CredentialsError(
    'EPERM_FILE',
    `${basename(path)} is ${what} (mode ${modeString(mode)}): run chmod 600 ${shellQuote(path)}`,
    { file: path, mode: modeString(mode) },
  );
}

/**
 * Throws EPERM_FILE when group or others have any permission on `path`. Skipped on
 * Windows, where POSIX modes mean nothing.
 */
export async function assertPrivateMode(path: string, platform: string): Promise<void> {
  if (platform === 'win32') return;
  const st = await stat(path);
  if ((st.mode & 0o077) !== 0) throw looseModeError(path, st.mode);
}

/** Whether git tracks `path`: true, false, or null when it could not tell (no git). */
export async function isGitTracked(path: string, execFile: ExecFile): Promise<boolean | null> {
  try {
    // Run in the file's own directory so the repository found is the one holding it.
    const res = await execFile('git', ['ls-files', '--error-unmatch', '--', basename(path)], {
      cwd: dirname(path),
    });
    // 0: tracked. 1: not tracked. 128: not inside a work tree, which is fine.
    if (res.code === 0) return true;
    if (res.code === 1 || res.code === 128) return false;
    return null;
  } catch (err) {
    // git is not installed: there is no repository to worry about on this machine.
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Throws ETRACKED when git tracks `path`. */
export async function assertNotTracked(path: string, execFile: ExecFile): Promise<void> {
  if ((await isGitTracked(path, execFile)) === true) {
    throw new CredentialsError(
      'ETRACKED',
      `${basename(path)} is tracked by git (${path}): its secrets are in the repository history. ` +
        `Run git rm --cached ${shellQuote(basename(path))} in ${shellQuote(dirname(path))}, add it to .gitignore, ` +
        'and rotate every secret it holds.',
      { file: path },
    );
  }
}
