/**
 * The IMAP source, on @jobs/mail's createImapSource: UID ranges since the checkpoint under a
 * mailbox lock, a UIDVALIDITY change handled as a resync deduplicated by Message-ID, reconnect
 * with backoff, oversized messages reduced to their text parts (attachments are never
 * downloaded whole). Bodies are fetched with BODY.PEEK: no flag changes. Parsing overlaps the
 * next fetch: up to `parallel` parses are in flight while the source prefetches.
 */
import { createCheckpointStore } from '@jobs/mail/checkpoint';
import { createImapSource, type FetchedMessage, type ImapSourceOptions } from '@jobs/mail/imap';
import type { ParseResult } from '@jobs/mail/message';
import { type ParseOptions, parseMessage } from '@jobs/mail/parse';
import type { MailSource, SourceItem, SourceRun } from './types.ts';

/** Options of createDigestImapSource. */
export interface DigestImapOptions {
  readonly imap: ImapSourceOptions;
  /** Absolute state dir; the checkpoint goes to `<stateDir>/checkpoints/digest-imap-<mailbox>.json`. */
  readonly stateDir: string;
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
  /** Parses in flight. Default 4. */
  readonly parallel?: number;
}

function checkpointName(mailbox: string): string {
  return `digest-imap-${mailbox.replace(/[^A-Za-z0-9._-]/g, '_')}`.slice(0, 100);
}

/** An IMAP source for the digest. */
export function createDigestImapSource(options: DigestImapOptions): MailSource {
  const mailbox = options.imap.mailbox ?? 'INBOX';
  const name = checkpointName(mailbox);
  const parallel = Math.max(1, options.parallel ?? 4);
  return {
    name: `imap:${mailbox}`,
    checkpointPath: `${options.stateDir}/checkpoints/${name}.json`,
    async open({ since: given, firstRunSince }) {
      const store = await createCheckpointStore({ stateDir: options.stateDir, name });
      const previous = await store.load();
      const since = given ?? (previous ? undefined : firstRunSince);
      const source = createImapSource(options.imap);
      let fetch: Awaited<ReturnType<typeof source.fetchSince>>;
      try {
        fetch = await source.fetchSince(previous, since ? { since } : {});
      } catch (err) {
        await source.close();
        throw err;
      }
      let yielded = 0;
      const parse = (m: FetchedMessage): Promise<ParseResult> => parseMessage(m.raw, { ...options.parse, uid: m.uid });
      async function* items(): AsyncGenerator<SourceItem> {
        // A small window of parses in flight, yielded in UID order.
        const window: Array<{ id: string; result: Promise<ParseResult> }> = [];
        for await (const m of fetch) {
          window.push({ id: String(m.uid), result: parse(m) });
          if (window.length >= parallel) {
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
        close: () => source.close(),
      };
      return run;
    },
  };
}
