/**
 * The journal: an append-only JSON-lines file, each record fsynced before the step it
 * protects goes on. It is what makes "never twice" hold across crashes: the chosen
 * Message-ID of a reply is on disk before the SMTP transaction starts, and `sent` only after
 * the server's 250. An `intent` with neither `sent` nor `not-sent` after it is unknown.
 *
 * A crash can tear the last line; a torn line is ignored on reading and the next record
 * starts on a new line. Created 0600 from the start.
 */
import { open, readFile, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDir } from '@jobs/mail/state';
import type { ApprovalRecord } from './approval/records.ts';
import { LeadError } from './errors.ts';

/** A reply as journaled before sending (enough to compose it again for Drafts). */
export interface ReplyRecord {
  readonly to: string;
  readonly messageId: string;
  readonly subject: string;
  readonly text: string;
  readonly inReplyTo: string;
  readonly references: readonly string[];
  /** The Date header, ISO. */
  readonly date: string;
}

/** Where the lead sits in the mailbox (to mark it later). */
export interface LeadPlace {
  readonly mailbox: string;
  readonly uid: number;
  readonly uidValidity: string | null;
}

/** One journal line. `lead` is the lead's key (Message-ID or synthetic key). */
export type JournalRecord =
  | ({ readonly t: 'intent'; readonly lead: string; readonly at: string; readonly place: LeadPlace | null; readonly source: string } & {
      readonly reply: ReplyRecord;
    })
  | { readonly t: 'sent'; readonly lead: string; readonly at: string; readonly messageId: string; readonly recovered?: boolean }
  | { readonly t: 'not-sent'; readonly lead: string; readonly at: string; readonly messageId: string; readonly code: string }
  /** `failed`: the reply went out but its Sent copy could not be filed (the owner is told once). */
  | { readonly t: 'copied'; readonly lead: string; readonly at: string; readonly messageId: string; readonly failed?: string }
  | { readonly t: 'marked'; readonly lead: string; readonly at: string; readonly applied: readonly string[]; readonly unsupported: readonly string[] }
  | { readonly t: 'hold'; readonly lead: string; readonly at: string; readonly draftId: string; readonly reason: string; readonly draft: ReplyRecord }
  | { readonly t: 'held'; readonly lead: string; readonly at: string; readonly draftId: string; readonly reason: string }
  | { readonly t: 'reported'; readonly lead: string; readonly at: string; readonly reason: string; readonly summary: string }
  /** A lead not answered on purpose (`daily-cap`); `summary` says who wrote, for the owner's notice. */
  | { readonly t: 'skipped'; readonly lead: string; readonly at: string; readonly reason: string; readonly summary?: string }
  | { readonly t: 'notice'; readonly at: string; readonly messageId: string; readonly leads: readonly string[] }
  /** The owner's approval of held drafts (approval/records.ts). */
  | ApprovalRecord;

/** Distributive Omit, so each record kind keeps its own fields. */
export type NewRecord = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'at'> : never) : never;

/** An open journal. */
export interface Journal {
  readonly path: string;
  /** Every record read at open and appended since, in order. */
  readonly records: readonly JournalRecord[];
  /** Appends one record and fsyncs it before resolving. */
  append(record: NewRecord): Promise<JournalRecord>;
  close(): Promise<void>;
}

/** The records of a journal file's text; lines torn by a crash are left out. */
export function parseJournal(text: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const value = JSON.parse(line) as JournalRecord;
      if (value && typeof value === 'object' && typeof value.t === 'string') out.push(value);
    } catch {
      // a line torn by a crash mid-write: the step it announced never went on
    }
  }
  return out;
}

/** Opens (creating 0600) the journal at `path` and reads it. */
export async function openJournal(
  path: string,
  options: { now?: () => number; readOnly?: boolean } = {},
): Promise<Journal> {
  const now = options.now ?? Date.now;
  let text = '';
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code !== 'ENOENT') {
      throw new LeadError('ESTATE', `cannot read the journal ${path}: check the state dir`, { path, cause: err });
    }
  }
  const records = parseJournal(text);
  if (options.readOnly) {
    // --dry-run: read what is there, create and write nothing
    return {
      path,
      records,
      append: () => Promise.reject(new LeadError('ESTATE', 'the journal is open read-only (--dry-run)', { path })),
      close: async () => undefined,
    };
  }
  let handle: FileHandle;
  try {
    handle = await open(path, 'a', 0o600);
    if (text === '') await fsyncDir(dirname(path));
  } catch (err) {
    throw new LeadError('ESTATE', `cannot open the journal ${path} for writing: check the state dir`, { path, cause: err });
  }
  // a torn last line has no newline: start the next record on a line of its own
  let needsNewline = text !== '' && !text.endsWith('\n');
  let queue: Promise<unknown> = Promise.resolve();
  return {
    path,
    records,
    append(record) {
      const full = { ...record, at: new Date(now()).toISOString() } as JournalRecord;
      const line = `${needsNewline ? '\n' : ''}${JSON.stringify(full)}\n`;
      needsNewline = false;
      // appends are serialized: each one is on disk before the next starts
      const done = queue.then(async () => {
        try {
          await handle.write(line);
          await handle.sync();
        } catch (err) {
          throw new LeadError('ESTATE', `cannot write the journal ${path}: the run stops so nothing goes unrecorded`, {
            path,
            cause: err,
          });
        }
        records.push(full);
        return full;
      });
      queue = done.catch(() => undefined);
      return done;
    },
    async close() {
      await queue;
      await handle.close();
    },
  };
}
