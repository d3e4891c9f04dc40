/**
 * Gmail's own ids of a message, read only from a server that offers them (`X-GM-EXT-1` in
 * CAPABILITY): `X-GM-MSGID`, one per message however many labels (folders) show it, and
 * `X-GM-THRID`, one per Gmail conversation. imapflow asks for X-GM-MSGID on its own when the
 * extension is there and for X-GM-THRID when `threadId` is in the query; it would also take
 * RFC 8474 OBJECTID's EMAILID/THREADID into the same fields, so the capability is checked here:
 * on any other server these ids are absent, never guessed.
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';

/** Gmail's ids of one message (decimal strings). */
export interface GmailIds {
  /** X-GM-MSGID: the same in INBOX, in each label's folder and in All Mail. */
  readonly messageId: string;
  /** X-GM-THRID: Gmail's conversation, a threading hint. */
  readonly threadId: string;
}

/** True when the server offers Gmail's IMAP extensions. */
export function offersGmailIds(client: Pick<ImapFlow, 'capabilities'>): boolean {
  return client.capabilities.has('X-GM-EXT-1');
}

/** What to add to a FETCH query for the ids (nothing when not offered). */
export function gmailQuery(offered: boolean): { threadId?: true } {
  return offered ? { threadId: true } : {};
}

/** The ids of a fetched row; null when not offered or not both present. */
export function gmailIdsOf(row: Pick<FetchMessageObject, 'emailId' | 'threadId'>, offered: boolean): GmailIds | null {
  if (!offered || typeof row.emailId !== 'string' || typeof row.threadId !== 'string') return null;
  if (!/^\d+$/.test(row.emailId) || !/^\d+$/.test(row.threadId)) return null;
  return { messageId: row.emailId, threadId: row.threadId };
}
