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
import { type WriteFileAtomicOptions, writeFileAtomic } from '@jobs/core/atomic-file';
import { CredentialsError } from './errors.ts';

/** Options of writeSecretFile. */
export interface WriteSecretFileOptions {
  /** Mode of the new file. Default 0o600; group/other bits are refused. */
  mode?: number;
  /** Opens files; injected so tests can observe the temp file at creation. Default fs/promises open. */
  open?: WriteFileAtomicOptions['open'];
}

/** Writes `data` to `path` atomically, created with mode 0600 from the start (@jobs/core's writer). */
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
  await writeFileAtomic(path, data, { mode, mkdir: false, ...(options.open ? { open: options.open } : {}) });
}
