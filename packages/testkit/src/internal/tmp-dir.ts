/**
 * Where a harness puts its temp dir by default: a RAM-backed tmpfs when there is a roomy one.
 * Measured here, writing the 4,150 ham messages of the corpus as Maildir files took 0.2-0.4 s
 * on /dev/shm and 0.4-7 s on the shared ext4 disk (other processes' writeback stalls ours).
 */
import { constants } from 'node:fs';
import { access, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';

const TMPFS_MAGIC = 0x01021994;
// A container's default /dev/shm is 64 MB: too small for a corpus, so it is not used.
const MIN_FREE_BYTES = 1024 ** 3;

/** `/dev/shm` when it is a writable tmpfs with at least 1 GiB free, else `os.tmpdir()`. */
export async function defaultTmpDir(candidate = '/dev/shm'): Promise<string> {
  try {
    await access(candidate, constants.W_OK | constants.X_OK);
    const fs = await statfs(candidate);
    if (fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= MIN_FREE_BYTES) return candidate;
  } catch {
    // No such directory or no access (not Linux, a sandbox): the portable default below.
  }
  return tmpdir();
}
