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
import { createReadStream } from 'node:fs';
import { MailError } from './errors.ts';
import type { ParseResult } from './message.ts';
import { type ParseOptions, parseMessage } from './parse.ts';
import { type MaildirEntry, relocate, scanMaildir } from './internal/maildir-scan.ts';

export { maildirKey, type MaildirEntry } from './internal/maildir-scan.ts';

/** What a Maildir run remembers. JSON-serializable; store it with the state helpers. */
export interface MaildirCheckpoint {
  readonly version: 1;
  /** Unique name parts of handled messages, sorted. */
  readonly seen: readonly string[];
}

/** Options of readMaildir. */
export interface MaildirOptions {
  /** The previous run's checkpoint; messages it lists are not read again. */
  readonly checkpoint?: MaildirCheckpoint | null;
  /** Only messages delivered (file mtime) at or after this time are read. */
  readonly since?: Date;
  /** Caps for each parse (see parseMessage). */
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
}

/** One message read from the Maildir: parsed, or quarantined with the reason. */
export interface MaildirItem {
  readonly entry: MaildirEntry;
  readonly result: ParseResult;
}

/** A pass over a Maildir. */
export interface MaildirReader extends AsyncIterable<MaildirItem> {
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

function checkOptions(dir: string, options: MaildirOptions): void {
  if (typeof dir !== 'string' || dir === '') {
    throw new MailError('ECONFIG', `readMaildir: dir must be a non-empty path, got ${JSON.stringify(dir)}`);
  }
  if (options.since !== undefined && (!(options.since instanceof Date) || Number.isNaN(options.since.getTime()))) {
    throw new MailError('ECONFIG', `readMaildir: option since must be a valid Date, got ${String(options.since)}`);
  }
  const cp = options.checkpoint;
  if (cp != null && (cp.version !== 1 || !Array.isArray(cp.seen))) {
    throw new MailError('ECONFIG', 'readMaildir: option checkpoint is not a Maildir checkpoint (version 1 with a seen list)');
  }
}

/**
 * Reads a Maildir's messages not in the checkpoint, oldest first, one at a time: each file is
 * streamed into parseMessage and the next is not opened before the consumer asks for it.
 */
export function readMaildir(dir: string, options: MaildirOptions = {}): MaildirReader {
  checkOptions(dir, options);
  const previous = new Set(options.checkpoint?.seen ?? []);
  const sinceMs = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const done = new Set<string>();
  let queue: MaildirEntry[] | null = null;

  async function* iterate(): AsyncGenerator<MaildirItem> {
    const entries = await scanMaildir(dir);
    for (const entry of entries) {
      // Present and already handled, or before `since`: part of the next checkpoint as is.
      if (previous.has(entry.key) || entry.mtimeMs < sinceMs) done.add(entry.key);
    }
    queue = entries.filter((e) => !done.has(e.key));
    while (queue.length > 0) {
      const entry = queue.shift()!;
      const result = await readOne(dir, entry, options.parse ?? {});
      if (result === null) continue; // deleted since the scan: nothing to report
      done.add(entry.key);
      yield { entry, result };
    }
  }

  return {
    [Symbol.asyncIterator]: () => iterate(),
    pending: () => queue?.length ?? 0,
    checkpoint: () => ({ version: 1, seen: [...done].sort() }),
  };
}

async function readOne(dir: string, entry: MaildirEntry, parse: Omit<ParseOptions, 'uid' | 'path'>): Promise<ParseResult | null> {
  let path: string | null = entry.path;
  for (let attempt = 0; attempt < 2 && path; attempt++) {
    const stream = createReadStream(path, { flags: 'r', highWaterMark: 64 * 1024 });
    const result = await parseMessage(stream, { ...parse, path });
    const moved = !result.ok && result.code === 'ESTREAM' && (result.cause as { code?: string } | undefined)?.code === 'ENOENT';
    if (!moved) return result;
    // The MUA moved it (new/ -> cur/) or changed its flags since the scan: find it again.
    path = await relocate(dir, entry.key);
  }
  return null;
}
