/**
 * The one write that matters: a whole ledger line in a single write() on a descriptor opened with
 * O_APPEND. The kernel moves to the end and writes under the inode lock, so lines from many
 * processes never interleave (on a local filesystem; NFS does not honour O_APPEND atomically).
 */
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LedgerError } from '../errors.ts';

// O_RDWR, not O_WRONLY: we read the last byte to heal a torn tail (see below).
const FLAGS = constants.O_RDWR | constants.O_APPEND | constants.O_CREAT;
const NEWLINE = 0x0a;

/** What one append found out about the file, for the caller's one-time warnings. */
export interface AppendResult {
  /** The file's permission bits when it was opened. */
  mode: number;
  /** True when the file did not end in a newline and this append started a fresh line. */
  healed: boolean;
}

/** Opens (creating 0600 and the parent dir 0700 when missing), appends `line`, closes. */
export async function appendLine(path: string, line: string): Promise<AppendResult> {
  const fh = await openLedger(path);
  try {
    const st = await fh.stat();
    // A crash mid-write (or a short write) leaves a line without its newline; the next row
    // would be glued to it and both lost to readers. Start a fresh line instead. Two writers
    // racing here can at worst add an empty line, which readers skip.
    const healed = st.size > 0 && (await lastByte(fh, st.size)) !== NEWLINE;
    const data = Buffer.from(healed ? `\n${line}` : line, 'utf8');
    let bytesWritten: number;
    try {
      // position null: write(2) at the O_APPEND end, never pwrite at a stale offset.
      ({ bytesWritten } = await fh.write(data, 0, data.length, null));
    } catch (cause) {
      throw writeError(path, cause);
    }
    if (bytesWritten !== data.length) {
      // Finishing the row with a second write could interleave with another process's row;
      // leave the torn line for the reader to skip and the next append to heal.
      throw new LedgerError(
        'EWRITE',
        `Short write to the cost ledger at ${path} (${bytesWritten} of ${data.length} bytes): is the disk full?`,
        { path, bytesWritten },
      );
    }
    return { mode: st.mode & 0o777, healed };
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

async function lastByte(fh: FileHandle, size: number): Promise<number | undefined> {
  const buf = Buffer.alloc(1);
  const { bytesRead } = await fh.read(buf, 0, 1, size - 1);
  return bytesRead === 1 ? buf[0] : undefined;
}

function writeError(path: string, cause: unknown): LedgerError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
  return new LedgerError(
    'EWRITE',
    `Could not write the cost ledger at ${path} (${code}): check that its directory is writable, or point the ledger elsewhere.`,
    { path, cause },
  );
}
