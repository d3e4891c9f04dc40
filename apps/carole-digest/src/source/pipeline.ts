/**
 * The one parse path of both sources: each source hands raw message bytes and a key (an IMAP
 * UID, a Maildir file's unique name) to the parse pool (worker threads, or in-process) as soon
 * as it has them, and goes on reading the next while up to `window` messages are in flight;
 * they come out in the order read. Only compact records come back (see parse/item.ts).
 */
import type { Logger } from '@jobs/core/logger';
import type { ParseOptions } from '@jobs/mail/parse';
import type { ClassifyOptions } from '../classify.ts';
import { DigestError } from '../errors.ts';
import type { ItemResult, RawMeta } from '../parse/item.ts';
import type { ParsePool, ParsePoolOptions } from '../parse/pool.ts';
import type { SourceItem } from './types.ts';

/** One message as a source read it: its bytes, or why it could not be read (quarantined as is). */
export type RawMessage =
  | { readonly key: string; readonly raw: Buffer; readonly meta?: RawMeta }
  | { readonly key: string; readonly raw: null; readonly code: string; readonly reason: string; readonly sizeBytes: number };

/** What both sources take about parsing. */
export interface PipelineOptions {
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
  /** The parse pool (workers, depth, timeouts, heap caps). */
  readonly pool?: Omit<ParsePoolOptions, 'classify' | 'parse' | 'logger'>;
  /** Messages between reading and the consumer (parsing or parsed, not yet yielded). Default 64. */
  readonly window?: number;
  readonly logger?: Logger;
}

/** The window size, checked (ECONFIG naming the option). */
export function windowOf(options: PipelineOptions): number {
  const size = options.window ?? 64;
  if (!Number.isInteger(size) || size < 1) throw new DigestError('ECONFIG', `source option window must be an integer >= 1, got ${String(options.window)}`, { option: 'window' });
  return size;
}

/**
 * Starts the parse pool of one pass (its workers start while the source connects or scans).
 * The pool's module, and the mail parser under it, load here, not when the source is built.
 */
export async function openPool(options: PipelineOptions, classify: ClassifyOptions): Promise<ParsePool> {
  const { createParsePool } = await import('../parse/pool.ts');
  const pool = createParsePool({ ...options.pool, classify, ...(options.parse ? { parse: options.parse } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  options.logger?.info({ parseWorkers: pool.workers }, pool.workers > 0 ? `parsing in ${pool.workers} worker threads` : 'parsing in-process');
  return pool;
}

/**
 * A pool opened at its first message: a pass with nothing new (the scheduled run's usual case)
 * never loads the parser nor starts a worker.
 */
export function lazyPool(options: PipelineOptions, classify: ClassifyOptions): ParsePool {
  let opened: Promise<ParsePool> | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    closed = true;
    await (await opened)?.close();
  };
  return {
    parse(raw, meta) {
      if (closed) return Promise.resolve({ ok: false, code: 'EWORKER', reason: 'the parse pool is closed', sizeBytes: raw.length });
      opened ??= openPool(options, classify);
      return opened.then((pool) => pool.parse(raw, meta));
    },
    get workers() {
      return 0;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Parses `messages` through `pool`, `window` at a time, in order; `onYield` counts what left. */
export async function* parseInOrder(messages: AsyncIterable<RawMessage>, pool: ParsePool, window: number, onYield: () => void): AsyncGenerator<SourceItem> {
  const inFlight: Array<{ id: string; result: Promise<ItemResult> }> = [];
  for await (const m of messages) {
    const result: Promise<ItemResult> = m.raw === null ? Promise.resolve({ ok: false, code: m.code, reason: m.reason, sizeBytes: m.sizeBytes }) : pool.parse(m.raw, m.meta);
    inFlight.push({ id: m.key, result });
    if (inFlight.length >= window) {
      const head = inFlight.shift()!;
      onYield();
      yield { id: head.id, result: await head.result };
    }
  }
  for (const head of inFlight) {
    onYield();
    yield { id: head.id, result: await head.result };
  }
}
