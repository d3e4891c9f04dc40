/**
 * The Maildir source (the embedded default, and what mbsync/offlineimap users have): reads
 * new/ and cur/ through @jobs/mail's readMaildirRaw, which never moves or changes a file, and
 * hands each file's bytes (keyed by its unique name) down the one parse path (pipeline.ts)
 * shared with the IMAP source. Its checkpoint (the set of handled names) lives in @jobs/mail's
 * checkpoint store, `<stateDir>/checkpoints/digest-maildir-<hash of the path>.json`; the file an
 * earlier version kept (`<stateDir>/digest/maildir-<hash>.json`) is read until the first save.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { createMaildirCheckpointStore } from '@jobs/mail/checkpoint';
import { readMaildirRaw } from '@jobs/mail/maildir';
import { lazyPool, type PipelineOptions, parseInOrder, type RawMessage, windowOf } from './pipeline.ts';
import { DEFAULT_CLASSIFY, type MailSource, type SourceRun } from './types.ts';

/**
 * Bytes read of one message file at most: the headers and the start of the text, far past
 * what a digest shows (1,500 characters after quotes are stripped); the rest of a longer file
 * (attachments) is never read.
 */
export const MAILDIR_PREFIX_BYTES = 256 * 1024;

/** Options of createMaildirSource. */
export interface MaildirSourceOptions extends PipelineOptions {
  readonly path: string;
  /** Absolute state dir (see the module comment for the checkpoint's file). */
  readonly stateDir: string;
}

/** A Maildir source at `path`. */
export function createMaildirSource(options: MaildirSourceOptions): MailSource {
  const dir = resolve(options.path);
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  const name = `digest-maildir-${hash}`;
  const window = windowOf(options);
  return {
    name: `maildir:${dir}`,
    checkpointPath: join(options.stateDir, 'checkpoints', `${name}.json`),
    async open({ since: given, firstRunSince, classify = DEFAULT_CLASSIFY }) {
      const previousPath = join(options.stateDir, 'digest', `maildir-${hash}.json`);
      const store = await createMaildirCheckpointStore({ stateDir: options.stateDir, name, previousPath });
      const checkpoint = (await store.load()) ?? null;
      const since = given ?? (checkpoint ? undefined : firstRunSince);
      const maxBytes = options.parse?.maxBytes;
      const reader = readMaildirRaw(dir, { checkpoint, prefixBytes: MAILDIR_PREFIX_BYTES, ...(since ? { since } : {}), ...(maxBytes === undefined ? {} : { maxBytes }) });
      const pool = lazyPool(options, classify);
      let started = false;
      let read = 0;
      let yielded = 0;
      async function* raw(): AsyncGenerator<RawMessage> {
        started = true;
        for await (const m of reader) {
          read++;
          yield m.raw === null
            ? { key: m.entry.key, raw: null, code: 'ESTREAM', reason: m.error.message, sizeBytes: m.entry.size }
            : { key: m.entry.key, raw: m.raw, meta: { truncated: m.truncated, sizeBytes: m.size } };
        }
      }
      const run: SourceRun = {
        [Symbol.asyncIterator]: () => parseInOrder(raw(), pool, window, () => yielded++),
        // Not yet read, plus read and still parsing.
        remaining: () => (started ? reader.pending() + read - yielded : undefined),
        commit: () => store.save(reader.checkpoint()),
        close: () => pool.close(),
      };
      return run;
    },
  };
}
