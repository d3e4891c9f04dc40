/**
 * Writes a small state file atomically and private: a temp file beside it, created 0600 with
 * O_EXCL (never an existing file, never a looser mode, not even for a moment), written, fsynced,
 * then renamed over the target. A reader sees the old file or the new one, never half of one.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LedgerError } from '../errors.ts';

/** Replaces `path` with `data`; parent folders are created 0700 when missing. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const fh = await open(temp, 'wx', 0o600);
    try {
      await fh.writeFile(data, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (cause) {
    await rm(temp, { force: true });
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    throw new LedgerError('EWRITE', `Could not write ${path} (${code}): check that its folder is writable.`, { path, cause });
  }
}
