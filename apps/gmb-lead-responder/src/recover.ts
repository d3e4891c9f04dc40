/**
 * Recovery at the start of every run: the journal's unfinished business. An intent without
 * `sent` or `not-sent` is unknown: Sent is searched for its Message-ID; found means it went
 * out (finish the copy and the flags), not found means it is held in Drafts for a person with
 * the reason. Nothing is resent. A `hold` without `held` is finished without a second copy;
 * an answered lead missing its Sent copy or flags gets them, best-effort: a failure there is
 * logged (and a lasting one named once in the owner's notice), never a reason to stop the run.
 */
import { isMailError } from '@jobs/mail/errors';
import type { Ctx } from './context.ts';
import { finishHold, holdInDrafts } from './hold.ts';
import { record } from './report.ts';
import { finishSent } from './send.ts';

/** Resolves every unfinished lead of the journal. IMAP errors propagate (the run stops). */
export async function recover(ctx: Ctx): Promise<void> {
  for (const state of [...ctx.index.leads.values()]) {
    const reply = state.reply;
    if (state.status === 'unknown' && reply) {
      if (ctx.mode === 'dry-run') {
        ctx.print(`[dry-run] would search Sent for ${reply.messageId} (reply to ${reply.to} of unknown outcome)`);
        continue;
      }
      const found = await ctx.imap.findByMessageId('sent', reply.messageId);
      if (found.length > 0) {
        await ctx.write({ t: 'sent', lead: state.key, messageId: reply.messageId, recovered: true });
        await finishSent(ctx, state);
        record(ctx.report, { key: state.key, uid: state.place?.uid ?? null, action: 'recovered', reason: 'found in Sent', to: reply.to });
      } else {
        await holdInDrafts(
          ctx,
          state.key,
          reply,
          `delivery unknown: a run stopped after announcing this reply (Message-ID ${reply.messageId}) and it is not in Sent; it may or may not have reached ${reply.to}`,
        );
        record(ctx.report, { key: state.key, uid: state.place?.uid ?? null, action: 'held', reason: 'unknown-after-crash', to: reply.to });
      }
    } else if (state.status === 'holding' && state.hold) {
      if (ctx.mode === 'dry-run') continue;
      await finishHold(ctx, state.key, state.hold);
      record(ctx.report, { key: state.key, uid: state.place?.uid ?? null, action: 'recovered', reason: 'draft confirmed' });
    } else if (state.status === 'answered' && (!state.copied || !state.marked)) {
      if (ctx.mode === 'dry-run') continue;
      // best-effort: the reply went out; a copy or flag that fails must not stop new leads
      try {
        await finishSent(ctx, state);
      } catch (err) {
        if (isMailError(err, 'EAUTH') || isMailError(err, 'ESTATE')) throw err;
        ctx.logger.warn({ err, lead: state.key }, 'could not finish an answered lead (Sent copy or flags): the run goes on, the next one tries again');
      }
    }
  }
}
