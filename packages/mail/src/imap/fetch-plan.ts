/**
 * First phase of a fetch: under the mailbox lock, decide which UIDs to fetch and read their
 * metadata (size, flags, INTERNALDATE, envelope). No bodies. Everything the second phase needs
 * is collected here, so no IMAP command ever runs inside a fetch() loop.
 */
import type { FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import { MailError } from '../errors.ts';
import type { Checkpoint } from '../state/checkpoint.ts';
import { messageKey, normalizeMessageId } from './message-key.ts';

/** How the UIDs were chosen. */
export type FetchMode =
  /** Same UIDVALIDITY as the checkpoint: UIDs above `lastUid`. */
  | 'incremental'
  /** UIDVALIDITY changed or is missing: rescan since `coveredSince`, deduplicated by key. */
  | 'resync'
  /** No checkpoint: the whole mailbox (or since `since`). */
  | 'initial';

/** One message chosen for fetching. */
export interface PlannedMessage {
  readonly uid: number;
  readonly key: string;
  readonly messageId: string | null;
  readonly size: number;
  readonly flags: readonly string[];
  readonly internalDate: Date | null;
}

/** What the planning phase found. */
export interface FetchPlan {
  readonly mode: FetchMode;
  readonly uidValidity: string | null;
  /** Messages to fetch, ascending UID. */
  readonly messages: readonly PlannedMessage[];
  /** Messages skipped because their key was already handled. */
  readonly duplicates: number;
  /** Every UID up to this one existed when the plan was made (new mail gets higher UIDs). */
  readonly scanTop: number;
}

/** Compacts ascending UIDs into an IMAP sequence set ("1:5,7,9:12"). */
export function toSequenceSet(uids: readonly number[]): string {
  const parts: string[] = [];
  let start = -1;
  let prev = -1;
  for (const uid of uids) {
    if (uid === prev + 1) {
      prev = uid;
      continue;
    }
    if (start !== -1) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
    start = uid;
    prev = uid;
  }
  if (start !== -1) parts.push(start === prev ? `${start}` : `${start}:${prev}`);
  return parts.join(',');
}

/** UIDVALIDITY as a decimal string; null when the server sent none (imapflow types it as always there). */
export function uidValidityOf(mailbox: MailboxObject): string | null {
  const v: unknown = mailbox.uidValidity;
  return typeof v === 'bigint' || typeof v === 'number' ? v.toString() : null;
}

const DAY_MS = 24 * 3600 * 1000;
const META = { uid: true, size: true, flags: true, internalDate: true, envelope: true } as const;

function toDate(value: Date | string | undefined): Date | null {
  if (value === undefined) return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** Makes the plan. Call under the mailbox lock, with `mailbox` the selected mailbox. */
export async function planFetch(
  client: ImapFlow,
  mailbox: MailboxObject,
  checkpoint: Checkpoint | undefined,
  since: Date | undefined,
): Promise<FetchPlan> {
  const uidValidity = uidValidityOf(mailbox);
  const mode: FetchMode = !checkpoint
    ? 'initial'
    : checkpoint.uidValidity !== null && checkpoint.uidValidity === uidValidity
      ? 'incremental'
      : 'resync';
  const uidNext = Number.isInteger(mailbox.uidNext) && mailbox.uidNext > 0 ? mailbox.uidNext : 0;
  const base = { mode, uidValidity, duplicates: 0 };
  // An empty mailbox: FETCH 1:* is a BAD "Invalid messageset" there, so never send it.
  if (mailbox.exists === 0) return { ...base, messages: [], scanTop: Math.max(0, uidNext - 1) };

  let threshold = since?.getTime() ?? Number.NEGATIVE_INFINITY;
  if (mode === 'resync' && checkpoint) threshold = Math.max(threshold, Date.parse(checkpoint.coveredSince));

  let rows: FetchMessageObject[];
  if (mode === 'incremental' && checkpoint) {
    // nothing new: UIDNEXT says so without a FETCH
    if (uidNext > 0 && uidNext <= checkpoint.lastUid + 1) return { ...base, messages: [], scanTop: checkpoint.lastUid };
    // "N:*" with N above the highest UID still returns the highest message (RFC 3501 6.4.8),
    // hence the uid > lastUid filter below
    rows = await client.fetchAll(`${checkpoint.lastUid + 1}:*`, META, { uid: true });
    rows = rows.filter((r) => r.uid > checkpoint.lastUid);
  } else if (Number.isFinite(threshold)) {
    // SEARCH SINCE has day granularity in the server's zone: ask a day early, filter exactly after
    const found = await client.search({ since: new Date(threshold - DAY_MS) }, { uid: true });
    // a refused SEARCH must not read as "no mail": the checkpoint would then skip past it
    if (!Array.isArray(found)) {
      throw new MailError('EIMAP', `SEARCH SINCE in ${mailbox.path} was refused: see the server log`, {
        mailbox: mailbox.path,
        command: 'SEARCH',
      });
    }
    const uids = [...found].sort((a, b) => a - b);
    rows = uids.length === 0 ? [] : await client.fetchAll(toSequenceSet(uids), META, { uid: true });
  } else {
    rows = await client.fetchAll('1:*', META, { uid: true });
  }

  const recent = new Set(mode === 'initial' ? [] : (checkpoint?.recent ?? []).map((r) => r.key));
  const messages: PlannedMessage[] = [];
  let duplicates = 0;
  let scanTop = Math.max(0, uidNext - 1, mode === 'incremental' ? (checkpoint?.lastUid ?? 0) : 0);
  rows.sort((a, b) => a.uid - b.uid);
  for (const row of rows) {
    scanTop = Math.max(scanTop, row.uid);
    const internalDate = toDate(row.internalDate);
    if (internalDate && internalDate.getTime() < threshold) continue;
    const key = messageKey(row.envelope, row.size);
    if (recent.has(key)) {
      duplicates++;
      continue;
    }
    recent.add(key);
    messages.push({
      uid: row.uid,
      key,
      messageId: normalizeMessageId(row.envelope?.messageId),
      size: row.size ?? 0,
      flags: [...(row.flags ?? [])],
      internalDate,
    });
  }
  return { ...base, messages, duplicates, scanTop };
}
