/**
 * The file operations of the lock. A lock file is never visible half written: its body goes to
 * a temp file that is written and fsynced first, and the lock is taken by link()-ing that temp
 * file to the lock's name (link fails with EEXIST when the name exists, like O_EXCL). A stale
 * lock is replaced only by the holder of a second, short-lived lock beside it (`<lock>.takeover`,
 * taken the same way), and only when the file is still the very one judged stale (same inode,
 * same bytes): so two takers never both remove a lock, and nobody removes a fresh one.
 */
import { link, open, unlink } from 'node:fs/promises';

/** A lock file as read: its bytes, inode and age. */
export interface LockFileState {
  readonly text: string;
  readonly ino: number;
  readonly mtimeMs: number;
}

/** Reads the lock file through one handle (bytes and inode of the same file); undefined if absent. */
export async function readLockFile(path: string): Promise<LockFileState | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const stat = await handle.stat();
    return { text: await handle.readFile('utf8'), ino: stat.ino, mtimeMs: stat.mtimeMs };
  } finally {
    await handle.close();
  }
}

/** Writes `text` to a new file (O_EXCL, 0600) and fsyncs it. */
export async function writeTemp(path: string, text: string): Promise<void> {
  const handle = await open(path, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** link(temp, path): true when `path` now names our fully written file, false when it existed. */
export async function linkExclusive(temp: string, path: string): Promise<boolean> {
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/** Removes `path` if it is still the file `seen` (same inode and bytes). */
export async function unlinkIfSame(path: string, seen: LockFileState): Promise<void> {
  const now = await readLockFile(path);
  if (now !== undefined && now.ino === seen.ino && now.text === seen.text) {
    await unlink(path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
}

/**
 * Replaces the stale lock `seen` at `path` with our temp file, under the takeover lock.
 * 'taken': we hold the lock; 'lost': someone else does; 'contended': another taker holds the
 * takeover lock (`isStaleGuard` says whether that takeover lock is itself left by a dead taker).
 */
export async function takeOver(
  path: string,
  temp: string,
  seen: LockFileState,
  isStaleGuard: (guard: LockFileState) => boolean,
): Promise<'taken' | 'lost' | 'contended'> {
  const guard = `${path}.takeover`;
  if (!(await linkExclusive(temp, guard))) {
    const held = await readLockFile(guard);
    if (held !== undefined && isStaleGuard(held)) await unlinkIfSame(guard, held);
    return 'contended';
  }
  try {
    // Only takeover-lock holders remove a lock they did not take, so `seen` cannot be swapped
    // for a fresh lock between this check and the unlink.
    await unlinkIfSame(path, seen);
    return (await linkExclusive(temp, path)) ? 'taken' : 'lost';
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}
