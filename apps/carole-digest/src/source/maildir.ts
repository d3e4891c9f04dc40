/**
 * The Maildir source (the embedded default, and what mbsync/offlineimap users have): reads
 * new/ and cur/ through @jobs/mail's readMaildir, which never moves or changes a file. Its
 * checkpoint (the set of handled file names) is stored per Maildir path under the state dir.
 * Messages are parsed in-process, one at a time, and reduced as they come.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { type MaildirCheckpoint, readMaildir } from '@jobs/mail/maildir';
import type { ParseOptions } from '@jobs/mail/parse';
import { reduceParsed } from '../parse/item.ts';
import { jsonState } from '../state.ts';
import { DEFAULT_CLASSIFY, type MailSource, type SourceItem, type SourceRun } from './types.ts';

/** Options of createMaildirSource. */
export interface MaildirSourceOptions {
  readonly path: string;
  /** Absolute state dir; the checkpoint goes to `<stateDir>/digest/maildir-<hash>.json`. */
  readonly stateDir: string;
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
}

function isMaildirCheckpoint(v: unknown): v is MaildirCheckpoint {
  const c = v as MaildirCheckpoint | null;
  return typeof c === 'object' && c !== null && c.version === 1 && Array.isArray(c.seen) && c.seen.every((s) => typeof s === 'string');
}

/** A Maildir source at `path`. */
export function createMaildirSource(options: MaildirSourceOptions): MailSource {
  const dir = resolve(options.path);
  const hash = createHash('sha256').update(dir).digest('hex').slice(0, 16);
  const store = jsonState(options.stateDir, `maildir-${hash}`, isMaildirCheckpoint);
  return {
    name: `maildir:${dir}`,
    checkpointPath: store.path,
    async open({ since: given, firstRunSince, classify = DEFAULT_CLASSIFY }) {
      const checkpoint = (await store.load()) ?? null;
      const since = given ?? (checkpoint ? undefined : firstRunSince);
      const reader = readMaildir(dir, { checkpoint, ...(since ? { since } : {}), ...(options.parse ? { parse: options.parse } : {}) });
      let started = false;
      async function* items(): AsyncGenerator<SourceItem> {
        started = true;
        // In-process: a Maildir window is one person's mail since the last run; @jobs/mail's
        // reader streams each file into the parser itself.
        for await (const { entry, result } of reader) yield { id: entry.key, result: reduceParsed(result, classify) };
      }
      const run: SourceRun = {
        [Symbol.asyncIterator]: items,
        remaining: () => (started ? reader.pending() : undefined),
        commit: () => store.save(reader.checkpoint()),
        close: async () => {},
      };
      return run;
    },
  };
}
