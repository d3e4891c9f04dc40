/**
 * The IMAP source, on @jobs/mail's createImapSource: UID ranges since the checkpoint under a
 * mailbox lock, a UIDVALIDITY change handled as a resync deduplicated by Message-ID, reconnect
 * with backoff, oversized messages reduced to their text parts (attachments are never
 * downloaded whole). Bodies are fetched with BODY.PEEK: no flag changes.
 *
 * Fetching and parsing are a pipeline: each message goes to the parse pool (worker threads) as
 * soon as its FETCH chunk arrives, while the main thread goes on reading the next chunk; up to
 * `window` messages are in flight and come out in UID order. Only compact records come back.
 * The pool's workers start before the connection, so their start-up overlaps login and the
 * fetch plan.
 */
import { createCheckpointStore } from '@jobs/mail/checkpoint';
import { createImapSource, type ImapSourceOptions } from '@jobs/mail/imap';
import type { ParseOptions } from '@jobs/mail/parse';
import { DigestError } from '../errors.ts';
import type { ItemResult } from '../parse/item.ts';
import { createParsePool, type ParsePoolOptions } from '../parse/pool.ts';
import { DEFAULT_CLASSIFY, type MailSource, type SourceItem, type SourceRun } from './types.ts';

/** Options of createDigestImapSource. */
export interface DigestImapOptions {
  /** IMAP options; `batchBytes` defaults to 1 MiB here (parsing starts sooner, less held). */
  readonly imap: ImapSourceOptions;
  /** Absolute state dir; the checkpoint goes to `<stateDir>/checkpoints/digest-imap-<mailbox>.json`. */
  readonly stateDir: string;
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
  /** The parse pool (workers, depth, timeouts, heap caps). */
  readonly pool?: Omit<ParsePoolOptions, 'classify' | 'parse' | 'logger'>;
  /** Messages between fetch and the consumer (parsing or parsed, not yet yielded). Default 64. */
  readonly window?: number;
}

function checkpointName(mailbox: string): string {
  return `digest-imap-${mailbox.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 100);
}

/** An IMAP source for the digest. */
export function createDigestImapSource(options: DigestImapOptions): MailSource {
  const mailbox = options.imap.mailbox ?? 'INBOX';
  const name = checkpointName(mailbox);
  const windowSize = options.window ?? 64;
  if (!Number.isInteger(windowSize) || windowSize < 1) {
    throw new DigestError('ECONFIG', `IMAP source option window must be an integer >= 1, got ${String(options.window)}`, { option: 'window' });
  }
  const imapOptions: ImapSourceOptions = { batchBytes: 1024 * 1024, ...options.imap };
  return {
    name: `imap:${mailbox}`,
    checkpointPath: `${options.stateDir}/checkpoints/${name}.json`,
    async open({ since: given, firstRunSince, classify = DEFAULT_CLASSIFY }) {
      const store = await createCheckpointStore({ stateDir: options.stateDir, name });
      const previous = await store.load();
      const since = given ?? (previous ? undefined : firstRunSince);
      const source = createImapSource(imapOptions);
      const pool = createParsePool({
        ...options.pool,
        classify,
        ...(options.parse ? { parse: options.parse } : {}),
        ...(imapOptions.logger ? { logger: imapOptions.logger } : {}),
      });
      imapOptions.logger?.info({ parseWorkers: pool.workers }, pool.workers > 0 ? `parsing in ${pool.workers} worker threads` : 'parsing in-process');
      const closeAll = async () => {
        await Promise.all([pool.close(), source.close()]);
      };
      let fetch: Awaited<ReturnType<typeof source.fetchSince>>;
      try {
        fetch = await source.fetchSince(previous, since ? { since } : {});
      } catch (err) {
        await closeAll();
        throw err;
      }
      let yielded = 0;
      async function* items(): AsyncGenerator<SourceItem> {
        const window: Array<{ id: string; result: Promise<ItemResult> }> = [];
        for await (const m of fetch) {
          window.push({ id: String(m.uid), result: pool.parse(m.raw) });
          if (window.length >= windowSize) {
            const head = window.shift()!;
            yielded++;
            yield { id: head.id, result: await head.result };
          }
        }
        for (const head of window) {
          yielded++;
          yield { id: head.id, result: await head.result };
        }
      }
      const run: SourceRun = {
        [Symbol.asyncIterator]: items,
        remaining: () => Math.max(0, fetch.total - yielded),
        commit: () => store.save(fetch.checkpoint()),
        close: closeAll,
      };
      return run;
    },
  };
}
