/**
 * The one write that matters: a whole ledger line in a single write() on a descriptor opened with
 * O_APPEND. The kernel moves to the end and writes under the inode lock, so lines from many
 * processes never interleave (on a local filesystem; NFS does not honour O_APPEND atomically).
 *
 * A crash mid-write leaves a line without its newline, and the next row gets glued behind it.
 * The writer does not try to repair that (checking the last byte first races with other
 * processes' writes in progress: the file size grows page by page during a write); the reader
 * salvages the glued row instead (see read.ts).
 */
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LedgerError } from '../errors.ts';

const FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;

/** Opens (creating it 0600 and its parent dirs 0700 when missing), appends `line`, closes. Returns the file's mode. */
export async function appendLine(path: string, line: string): Promise<number> {
  const fh = await openLedger(path);
  try {
    const data = Buffer.from(line, 'utf8');
    let bytesWritten: number;
    try {
      // position null: write(2) at the O_APPEND end, never pwrite at a stale offset.
      ({ bytesWritten } = await fh.write(data, 0, data.length, null));
    } catch (cause) {
      throw writeError(path, cause);
    }
    if (bytesWritten !== data.length) {
      // Finishing the row with a second write could interleave with another process's row;
      // leave the torn line for the reader to skip.
      throw new LedgerError(
        'EWRITE',
        `Short write to the cost ledger at ${path} (${bytesWritten} of ${data.length} bytes): is the disk full?`,
        { path, bytesWritten },
      );
    }
    return (await fh.stat()).mode & 0o777;
  } finally {
    await fh.close();
  }
}

async function openLedger(path: string): Promise<FileHandle> {
  try {
    return await open(path, FLAGS, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw writeError(path, err);
  }
  try {
    // recursive mkdir applies the mode to each directory it creates and leaves existing ones alone.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    return await open(path, FLAGS, 0o600);
  } catch (err) {
    throw writeError(path, err);
  }
}

function writeError(path: string, cause: unknown): LedgerError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new LedgerError(
    'EWRITE',
    `Could not write the cost ledger at ${path} (${code}): check that its directory is writable, or point the ledger elsewhere.`,
    { path, cause },
  );
}
