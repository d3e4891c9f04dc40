/**
 * Sending one reply so that it goes out at most once: the intent (with the chosen
 * Message-ID) is fsynced to the journal before the SMTP transaction, `sent` after the
 * server's 250. Then the copy in Sent and the flags on the lead; those are redone by the next
 * run's recovery if this one stops before them.
 *
 * SMTP outcomes: 250 -> sent. A connection lost after the body went out, before the reply ->
 * unknown: never resent, held in Drafts with the reason. 4xx and connection errors before the
 * body -> not sent, the lead waits for the next run. 5xx -> held for a person. Auth refused ->
 * the run stops.
 */
import { isMailError, MailError } from '@jobs/mail/errors';
import type { SendResult } from '@jobs/mail/smtp';
import { type CheckContext, subjectReusable } from './checks.ts';
import type { Lead } from './classify.ts';
import { type Ctx, idDomain } from './context.ts';
import { LeadError } from './errors.ts';
import { holdInDrafts } from './hold.ts';
import { composeDraft, newMessageId, replySubject } from './internal/compose.ts';
import type { LeadPlace, ReplyRecord } from './journal.ts';
import type { LeadState } from './lead-state.ts';

/** What became of a send. */
export type SendOutcome = 'answered' | 'held' | 'deferred';

/**
 * The reply record for a lead and its draft: what will be sent, and what the checks then read.
 * A direct lead keeps the customer's subject (it threads in their mail client) only when that
 * subject passes the checks on its own: a sender's subject is their text, and one with a link,
 * an amount or a phone number (`Invoice overdue: pay $4,900 at http://pay.evil/`) must never go
 * out under the business's name. Otherwise, and for notifications (whose subject the customer
 * never saw), the draft's subject is used.
 */
export function buildReply(ctx: Ctx, lead: Lead, to: string, draft: { subject: string; body: string }, checks: CheckContext): ReplyRecord {
  const own = lead.kind === 'direct' && subjectReusable(replySubject(lead.subject), checks) ? lead.subject : null;
  const subject = replySubject(own ?? draft.subject);
  const references = [...lead.references.filter((r) => r !== lead.messageId), lead.messageId].slice(-20);
  return {
    to,
    messageId: newMessageId(idDomain(ctx)),
    subject,
    text: draft.body,
    inReplyTo: lead.messageId,
    references,
    date: new Date(ctx.now()).toISOString(),
  };
}

/** Sends `reply` for the lead at `place` (see the module comment). */
export async function sendReply(ctx: Ctx, leadKey: string, source: string, place: LeadPlace | null, reply: ReplyRecord): Promise<SendOutcome> {
  await ctx.write({ t: 'intent', lead: leadKey, place, source, reply });
  let result: SendResult;
  try {
    result = await ctx.smtp.send({
      from: ctx.settings.fromName ? { name: ctx.settings.fromName, address: ctx.settings.leadAddress } : ctx.settings.leadAddress,
      to: reply.to,
      subject: reply.subject,
      text: reply.text,
      messageId: reply.messageId,
      inReplyTo: reply.inReplyTo,
      references: reply.references,
      autoSubmitted: 'auto-replied',
    });
  } catch (err) {
    return failed(ctx, leadKey, reply, err);
  }
  await ctx.write({ t: 'sent', lead: leadKey, messageId: reply.messageId });
  const state = ctx.index.leads.get(leadKey);
  if (state) await finishSent(ctx, state, result.raw);
  return 'answered';
}

async function failed(ctx: Ctx, leadKey: string, reply: ReplyRecord, err: unknown): Promise<SendOutcome> {
  const code = isMailError(err) ? err.code : 'EUNKNOWN';
  ctx.logger.warn({ err, code, lead: leadKey, messageId: reply.messageId }, 'reply not sent');
  if (code === 'EUNKNOWN_DELIVERY' || !isMailError(err)) {
    // the server may have accepted it: never resend; a person decides
    await holdInDrafts(
      ctx,
      leadKey,
      reply,
      `delivery unknown: the SMTP connection was lost after the message was handed over (Message-ID ${reply.messageId}); it may have reached ${reply.to}`,
    );
    return 'held';
  }
  // certainly not delivered: the intent is closed, the lead may be tried again
  await ctx.write({ t: 'not-sent', lead: leadKey, messageId: reply.messageId, code });
  if (code === 'EAUTH') {
    throw new LeadError('EAUTH', `the SMTP server refused the login: check LEAD_SMTP_USER and LEAD_SMTP_PASSWORD; the run stops (${(err as MailError).message})`, {
      lead: leadKey,
      cause: err,
    });
  }
  if (code === 'EPERM_SMTP' || code === 'ECONFIG') {
    await holdInDrafts(ctx, leadKey, reply, `the SMTP server refused the reply for good (${(err as MailError).responseCode ?? code})`);
    return 'held';
  }
  if (code === 'ECONNECTION' || code === 'ETIMEOUT') ctx.stopSending = `SMTP ${code}`;
  return 'deferred';
}

/**
 * Copies an answered reply to Sent (unless there already) and marks the lead. The copy is
 * best-effort: the reply already went out, so a Sent folder that is gone or full never stops
 * this run or wedges the next ones. A lasting refusal is journaled as `copied` with the reason
 * (the owner's notice names it once); a dropped connection leaves it for the next run.
 */
export async function finishSent(ctx: Ctx, state: LeadState, raw?: Buffer): Promise<void> {
  const reply = state.reply;
  if (!reply) return;
  if (!state.copied) await copyToSent(ctx, state, reply, raw);
  if (!state.marked && state.place) {
    try {
      const r = await ctx.imap.markFlags([state.place.uid], { answered: true, keyword: ctx.settings.keyword }, state.place.uidValidity);
      if (ctx.report.keywords === null) ctx.report.keywords = !r.unsupported.includes(ctx.settings.keyword);
      await ctx.write({ t: 'marked', lead: state.key, applied: r.applied, unsupported: r.unsupported });
    } catch (err) {
      // the mailbox was rebuilt: its UIDs name other messages now; the journal alone records it
      if (!isMailError(err, 'EUIDVALIDITY')) throw err;
      await ctx.write({ t: 'marked', lead: state.key, applied: [], unsupported: ['uidvalidity-changed'] });
    }
  }
}

const TRANSIENT = new Set<string>(['ECONNECTION', 'ETIMEOUT']);

async function copyToSent(ctx: Ctx, state: LeadState, reply: ReplyRecord, raw: Buffer | undefined): Promise<void> {
  try {
    if (ctx.sentUnavailable) throw new MailError('ENOMAILBOX', ctx.sentUnavailable);
    let present = false;
    if (!raw) present = (await ctx.imap.findByMessageId('sent', reply.messageId)).length > 0;
    // Gmail and Microsoft 365 file the submitted reply into Sent themselves: a second APPEND
    // would be a duplicate. Crash recovery still finds their copy by Message-ID.
    if (!present && ctx.settings.filesSentItself !== true) await ctx.imap.append('sent', raw ?? sentCopy(ctx, reply), { flags: ['\\Seen'] });
    await ctx.write({ t: 'copied', lead: state.key, messageId: reply.messageId });
  } catch (err) {
    if (!isMailError(err) || err.code === 'EAUTH' || err.code === 'ESTATE') throw err;
    if (TRANSIENT.has(err.code)) {
      ctx.logger.warn({ err, lead: state.key }, 'the Sent copy was not filed: the next run tries again');
      return;
    }
    ctx.logger.warn({ err, lead: state.key, messageId: reply.messageId }, 'the reply went out but its Sent copy could not be filed: the owner is told');
    await ctx.write({ t: 'copied', lead: state.key, messageId: reply.messageId, failed: `${err.code}: ${err.message}` });
  }
}

/** The Sent copy when the sent bytes are no longer at hand (recovery). */
function sentCopy(ctx: Ctx, reply: ReplyRecord): Buffer {
  return composeDraft({
    from: ctx.settings.leadAddress,
    ...(ctx.settings.fromName ? { fromName: ctx.settings.fromName } : {}),
    to: reply.to,
    subject: reply.subject,
    text: reply.text,
    messageId: reply.messageId,
    inReplyTo: reply.inReplyTo,
    references: reply.references,
    date: new Date(reply.date),
    headers: { 'Auto-Submitted': 'auto-replied' },
  });
}
