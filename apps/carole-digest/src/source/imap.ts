/**
 * The IMAP source, on @jobs/mail's createImapSource: UID ranges since the checkpoint under a
 * mailbox lock, a UIDVALIDITY change handled as a resync deduplicated by Message-ID, reconnect
 * with backoff; each message fetched by its text plan (BODYSTRUCTURE and the header fields the
 * digest reads, then a bounded partial of its first text part; attachments never downloaded). Bodies are fetched with BODY.PEEK: no flag changes. Each FETCHed message
 * (raw bytes, keyed by UID) goes down the one parse path (pipeline.ts) shared with the Maildir
 * source; the pool's workers start before the connection, so their start-up overlaps login.
 */
import { createCheckpointStore } from '@jobs/mail/checkpoint';
import { createImapSource, type ImapSourceOptions } from '@jobs/mail/imap';
import { openPool, type PipelineOptions, parseInOrder, type RawMessage, windowOf } from './pipeline.ts';
import { DEFAULT_CLASSIFY, type MailSource, type SourceRun } from './types.ts';

/**
 * Bytes of a message's first text part fetched at most (`BODY.PEEK[n]<0.N>`): the digest
 * shows 1,500 characters after quotes are stripped; attachments and the rest of a long body
 * are never fetched (see @jobs/mail's imap/text-plan.ts).
 */
export const IMAP_TEXT_PREFIX_BYTES = 16 * 1024;

/** Options of createDigestImapSource. */
export interface DigestImapOptions extends Omit<PipelineOptions, 'logger'> {
  /** IMAP options (its logger is the pool's too); `batchBytes` defaults to 1 MiB here (parsing starts sooner, less held). */
  readonly imap: ImapSourceOptions;
  /** Absolute state dir; the checkpoint goes to `<stateDir>/checkpoints/digest-imap-<mailbox>.json`. */
  readonly stateDir: string;
}

function checkpointName(mailbox: string): string {
  return `digest-imap-${mailbox.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 100);
}

/** An IMAP source for the digest. */
export function createDigestImapSource(options: DigestImapOptions): MailSource {
  const mailbox = options.imap.mailbox ?? 'INBOX';
  const name = checkpointName(mailbox);
  const window = windowOf(options);
  const imapOptions: ImapSourceOptions = { batchBytes: 1024 * 1024, textPrefixBytes: IMAP_TEXT_PREFIX_BYTES, ...options.imap };
  const pipeline: PipelineOptions = { ...options, ...(imapOptions.logger ? { logger: imapOptions.logger } : {}) };
  return {
    name: `imap:${mailbox}`,
    checkpointPath: `${options.stateDir}/checkpoints/${name}.json`,
    async open({ since: given, firstRunSince, classify = DEFAULT_CLASSIFY }) {
      const store = await createCheckpointStore({ stateDir: options.stateDir, name });
      const previous = await store.load();
      const since = given ?? (previous ? undefined : firstRunSince);
      const source = createImapSource(imapOptions);
      const pool = await openPool(pipeline, classify);
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
      async function* raw(): AsyncGenerator<RawMessage> {
        // Gmail's X-GM-THRID, only when the server offers X-GM-EXT-1: a threading hint
        for await (const m of fetch) yield { key: String(m.uid), raw: m.raw, ...(m.gmail ? { meta: { threadHint: m.gmail.threadId } } : {}) };
      }
      let yielded = 0;
      const run: SourceRun = {
        [Symbol.asyncIterator]: () => parseInOrder(raw(), pool, window, () => yielded++),
        remaining: () => Math.max(0, fetch.total - yielded),
        commit: () => store.save(fetch.checkpoint()),
        close: closeAll,
      };
      return run;
    },
  };
}
