/**
 * Writes a small state file atomically and private, through the suite's one writer
 * (@jobs/core/atomic-file: temp file 0600 with O_EXCL, fsynced, renamed, folder fsynced),
 * turning a file system failure into LedgerError EWRITE.
 */
import { writeFileAtomic as writeAtomic } from '@jobs/core/atomic-file';
import { LedgerError } from '../errors.ts';

/** Replaces `path` with `data`; parent folders are created 0700 when missing. */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  try {
    await writeAtomic(path, data);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    throw new LedgerError('EWRITE', `Could not write ${path} (${code}): check that its folder is writable.`, { path, cause });
  }
}
