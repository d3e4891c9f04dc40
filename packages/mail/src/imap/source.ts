/**
 * The IMAP source: fetch since a checkpoint, mark flags, append to Sent/Drafts, find a
 * Message-ID, and watch for new mail. One logical connection, rebuilt on loss.
 *
 * Usage:
 *   await using source = createImapSource({ host, user, password });
 *   const run = await source.fetchSince(await store.load());
 *   for await (const m of run) handle(m.raw);
 *   await store.save(run.checkpoint());
 */
import { MailError } from '../errors.ts';
import { ImapConnection } from './connection.ts';
import { planFetch } from './fetch-plan.ts';
import { createFetchRun, type FetchRun } from './fetch-run.ts';
import {
  appendMessage,
  capabilitiesOf,
  type FlagRequest,
  type FlagResult,
  type FolderTarget,
  findByMessageId,
  folderPath,
  type MailboxCapabilities,
  markFlags,
} from './mailbox-ops.ts';
import { type ImapSourceOptions, resolveImapOptions } from './options.ts';
import { removeByMessageId } from './remove-ops.ts';
import { type WatchEvent, type WatchOptions, watchMailbox } from './watch.ts';
import type { Checkpoint } from '../state/checkpoint.ts';

export type { FetchedMessage, FetchRun } from './fetch-run.ts';
export type { FetchMode } from './fetch-plan.ts';
export type { FlagRequest, FlagResult, FolderTarget, MailboxCapabilities } from './mailbox-ops.ts';
export type { GmailIds } from './gmail-ids.ts';
export type { ImapSourceOptions, Logger, Sleep } from './options.ts';
export type { OmittedPart } from './oversize.ts';
export type { WatchEvent, WatchOptions } from './watch.ts';

/** Server-level capabilities reported after connecting. */
export interface ServerCapabilities {
  /** X-GM-EXT-1: Gmail's ids (X-GM-MSGID, X-GM-THRID) come with fetched messages. */
  readonly gmail: boolean;
  readonly idle: boolean;
  readonly uidplus: boolean;
  readonly specialUse: boolean;
  readonly move: boolean;
  readonly condstore: boolean;
}

/** See the module comment. Every method throws MailError. */
export interface ImapSource {
  /** The mailbox `fetchSince` reads. */
  readonly mailbox: string;
  /**
   * Plans a fetch of what arrived since `checkpoint` (UIDs above lastUid under the same
   * UIDVALIDITY; a resync deduplicated by Message-ID when UIDVALIDITY changed or is missing;
   * the whole mailbox on the first run). `since` additionally skips older INTERNALDATEs.
   * `mailbox` reads another folder on the same connection (its own checkpoint); see folders-fetch.ts.
   */
  fetchSince(checkpoint: Checkpoint | undefined, options?: { since?: Date; mailbox?: string }): Promise<FetchRun>;
  /** Capabilities of the fetch mailbox: PERMANENTFLAGS, whether keywords can be stored. */
  mailboxCapabilities(): Promise<MailboxCapabilities>;
  /** Server capabilities (IDLE, UIDPLUS, SPECIAL-USE, MOVE, CONDSTORE). */
  serverCapabilities(): Promise<ServerCapabilities>;
  /**
   * Adds \Answered, \Seen and/or a keyword, only those PERMANENTFLAGS allows; the rest are
   * reported as unsupported. `uidValidity` (from the fetched message) guards against stale UIDs.
   */
  markFlags(uids: readonly number[], flags: FlagRequest, uidValidity?: string | null): Promise<FlagResult>;
  /** APPENDs a raw message to Sent, Drafts (special-use) or a path. Never retried (no duplicates). */
  append(
    target: FolderTarget,
    raw: Buffer,
    options?: { flags?: readonly string[]; date?: Date },
  ): Promise<{ path: string; uid: number | null; uidValidity: string | null }>;
  /** UIDs in `target` whose Message-ID is exactly `messageId` (crash recovery: was it sent?). */
  findByMessageId(target: FolderTarget, messageId: string): Promise<number[]>;
  /** Deletes and expunges the messages of `target` whose Message-ID is exactly `messageId`; how many. Safe to repeat. */
  removeByMessageId(target: FolderTarget, messageId: string): Promise<number>;
  /** The path of Sent, Drafts or a path, checked to exist (ENOMAILBOX when it does not). */
  folderPath(target: FolderTarget): Promise<string>;
  /** Events whenever new mail may be there (IDLE, a STATUS timer, reconnects). */
  watch(options?: WatchOptions): AsyncGenerator<WatchEvent>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Builds a source; options are checked now (ECONFIG), the connection is made on first use. */
export function createImapSource(options: ImapSourceOptions): ImapSource {
  const opts = resolveImapOptions(options);
  const conn = new ImapConnection(opts);
  const mailbox = opts.mailbox;
  const source: ImapSource = {
    mailbox,
    async fetchSince(checkpoint, fetchOptions = {}) {
      const box = fetchOptions.mailbox ?? mailbox;
      const plan = await conn.run(
        'fetch plan',
        (client) => conn.withMailbox(client, box, (mb) => planFetch(client, mb, checkpoint, fetchOptions.since), { fresh: true }),
        { idempotent: true, mailbox: box },
      );
      opts.logger.info(
        { mailbox: box, mode: plan.mode, count: plan.messages.length, duplicates: plan.duplicates },
        'IMAP fetch planned',
      );
      return createFetchRun(conn, opts, box, plan, checkpoint);
    },
    mailboxCapabilities() {
      return conn.run('mailbox capabilities', (client) => conn.withMailbox(client, mailbox, async (mb) => capabilitiesOf(mb), { fresh: true }), {
        idempotent: true,
        mailbox,
      });
    },
    async serverCapabilities() {
      const client = await conn.client();
      const has = (name: string) => client.capabilities.has(name);
      return {
        gmail: has('X-GM-EXT-1'),
        idle: has('IDLE'),
        uidplus: has('UIDPLUS'),
        specialUse: has('SPECIAL-USE'),
        move: has('MOVE'),
        condstore: has('CONDSTORE'),
      };
    },
    markFlags(uids, flags, uidValidity) {
      return markFlags(conn, mailbox, uids, flags, uidValidity);
    },
    append(target, raw, appendOptions = {}) {
      return appendMessage(conn, opts, target, raw, appendOptions);
    },
    findByMessageId(target, messageId) {
      return findByMessageId(conn, opts, target, messageId);
    },
    removeByMessageId(target, messageId) {
      return removeByMessageId(conn, opts, target, messageId);
    },
    folderPath(target) {
      return folderPath(conn, opts, target);
    },
    watch(watchOptions = {}) {
      const interval = watchOptions.pollIntervalMs;
      if (interval !== undefined && !(Number.isFinite(interval) && interval > 0)) {
        throw new MailError('ECONFIG', `watch option pollIntervalMs must be a positive number, got ${String(interval)}`);
      }
      return watchMailbox(conn, opts, mailbox, watchOptions);
    },
    close() {
      return conn.close();
    },
    [Symbol.asyncDispose]() {
      return conn.close();
    },
  };
  return source;
}
