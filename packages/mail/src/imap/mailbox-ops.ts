/**
 * Mailbox operations beside fetching: flags (only those PERMANENTFLAGS allows), APPEND to a
 * special-use folder, and a search by Message-ID (the lead responder's crash recovery).
 */
import type { ImapFlow, MailboxObject } from 'imapflow';
import { MailError } from '../errors.ts';
import type { ImapConnection } from './connection.ts';
import { toSequenceSet, uidValidityOf } from './fetch-plan.ts';
import { normalizeMessageId } from './message-key.ts';
import type { ResolvedImapOptions } from './options.ts';

/** Flags to add to messages. */
export interface FlagRequest {
  readonly answered?: boolean;
  readonly seen?: boolean;
  /** An IMAP keyword (atom), e.g. `$LeadAnswered`. */
  readonly keyword?: string;
}

/** What a flag update did. */
export interface FlagResult {
  /** Flags stored. */
  readonly applied: readonly string[];
  /** Flags the mailbox can not keep (not in PERMANENTFLAGS; keywords need `\*`). */
  readonly unsupported: readonly string[];
}

/** What the selected mailbox lets us store. */
export interface MailboxCapabilities {
  readonly path: string;
  readonly uidValidity: string | null;
  readonly readOnly: boolean;
  /** PERMANENTFLAGS as sent; null when the server sent none. */
  readonly permanentFlags: readonly string[] | null;
  /** True when new keywords can be stored (`\*` in PERMANENTFLAGS). Exchange: false. */
  readonly keywords: boolean;
}

/** A folder given by special use (resolved through LIST, or the `folders` option) or by path. */
export type FolderTarget = 'sent' | 'drafts' | { readonly path: string };

const KEYWORD = /^[A-Za-z0-9$_.\-+]{1,64}$/;

/** Reads the capabilities of a selected mailbox. */
export function capabilitiesOf(mailbox: MailboxObject): MailboxCapabilities {
  const permanent = mailbox.permanentFlags ? [...mailbox.permanentFlags] : null;
  return {
    path: mailbox.path,
    uidValidity: uidValidityOf(mailbox),
    readOnly: mailbox.readOnly === true,
    permanentFlags: permanent,
    keywords: mailbox.readOnly !== true && permanent !== null && permanent.includes('\\*'),
  };
}

/** Whether `flag` survives the session in a mailbox with these capabilities. */
export function canStore(flag: string, caps: MailboxCapabilities): boolean {
  if (caps.readOnly) return false;
  const isKeyword = !flag.startsWith('\\');
  const listed = caps.permanentFlags?.some((f) => f.toLowerCase() === flag.toLowerCase()) ?? false;
  if (isKeyword) return listed || caps.keywords;
  // no PERMANENTFLAGS at all: RFC 3501 says the FLAGS list is permanent, system flags included
  return caps.permanentFlags === null || listed;
}

/** Flags requested, checked: a keyword must be an IMAP atom. */
export function requestedFlags(req: FlagRequest): string[] {
  const flags: string[] = [];
  if (req.answered) flags.push('\\Answered');
  if (req.seen) flags.push('\\Seen');
  if (req.keyword !== undefined) {
    if (!KEYWORD.test(req.keyword)) {
      throw new MailError('ECONFIG', `keyword must be 1-64 of A-Z a-z 0-9 $ _ . - +, got ${JSON.stringify(req.keyword)}`);
    }
    flags.push(req.keyword);
  }
  return flags;
}

/** Adds flags to `uids`, refusing to touch UIDs from another UIDVALIDITY. */
export async function markFlags(
  conn: ImapConnection,
  mailbox: string,
  uids: readonly number[],
  req: FlagRequest,
  expectUidValidity: string | null | undefined,
): Promise<FlagResult> {
  const flags = requestedFlags(req);
  const sorted = [...new Set(uids)].sort((a, b) => a - b);
  return conn.run(
    'store flags',
    (client) =>
      conn.withMailbox(client, mailbox, async (mb) => {
        const caps = capabilitiesOf(mb);
        if (expectUidValidity !== undefined && caps.uidValidity !== expectUidValidity) {
          // stale UIDs would flag other messages
          throw new MailError('EUIDVALIDITY', `UIDVALIDITY of ${mailbox} changed: these UIDs no longer name the same messages`, {
            mailbox,
          });
        }
        const applied = flags.filter((f) => canStore(f, caps));
        const unsupported = flags.filter((f) => !applied.includes(f));
        if (applied.length && sorted.length) {
          const stored = await client.messageFlagsAdd(toSequenceSet(sorted), applied, { uid: true });
          if (!stored) {
            throw new MailError('EIMAP', `the server refused to store ${applied.join(' ')} in ${mailbox}: see its log`, {
              mailbox,
              command: 'STORE',
            });
          }
        }
        return { applied, unsupported };
      }, { fresh: true }),
    { idempotent: true, mailbox },
  );
}

/** Resolves a folder target to a path: the `folders` option first, then LIST special-use. */
export async function resolveFolder(client: ImapFlow, target: FolderTarget, opts: ResolvedImapOptions): Promise<string> {
  if (typeof target === 'object') return target.path;
  const configured = opts.folders[target];
  if (configured) return configured;
  const use = target === 'sent' ? '\\Sent' : '\\Drafts';
  const found = (await client.list()).find((m) => m.specialUse === use);
  if (!found) {
    throw new MailError('ENOMAILBOX', `no folder is marked ${use} on this server: set folders.${target} to its path`);
  }
  return found.path;
}

/**
 * The path of `target`, checked to exist on the server (LIST): a configured path that is not
 * there, or no folder marked for the special use, is ENOMAILBOX. For a run to learn before its
 * first send that its copies or held drafts would have nowhere to go.
 */
export async function folderPath(conn: ImapConnection, opts: ResolvedImapOptions, target: FolderTarget): Promise<string> {
  return conn.run(
    'resolve folder',
    async (client) => {
      const path = await resolveFolder(client, target, opts);
      const exists = (await client.list()).some((m) => m.path === path);
      if (!exists) {
        const which = typeof target === 'object' ? path : `the ${target} folder ${JSON.stringify(path)}`;
        throw new MailError('ENOMAILBOX', `${which} does not exist on this server: create it or set folders.${typeof target === 'object' ? 'path' : target}`, { mailbox: path });
      }
      return path;
    },
    { idempotent: true },
  );
}

/**
 * Appends a raw message. Not retried on a dropped connection: an APPEND whose reply was lost
 * may have been stored, and a retry would store a second copy.
 */
export async function appendMessage(
  conn: ImapConnection,
  opts: ResolvedImapOptions,
  target: FolderTarget,
  raw: Buffer,
  options: { flags?: readonly string[]; date?: Date },
): Promise<{ path: string; uid: number | null; uidValidity: string | null }> {
  return conn.run(
    'append',
    async (client) => {
      const path = await resolveFolder(client, target, opts);
      const res = await client.append(path, raw, [...(options.flags ?? [])], options.date);
      if (!res) throw new MailError('EIMAP', `APPEND to ${path} was refused: check the folder exists and is writable`);
      return { path, uid: res.uid ?? null, uidValidity: res.uidValidity?.toString() ?? null };
    },
    { idempotent: false },
  );
}

/** UIDs in `target` whose Message-ID header is exactly `messageId`. */
export async function findByMessageId(
  conn: ImapConnection,
  opts: ResolvedImapOptions,
  target: FolderTarget,
  messageId: string,
): Promise<number[]> {
  const wanted = normalizeMessageId(messageId);
  if (!wanted) throw new MailError('ECONFIG', `messageId must be a non-empty Message-ID, got ${JSON.stringify(messageId)}`);
  return conn.run(
    'search by Message-ID',
    async (client) => {
      const path = await resolveFolder(client, target, opts);
      return conn.withMailbox(client, path, async (mb) => {
        if (mb.exists === 0) return [];
        const found = await client.search({ header: { 'message-id': wanted } }, { uid: true });
        // a refused SEARCH is not "not found": the caller decides whether a reply was sent on it
        if (!Array.isArray(found)) {
          throw new MailError('EIMAP', `SEARCH for a Message-ID in ${path} was refused: see the server log`, {
            mailbox: path,
            command: 'SEARCH',
            messageId: wanted,
          });
        }
        const uids = [...found].sort((a, b) => a - b);
        if (uids.length === 0) return [];
        // SEARCH HEADER is a substring match: keep exact matches only
        const rows = await client.fetchAll(toSequenceSet(uids), { uid: true, envelope: true }, { uid: true });
        return rows.filter((r) => normalizeMessageId(r.envelope?.messageId) === wanted).map((r) => r.uid);
      }, { fresh: true });
    },
    { idempotent: true },
  );
}
