/**
 * Holding a reply for a person: the draft goes to the Drafts folder with the reason in a
 * header and at the top of the text, and is not sent. Journaled in two steps (`hold` with the
 * draft's Message-ID before the APPEND, `held` after), so a crash in between is resolved by
 * searching Drafts for that Message-ID instead of appending a second copy.
 */
import { isMailError } from '@jobs/mail/errors';
import { type Ctx, idDomain } from './context.ts';
import { composeDraft, newMessageId } from './internal/compose.ts';
import type { ReplyRecord } from './journal.ts';

/** The header that carries the reason on a held draft. */
export const REASON_HEADER = 'X-Lead-Responder-Reason';

function draftBytes(ctx: Ctx, draftId: string, reply: ReplyRecord, reason: string): Buffer {
  return composeDraft({
    from: ctx.settings.leadAddress,
    ...(ctx.settings.fromName ? { fromName: ctx.settings.fromName } : {}),
    to: reply.to,
    subject: reply.subject,
    text: `[Held by the lead responder, not sent: ${reason}. Check it, delete this line, then send.]\n\n${reply.text}`,
    messageId: draftId,
    ...(reply.inReplyTo ? { inReplyTo: reply.inReplyTo } : {}),
    references: reply.references,
    date: new Date(ctx.now()),
    headers: { [REASON_HEADER]: reason },
  });
}

/** Puts `reply` in Drafts with `reason`; journals `hold` then `held`. */
export async function holdInDrafts(ctx: Ctx, leadKey: string, reply: ReplyRecord, reason: string): Promise<void> {
  const draftId = newMessageId(idDomain(ctx));
  await ctx.write({ t: 'hold', lead: leadKey, draftId, reason, draft: reply });
  await ctx.imap.append('drafts', draftBytes(ctx, draftId, reply, reason), { flags: ['\\Draft'] });
  await ctx.write({ t: 'held', lead: leadKey, draftId, reason });
}

/** Finishes a `hold` without `held` (crash between): search Drafts first, append only if absent. */
export async function finishHold(ctx: Ctx, leadKey: string, hold: { draftId: string; reason: string; draft: ReplyRecord }): Promise<void> {
  let found: number[] = [];
  try {
    found = await ctx.imap.findByMessageId('drafts', hold.draftId);
  } catch (err) {
    if (!isMailError(err, 'ENOMAILBOX')) throw err;
  }
  if (found.length === 0) await ctx.imap.append('drafts', draftBytes(ctx, hold.draftId, hold.draft, hold.reason), { flags: ['\\Draft'] });
  await ctx.write({ t: 'held', lead: leadKey, draftId: hold.draftId, reason: hold.reason });
}
