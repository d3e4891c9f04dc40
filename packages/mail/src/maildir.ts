/**
 * Maildir source: the digest's embedded default, and what mbsync and offlineimap users already
 * have. It reads new/ and cur/ one message at a time, oldest delivery first, and never moves,
 * renames or writes a file (the user's MUA owns the flags).
 *
 * Checkpoint: the set of unique name parts (see maildirKey) of the messages already handled,
 * pruned to those still in the folder. A time watermark alone would skip mail whose mtime is
 * older than the mark (offlineimap can set mtime from the Date header; a sync can bring in old
 * mail late) and could duplicate mail sharing the mark's second; a set of names does neither,
 * and pruning keeps it no larger than the folder.
 */
import { MailError } from './errors.ts';
import type { ParseResult } from './message.ts';
import type { ParseOptions } from './parse.ts';
import { type MaildirEntry, scanMaildir } from './internal/maildir-scan.ts';
import { type EntryRead, readEntry } from './internal/maildir-read.ts';
import { isMaildirCheckpoint, type MaildirCheckpoint } from './state/checkpoint.ts';

export { maildirKey, type MaildirEntry } from './internal/maildir-scan.ts';

/** What a Maildir run remembers; store it with @jobs/mail/checkpoint's createMaildirCheckpointStore. */
export type { MaildirCheckpoint } from './state/checkpoint.ts';

/** Options of readMaildirRaw. */
export interface MaildirRawOptions {
  /** The previous run's checkpoint; messages it lists are not read again. */
  readonly checkpoint?: MaildirCheckpoint | null;
  /** Only messages delivered (file mtime) at or after this time are read. */
  readonly since?: Date;
  /**
   * Bytes read of one file at most; a larger file yields its first `maxBytes + 1` bytes, which
   * the parser's cap of the same size quarantines (ETOOBIG) without reading the rest. Default 50 MiB.
   */
  readonly maxBytes?: number;
  /**
   * Read only the first `prefixBytes` of a longer file (its `size` and `truncated` say so): for
   * a reader that needs the headers and the start of the text, such as @jobs/mail/lean.
   */
  readonly prefixBytes?: number;
}

/** Options of readMaildir. */
export interface MaildirOptions extends Omit<MaildirRawOptions, 'maxBytes'> {
  /** Caps for each parse (see parseMessage); `maxBytes` also caps each read. */
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
}

/**
 * One message file's bytes, as the IMAP source hands a FETCHed message: raw bytes and a key
 * (`entry.key`). `raw` is null when the file could not be read (`error` says why): report it
 * as quarantined, it is in the checkpoint like every yielded message.
 */
export type MaildirRawItem = { readonly entry: MaildirEntry } & EntryRead;

/** One message read from the Maildir: parsed, or quarantined with the reason. */
export interface MaildirItem {
  readonly entry: MaildirEntry;
  readonly result: ParseResult;
}

/** A pass over a Maildir. */
export interface MaildirPass<T> extends AsyncIterable<T> {
  /** Messages still to read in this pass (known after the first `next()`). */
  pending(): number;
  /**
   * The checkpoint to store once the yielded messages are safely handled: the previous one
   * (pruned to files still present), every message yielded so far (quarantined ones too, which
   * were reported), and every message the `since` filter left out. Messages not yet yielded
   * are not in it, so stopping early never skips mail.
   */
  checkpoint(): MaildirCheckpoint;
}

/** A pass that parses each message. */
export type MaildirReader = MaildirPass<MaildirItem>;

const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

function checkOptions(dir: string, options: MaildirRawOptions): void {
  if (typeof dir !== 'string' || dir === '') {
    throw new MailError('ECONFIG', `readMaildir: dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  }
  if (options.since !== undefined && (!(options.since instanceof Date) || Number.isNaN(options.since.getTime()))) {
    throw new MailError('ECONFIG', `readMaildir: option since must be a valid Date, got ${String(options.since)}`);
  }
  if (options.prefixBytes !== undefined && (!Number.isInteger(options.prefixBytes) || options.prefixBytes < 1024)) {
    throw new MailError('ECONFIG', `readMaildir: option prefixBytes must be an integer >= 1024, got ${String(options.prefixBytes)}`);
  }
  if (options.checkpoint != null && !isMaildirCheckpoint(options.checkpoint)) {
    throw new MailError('ECONFIG', 'readMaildir: option checkpoint is not a Maildir checkpoint (version 1 with a seen list)');
  }
}

/**
 * Reads the bytes of a Maildir's messages not in the checkpoint, oldest first, one at a time:
 * the next file is not opened before the consumer asks for it. Nothing is parsed here, so a
 * caller can parse where it likes (in-process, or a worker pool shared with the IMAP source).
 */
export function readMaildirRaw(dir: string, options: MaildirRawOptions = {}): MaildirPass<MaildirRawItem> {
  checkOptions(dir, options);
  const previous = new Set(options.checkpoint?.seen ?? []);
  const sinceMs = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const done = new Set<string>();
  let queue: MaildirEntry[] | null = null;

  async function* iterate(): AsyncGenerator<MaildirRawItem> {
    const entries = await scanMaildir(dir);
    for (const entry of entries) {
      // Present and already handled, or before `since`: part of the next checkpoint as is.
      if (previous.has(entry.key) || entry.mtimeMs < sinceMs) done.add(entry.key);
    }
    queue = entries.filter((e) => !done.has(e.key));
    while (queue.length > 0) {
      const entry = queue.shift()!;
      const read = await readEntry(dir, entry, maxBytes, options.prefixBytes);
      if (read === null) continue; // deleted since the scan: nothing to report
      done.add(entry.key);
      yield { entry, ...read };
    }
  }

  return {
    [Symbol.asyncIterator]: () => iterate(),
    pending: () => queue?.length ?? 0,
    checkpoint: () => ({ version: 1, seen: [...done].sort() }),
  };
}

/** Reads and parses a Maildir's messages not in the checkpoint (readMaildirRaw, then parseMessage). */
export function readMaildir(dir: string, options: MaildirOptions = {}): MaildirReader {
  const parse = options.parse ?? {};
  const raw = readMaildirRaw(dir, { ...options, ...(parse.maxBytes === undefined ? {} : { maxBytes: parse.maxBytes }) });
  async function* iterate(): AsyncGenerator<MaildirItem> {
    // The parser (mailparser and its dependencies) loads at the first message, not with this module.
    let parser: typeof import('./parse.ts') | undefined;
    for await (const item of raw) {
      if (item.raw !== null) parser ??= await import('./parse.ts');
      const result: ParseResult =
        item.raw === null
          ? { ok: false, code: 'ESTREAM', reason: item.error.message, sizeBytes: item.entry.size, cause: item.error }
          : await parser!.parseMessage(item.raw, { ...parse, path: item.path });
      yield { entry: item.entry, result };
    }
  }
  return { [Symbol.asyncIterator]: () => iterate(), pending: raw.pending, checkpoint: raw.checkpoint };
}
