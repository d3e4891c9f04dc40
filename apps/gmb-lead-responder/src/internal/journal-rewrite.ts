/**
 * The atomic rewrite of the journal, through the suite's one writer (@jobs/core/atomic-file),
 * announcing each step to a test hook: the temp file written, fsynced, renamed over the journal,
 * and the folder fsynced. A throw from the hook stands for a crash right there.
 */
import type { FileHandle } from 'node:fs/promises';
import { open as fsOpen } from 'node:fs/promises';
import { writeFileAtomic } from '@jobs/core/atomic-file';

/** A step of the rewrite after which a test can stop it. */
export type RewriteStep = 'temp-written' | 'temp-synced' | 'renamed' | 'dir-synced';

/** Replaces the journal at `path` with `text` (0600), calling `afterStep` after each step. */
export async function rewriteJournal(path: string, text: string, afterStep?: (step: RewriteStep) => void | Promise<void>): Promise<void> {
  if (!afterStep) return writeFileAtomic(path, text, { mkdir: false });
  const open = async (file: string, flags: string, mode?: number): Promise<FileHandle> => {
    const isDir = flags === 'r';
    // the folder is opened for its fsync right after the rename
    if (isDir) await afterStep('renamed');
    const handle = await fsOpen(file, flags, mode);
    const write = handle.writeFile.bind(handle);
    const sync = handle.sync.bind(handle);
    handle.writeFile = async (...args: Parameters<FileHandle['writeFile']>) => {
      await write(...args);
      await afterStep('temp-written');
    };
    handle.sync = async () => {
      await sync();
      await afterStep(isDir ? 'dir-synced' : 'temp-synced');
    };
    return handle;
  };
  return writeFileAtomic(path, text, { mkdir: false, open });
}
