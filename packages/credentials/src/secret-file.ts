/**
 * writeSecretFile: writes a file that holds secrets or state, private from its first byte
 * and replaced atomically.
 *
 * The temp file is created with `open(temp, 'wx', 0o600)`: created exclusively (never
 * an existing file or a planted symlink) with mode 0600 from the start. Writing with the
 * default mode and `chmod`-ing afterwards would leave it world-readable in between under
 * the usual umask 022. Then: write, fsync the data, rename over the target (atomic on one
 * file system: readers see the old file or the new one, never half), fsync the directory
 * so the rename itself survives a crash.
 *
 * The mode is 0600 whatever the umask, except that a umask removing owner bits (0o200,
 * 0o400) still applies, as it should.
 */
import { randomBytes } from 'node:crypto';
import { open as fsOpen, rename, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CredentialsError } from './errors.ts';

/** Options of writeSecretFile. */
export interface WriteSecretFileOptions {
  /** Mode of the new file. Default 0o600; group/other bits are refused. */
  mode?: number;
  /** Opens files; injected so tests can observe the temp file at creation. Default fs/promises open. */
  open?: (path: string, flags: string, mode?: number) => Promise<FileHandle>;
}

/** Writes `data` to `path` atomically, created with mode 0600 from the start. */
export async function writeSecretFile(
  path: string,
  data: string | Uint8Array,
  options: WriteSecretFileOptions = {},
): Promise<void> {
  const mode = options.mode ?? 0o600;
  if (!Number.isInteger(mode) || (mode & ~0o700) !== 0) {
    throw new CredentialsError('EOPTION', `writeSecretFile: option mode must give no access to group or others, got ${String(mode)}`, {
      option: 'mode',
    });
  }
  const open = options.open ?? fsOpen;
  const dir = dirname(path);
  // Same directory as the target, so rename() stays on one file system and is atomic.
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
  await syncDir(dir, open);
}

/** fsync a directory so a rename in it is durable. Some platforms cannot open a directory. */
async function syncDir(dir: string, open: NonNullable<WriteSecretFileOptions['open']>): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(dir, 'r');
  } catch (err) {
    // Windows cannot open a directory for fsync; the rename is as durable as it gets there.
    if ((err as NodeJS.ErrnoException).code === 'EISDIR' || (err as NodeJS.ErrnoException).code === 'EPERM') return;
    throw err;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
