/**
 * Acting on an answer that counts. The token is spent by the `approval` record, on disk before
 * anything is sent or removed; the step itself is `settle`, which each pass also runs for
 * every accepted answer not yet carried out (a run stopped between the two, a send deferred by
 * a temporary SMTP failure). The reply goes through sendReply: the same intent/sent journal,
 * so it leaves at most once. The owner's own text is checked like a drafted one; a text that
 * fails is not sent, and the owner is told why in a new notice (the draft stays held).
 */
import { isMailError } from '@jobs/mail/errors';
import { checkContextFor, checkDraft } from '../checks.ts';
import { type Ctx, idDomain } from '../context.ts';
import { newMessageId } from '../internal/compose.ts';
import type { LeadState } from '../lead-state.ts';
import { record } from '../report.ts';
import { sendReply } from '../send.ts';
import type { Verdict } from './answer.ts';

/** Spends the token and carries the answer out (dry-run: says what it would do). */
export async function accept(ctx: Ctx, v: Verdict, answerKey: string): Promise<void> {
  const hold = v.state.hold!;
  if (v.action === 'edit') {
    const checks = checkContextFor(ctx, { details: { email: hold.draft.to, phone: null } });
    const problems = checkDraft({ subject: hold.draft.subject, body: v.text! }, checks);
    if (problems.length) {
      ctx.logger.warn({ lead: v.state.key, problems }, "the owner's own text failed the checks: not sent, the owner is told");
      if (ctx.mode === 'dry-run') return ctx.print(`[dry-run] would refuse the owner's text for ${hold.draft.to}: ${problems.join('; ')}`);
      await ctx.write({ t: 'approval-refused', lead: v.state.key, draftId: hold.draftId, token: v.token, problems });
      record(ctx.report, { key: v.state.key, uid: null, action: 'held', reason: `owner-text-refused: ${problems.join('; ')}`, to: hold.draft.to });
      return;
    }
  }
  if (ctx.mode === 'dry-run') return ctx.print(`[dry-run] would ${v.action === 'drop' ? 'drop' : 'send'} the held reply to ${hold.draft.to} (owner's answer: ${v.action})`);
  await ctx.write({ t: 'approval', lead: v.state.key, draftId: hold.draftId, token: v.token, action: v.action, ...(v.text !== undefined ? { text: v.text } : {}), answer: answerKey });
  await settle(ctx, v.state);
}

/** Carries out the accepted answer of `state` where it is not done yet. */
export async function settle(ctx: Ctx, state: LeadState): Promise<void> {
  const acc = ctx.index.approvals.get(state.key)?.accepted;
  const hold = state.hold;
  if (!acc || !hold) return;
  const pending = (state.status === 'held' || state.status === 'new') && acc.draftId === hold.draftId;
  if (pending && acc.action !== 'drop' && !ctx.stopSending) {
    const reply = { ...hold.draft, text: acc.text ?? hold.draft.text, messageId: newMessageId(idDomain(ctx)), date: new Date(ctx.now()).toISOString() };
    const outcome = await sendReply(ctx, state.key, 'owner-approval', state.place, reply);
    record(ctx.report, { key: state.key, uid: state.place?.uid ?? null, action: outcome, reason: `approved-${acc.action}`, to: reply.to, subject: reply.subject });
  }
  // answered, dropped, or held again under a new draft (delivery unknown): the old copy goes
  const done = state.status === 'answered' || (acc.action === 'drop' && state.status === 'skipped') || (state.hold?.draftId !== acc.draftId && state.status === 'held');
  if (done && !ctx.index.approvals.get(state.key)!.removed.has(acc.draftId)) await removeDraft(ctx, state.key, acc.draftId);
}

async function removeDraft(ctx: Ctx, lead: string, draftId: string): Promise<void> {
  try {
    await ctx.imap.removeByMessageId('drafts', draftId);
    await ctx.write({ t: 'draft-removed', lead, draftId });
  } catch (err) {
    if (isMailError(err, 'EAUTH') || isMailError(err, 'ESTATE') || !isMailError(err)) throw err;
    ctx.logger.warn({ err, lead }, 'the Drafts copy of an approved draft was not removed: the next run tries again');
  }
}

/** Settles every accepted answer left unfinished (each pass, after recovery). */
export async function settleAll(ctx: Ctx): Promise<void> {
  if (ctx.mode === 'dry-run') return;
  for (const [key, a] of ctx.index.approvals) {
    const state = ctx.index.leads.get(key);
    if (a.accepted && state && !a.removed.has(a.accepted.draftId)) await settle(ctx, state);
  }
}
