/**
 * Checks made on an env file before it is read: not readable by group or others (as
 * ssh refuses loose keys) and not tracked by git. Shared by loadScope and the doctor.
 */
import { realpath, stat } from 'node:fs/promises';
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

/**
 * Whether git tracks `path` or, when it is a symlink, the file it resolves to: a link to a
 * tracked repos.env puts the same secrets in some repository's history. True when either is
 * tracked; the tracked one is returned with it.
 */
export async function trackedPath(path: string, execFile: ExecFile): Promise<{ tracked: boolean | null; at: string }> {
  const real = await realpath(path).catch(() => path);
  const own = await isGitTracked(path, execFile);
  if (own === true || real === path) return { tracked: own, at: path };
  const target = await isGitTracked(real, execFile);
  if (target === true) return { tracked: true, at: real };
  return { tracked: own === null && target === null ? null : false, at: path };
}

/** Throws ETRACKED when git tracks `path` or the file a symlink at `path` resolves to. */
export async function assertNotTracked(path: string, execFile: ExecFile): Promise<void> {
  const { tracked, at } = await trackedPath(path, execFile);
  if (tracked === true) {
    const via = at === path ? '' : ` through the symlink ${path}`;
    throw new CredentialsError(
      'ETRACKED',
      `${basename(at)} is tracked by git (${at}${via}): its secrets are in the repository history. ` +
        `Run git rm --cached ${shellQuote(basename(at))} in ${shellQuote(dirname(at))}, add it to .gitignore, ` +
        'and rotate every secret it holds.',
      { file: path },
    );
  }
}
