/**
 * Reading one Maildir file found by a scan, up to a byte cap, following it when the MUA moved
 * it (new/ -> cur/, a flag change) between the scan and the read.
 */
import { open } from 'node:fs/promises';
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
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    let truncated = prefixBytes !== undefined && size > prefixBytes;
    let want = truncated ? prefixBytes! : Math.min(size, maxBytes + 1);
    const buffer = Buffer.alloc(want);
    let got = 0;
    while (got < want) {
      const { bytesRead } = await handle.read(buffer, got, want - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    const raw = got === want ? buffer : buffer.subarray(0, got);
    // A header block longer than the prefix: read on, up to a reader's header cap past it.
    if (truncated && raw.indexOf('\n\n') < 0 && raw.indexOf('\n\r\n') < 0) {
      want = Math.min(size, maxBytes + 1, prefixBytes! + HEAD_ALLOWANCE);
      truncated = want < size;
      const more = Buffer.alloc(want);
      raw.copy(more);
      while (got < want) {
        const { bytesRead } = await handle.read(more, got, want - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return { raw: more.subarray(0, got), size, truncated };
    }
    return { raw, size, truncated };
  } finally {
    await handle.close();
  }
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
