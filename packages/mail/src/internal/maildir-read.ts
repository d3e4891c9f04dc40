/**
 * Reading one Maildir file found by a scan, up to a byte cap, following it when the MUA moved
 * it (new/ -> cur/, a flag change) between the scan and the read.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { MailError } from '../errors.ts';
import { type MaildirEntry, relocate } from './maildir-scan.ts';

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/** Bytes read past a prefix when the header block has not ended in it (a parser's header cap, 1 MiB, and some). */
const HEAD_ALLOWANCE = 1024 * 1024 + 1;

/** What a read gave: the bytes, the file's size, and whether the bytes are only its start. */
interface Capped {
  readonly raw: Buffer;
  readonly size: number;
  readonly truncated: boolean;
}

/**
 * The first `maxBytes + 1` bytes of a file at most (enough for a parser's cap to see it is
 * over), or only the first `prefixBytes` when given and the file is longer.
 */
async function readCapped(path: string, maxBytes: number, prefixBytes?: number): Promise<Capped> {
  // Synchronous calls: one file of a few KiB costs microseconds this way, where the promise
  // API's FileHandle and thread-pool round trips (open, fstat, read, close) cost more than the
  // parse on a busy machine (measured: two thirds of a 6,046-file pass). The generator yields
  // between files, so the event loop still turns once per message.
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    let truncated = prefixBytes !== undefined && size > prefixBytes;
    let want = truncated ? prefixBytes! : Math.min(size, maxBytes + 1);
    const buffer = Buffer.allocUnsafe(want);
    let got = fill(fd, buffer, 0, want);
    const raw = got === want ? buffer : buffer.subarray(0, got);
    // A header block longer than the prefix: read on, up to a reader's header cap past it.
    if (truncated && raw.indexOf('\n\n') < 0 && raw.indexOf('\n\r\n') < 0) {
      want = Math.min(size, maxBytes + 1, prefixBytes! + HEAD_ALLOWANCE);
      truncated = want < size;
      const more = Buffer.allocUnsafe(want);
      raw.copy(more);
      got = fill(fd, more, got, want);
      return { raw: more.subarray(0, got), size, truncated };
    }
    return { raw, size, truncated };
  } finally {
    closeSync(fd);
  }
}

/** Reads into `buffer` from `from` up to `want` (or the end of the file); the bytes now held. */
function fill(fd: number, buffer: Buffer, from: number, want: number): number {
  let got = from;
  while (got < want) {
    const n = readSync(fd, buffer, got, want - got, got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** What reading one file gave: its bytes, or the read error (EACCES, EIO: the message is quarantined, never dropped). */
export type EntryRead =
  | { readonly path: string; readonly raw: Buffer; readonly size: number; readonly truncated: boolean }
  | { readonly path: string; readonly raw: null; readonly error: MailError };

/** The entry's bytes and where they were read; null when the file is gone (deleted since the scan). */
export async function readEntry(dir: string, entry: MaildirEntry, maxBytes: number, prefixBytes?: number): Promise<EntryRead | null> {
  let path: string | null = entry.path;
  for (let attempt = 0; attempt < 2 && path; attempt++) {
    try {
      return { path, ...(await readCapped(path, maxBytes, prefixBytes)) };
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!isNotFound(err)) return { path, raw: null, error: new MailError('ESTATE', `could not read ${path} (${code ?? 'error'})`, { path, originalCode: code, cause: err }) };
    }
    path = await relocate(dir, entry.key);
  }
  return null;
}
