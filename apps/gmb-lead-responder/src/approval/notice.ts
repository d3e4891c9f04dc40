/**
 * Mailing the owner about each held draft, one notice per draft (approval on): the first when
 * the draft is held, again after the owner's own text was refused, and one reminder after
 * LEAD_APPROVAL_REMIND_HOURS without an answer. Each carries a fresh token (approval/token.ts)
 * in its Message-ID and subject. Like the owner's other notice, it is sent at least once: a
 * run that stops before journaling it sends it again.
 */
import { isMailError } from '@jobs/mail/errors';
import { type Ctx, idDomain } from '../context.ts';
import { LeadError } from '../errors.ts';
import type { LeadState } from '../lead-state.ts';
import { noticeBody, noticeSubject, type NoticeInput } from './notice-text.ts';
import { contentHash, makeToken, noticeMessageId, subjectTag } from './token.ts';

/** The held leads due a notice now, and which kind. */
export function dueNotices(ctx: Ctx): Array<{ state: LeadState; kind: NoticeInput['kind'] }> {
  const out: Array<{ state: LeadState; kind: NoticeInput['kind'] }> = [];
  const settings = ctx.settings.approval;
  if (!settings) return out;
  for (const state of ctx.index.leads.values()) {
    if (state.status !== 'held' || !state.hold) continue;
    const a = ctx.index.approvals.get(state.key);
    if (a?.accepted?.draftId === state.hold.draftId) continue;
    if (a?.noticeDraftId !== state.hold.draftId) out.push({ state, kind: a?.warning ? 'again' : 'first' });
    else if (!a.reminded && a.noticeAt !== null && ctx.now() - a.noticeAt >= settings.remindMs) out.push({ state, kind: 'reminder' });
  }
  return out;
}

/** Sends every due approval notice; journals each. */
export async function sendApprovalNotices(ctx: Ctx): Promise<void> {
  const settings = ctx.settings.approval;
  if (!settings) return;
  for (const { state, kind } of dueNotices(ctx)) {
    const hold = state.hold!;
    const expires = ctx.now() + settings.expiryMs;
    const token = makeToken(settings.secret, hold.draftId, contentHash(hold.draft), expires);
    const warning = ctx.index.approvals.get(state.key)?.warning ?? null;
    const input: NoticeInput = { draft: hold.draft, reason: hold.reason, owner: ctx.settings.ownerAddress, expires, kind, warning };
    const subject = `${noticeSubject(input)} ${subjectTag(token)}`;
    if (ctx.mode === 'dry-run') {
      ctx.print(`[dry-run] would mail the owner ${ctx.settings.ownerAddress}: "${noticeSubject(input)}"`);
      continue;
    }
    const messageId = noticeMessageId(token, idDomain(ctx));
    try {
      await ctx.smtp.send({ from: ctx.settings.leadAddress, to: ctx.settings.ownerAddress, subject, text: noticeBody(input), messageId, autoSubmitted: 'auto-generated' });
    } catch (err) {
      if (isMailError(err, 'EAUTH')) {
        throw new LeadError('EAUTH', 'the SMTP server refused the login while mailing the owner: check LEAD_SMTP_USER and LEAD_SMTP_PASSWORD', { cause: err });
      }
      ctx.logger.warn({ err, lead: state.key }, 'approval notice not sent: it is tried again on the next run');
      return;
    }
    await ctx.write({ t: 'approval-notice', lead: state.key, draftId: hold.draftId, messageId, expires, kind });
    ctx.report.noticesSent++;
  }
}
