/**
 * The suite's one atomic file writer. A reader sees the old file or the new one, never half of
 * one, and a crash never leaves the new name pointing at lost data: the content goes to a temp
 * file beside the target, created with O_EXCL and mode 0600 from its first byte (never chmod-ed
 * afterwards, which a umask of 022 would leave world-readable in between, and never an existing
 * file or a planted symlink), is written and fsynced, renamed over the target (atomic on one
 * file system), and then the folder is fsynced so the rename itself is durable.
 *
 * Errors are the file system's own (`code` ENOENT, EACCES, ENOSPC...): each caller wraps them
 * in its package's error with what to do.
 */
import { open as fsOpen, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Mode of every file the suite writes that holds secrets or state. */
export const PRIVATE_FILE_MODE = 0o600;
/** Mode of the folders the suite creates for them. */
export const PRIVATE_DIR_MODE = 0o700;

/** Options of writeFileAtomic. */
export interface WriteFileAtomicOptions {
  /** Mode of the new file. Default 0o600; group or other bits are refused. */
  readonly mode?: number;
  /** Create missing parent folders (mode 0700). Default true. */
  readonly mkdir?: boolean;
  /** Opens files; injected so tests can observe the temp file at creation. Default fs/promises open. */
  readonly open?: (path: string, flags: string, mode?: number) => Promise<FileHandle>;
}

/** Replaces `path` with `data` atomically and durably (file and folder fsynced). */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  if (!Number.isInteger(mode) || (mode & ~0o700) !== 0) {
    throw new TypeError(`writeFileAtomic: option mode must give no access to group or others, got ${String(mode)}`);
  }
  const open = options.open ?? fsOpen;
  const dir = dirname(path);
  if (options.mkdir !== false) await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  // Same folder as the target, so rename() stays on one file system and is atomic.
  // node:crypto loads on the first write, not for a command that only reads.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(temp, 'wx', mode);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, path);
  } catch (err) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir, open);
}

/** fsyncs a folder so a rename or a file creation in it survives a crash. */
export async function fsyncDir(dir: string, open: NonNullable<WriteFileAtomicOptions['open']> = fsOpen): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    // Some platforms cannot open a folder for fsync; the rename is as durable as it gets there.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'EPERM') return;
    throw err;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Removes the temp files writeFileAtomic left beside `path` when a process was killed mid-write
 * (`.<name>.<pid>.<random>.tmp`). Only call it while no other writer of `path` runs (under a lock).
 */
export async function removeLeftoverTemps(path: string): Promise<void> {
  const prefix = `.${basename(path)}.`;
  const names = await readdir(dirname(path)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await unlink(join(dirname(path), name)).catch(() => undefined);
  }
}
