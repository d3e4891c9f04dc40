/**
 * Reading several folders of one mailbox as one stream, each message once. On Gmail a folder
 * is a label: a message with several labels shows in each label's folder and in
 * `[Gmail]/All Mail`, under a different UID in each, yet it is one message. When the server
 * offers Gmail's ids (X-GM-EXT-1) a copy is known by its X-GM-MSGID, which is exact (two
 * different messages that share a Message-ID stay two); elsewhere by the message key
 * (Message-ID, or a digest of the headers when there is none). Across runs, a copy whose key
 * one of the folders' checkpoints already holds (a label added after the message was handled
 * gives it a new UID in that folder) is skipped too, for as long as checkpoints keep keys.
 * Each folder keeps its own checkpoint: a skipped copy still counts as passed in its folder.
 */
import { MailError } from '../errors.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import type { FetchedMessage, FetchRun, ImapSource } from './source.ts';

/** One folder to read and the checkpoint it was left at. */
export interface FolderStart {
  readonly mailbox: string;
  readonly checkpoint: Checkpoint | undefined;
}

/** The folders' messages, each once; save `runs.get(folder).checkpoint()` for each after handling them. */
export interface FoldersRun extends AsyncIterable<FetchedMessage> {
  /** Each folder's own run, for its checkpoint. */
  readonly runs: ReadonlyMap<string, FetchRun>;
  /** Copies skipped so far (the same message seen in an earlier folder or run). */
  readonly copies: number;
}

/** The identity of a message across folders: X-GM-MSGID when the server gave it, else the key. */
export function copyIdentity(m: Pick<FetchedMessage, 'gmail' | 'key'>): string {
  return m.gmail ? `x-gm-msgid:${m.gmail.messageId}` : m.key;
}

/** Plans every folder (in order: put INBOX before All Mail), then yields their messages. */
export async function fetchFolders(source: ImapSource, folders: readonly FolderStart[], options: { since?: Date } = {}): Promise<FoldersRun> {
  const names = new Set(folders.map((f) => f.mailbox));
  if (names.size !== folders.length) throw new MailError('ECONFIG', `fetchFolders: a folder is named twice in ${JSON.stringify([...folders.map((f) => f.mailbox)])}`);
  const runs = new Map<string, FetchRun>();
  for (const f of folders) {
    runs.set(f.mailbox, await source.fetchSince(f.checkpoint, { ...options, mailbox: f.mailbox }));
  }
  // keys handled in earlier runs, in any of the folders
  const before = new Set(folders.flatMap((f) => (f.checkpoint?.recent ?? []).map((r) => r.key)));
  const seen = new Set<string>();
  let copies = 0;
  async function* iterate(): AsyncGenerator<FetchedMessage> {
    for (const run of runs.values()) {
      for await (const m of run) {
        const id = copyIdentity(m);
        // (a folder's own run already dropped the keys of its own checkpoint)
        if (seen.has(id) || before.has(m.key)) {
          copies++;
          continue;
        }
        seen.add(id);
        yield m;
      }
    }
  }
  return {
    runs,
    get copies() {
      return copies;
    },
    [Symbol.asyncIterator]: iterate,
  };
}
