/**
 * Removing a message by its Message-ID from Sent, Drafts or a path: the lead responder takes a
 * held draft out of Drafts once the owner sent or dropped it, so the folder and the journal
 * agree. Exact Message-ID matches only (SEARCH HEADER is a substring match); safe to repeat.
 */
import { MailError } from '../errors.ts';
import type { ImapConnection } from './connection.ts';
import { toSequenceSet } from './fetch-plan.ts';
import { type FolderTarget, resolveFolder } from './mailbox-ops.ts';
import { normalizeMessageId } from './message-key.ts';
import type { ResolvedImapOptions } from './options.ts';

/** Deletes (\Deleted + expunge) every message of `target` whose Message-ID is `messageId`; resolves with how many. */
export async function removeByMessageId(conn: ImapConnection, opts: ResolvedImapOptions, target: FolderTarget, messageId: string): Promise<number> {
  const wanted = normalizeMessageId(messageId);
  if (!wanted) throw new MailError('ECONFIG', `messageId must be a non-empty Message-ID, got ${JSON.stringify(messageId)}`);
  return conn.run(
    'remove by Message-ID',
    async (client) => {
      const path = await resolveFolder(client, target, opts);
      return conn.withMailbox(
        client,
        path,
        async (mb) => {
          if (mb.exists === 0) return 0;
          const found = await client.search({ header: { 'message-id': wanted } }, { uid: true });
          if (!Array.isArray(found)) throw new MailError('EIMAP', `SEARCH for a Message-ID in ${path} was refused: see the server log`, { mailbox: path, command: 'SEARCH' });
          if (found.length === 0) return 0;
          const rows = await client.fetchAll(toSequenceSet([...found].sort((a, b) => a - b)), { uid: true, envelope: true }, { uid: true });
          const uids = rows.filter((r) => normalizeMessageId(r.envelope?.messageId) === wanted).map((r) => r.uid);
          if (uids.length === 0) return 0;
          const ok = await client.messageDelete(toSequenceSet(uids), { uid: true });
          if (!ok) throw new MailError('EIMAP', `removing a message from ${path} was refused: check the folder is writable`, { mailbox: path });
          return uids.length;
        },
        { fresh: true },
      );
    },
    { idempotent: true },
  );
}
