/**
 * The owner's notice: one mail per run listing what needs a person (phone-only or
 * unanswerable leads, replies held in Drafts, drafts waiting for approval) or should be known
 * (a customer who wrote again after the day's replies to them were used up: not answered). It is the one
 * message sent at least once rather than at most once: if a run stops between sending it
 * and journaling it, the next run sends it again; a repeated notice to the owner is harmless,
 * a lost phone lead is not.
 */
import { isMailError } from '@jobs/mail/errors';
import { type Ctx, idDomain } from './context.ts';
import { LeadError } from './errors.ts';
import { newMessageId } from './internal/compose.ts';
import { DAILY_TOTAL_CAP, type LeadState, needsOwner } from './lead-state.ts';

function line(state: LeadState, cap: number, totalCap: number): string {
  if (state.status === 'reported') return `- Call or write yourself (${state.reason}): ${state.summary ?? ''}`;
  if (state.status === 'skipped' && state.reason === DAILY_TOTAL_CAP) {
    return `- Not answered (the day's ${totalCap} replies in all already went): ${state.summary ?? 'details not recorded'}`;
  }
  if (state.status === 'skipped') {
    return `- Wrote again, not answered (the day's ${cap === 1 ? 'reply' : `${cap} replies`} to this address already went): ${state.summary ?? 'details not recorded'}`;
  }
  if (state.status === 'answered') {
    return `- Answered, but no copy could be filed in Sent (${state.copyFailed ?? ''}): "${state.reply?.subject ?? ''}" to ${state.reply?.to ?? '?'}`;
  }
  const d = state.hold?.draft;
  return `- In Drafts, not sent (${state.reason}): "${d?.subject ?? ''}" to ${d?.to ?? '?'}`;
}

/** Sends the notice when something waits for the owner; journals which leads it covered. */
export async function sendOwnerNotice(ctx: Ctx): Promise<void> {
  // with approval on, each held draft has a notice of its own (approval/notice.ts)
  const pending = [...ctx.index.leads.values()].filter((s) => needsOwner(s) && !s.noticed && !(ctx.settings.approval && s.status === 'held'));
  if (pending.length === 0) return;
  const text = [
    `The lead responder needs you for ${pending.length} lead${pending.length === 1 ? '' : 's'}:`,
    '',
    ...pending.map((s) => line(s, ctx.settings.maxPerSenderPerDay, ctx.settings.maxRepliesPerDay)),
    '',
    'Replies held in Drafts were not sent: check each one, edit it and send it yourself.',
  ].join('\n');
  const subject = `Lead responder: ${pending.length} lead${pending.length === 1 ? '' : 's'} need${pending.length === 1 ? 's' : ''} you`;
  if (ctx.mode === 'dry-run') {
    ctx.print(`[dry-run] would mail the owner ${ctx.settings.ownerAddress}: "${subject}"`);
    return;
  }
  const messageId = newMessageId(idDomain(ctx));
  try {
    await ctx.smtp.send({
      from: ctx.settings.leadAddress,
      to: ctx.settings.ownerAddress,
      subject,
      text,
      messageId,
      autoSubmitted: 'auto-generated',
    });
  } catch (err) {
    if (isMailError(err, 'EAUTH')) {
      throw new LeadError('EAUTH', 'the SMTP server refused the login while mailing the owner: check LEAD_SMTP_USER and LEAD_SMTP_PASSWORD', {
        cause: err,
      });
    }
    ctx.logger.warn({ err, pending: pending.length }, 'owner notice not sent: it is tried again on the next run');
    return;
  }
  await ctx.write({ t: 'notice', messageId, leads: pending.map((s) => s.key) });
  ctx.report.noticesSent++;
}
