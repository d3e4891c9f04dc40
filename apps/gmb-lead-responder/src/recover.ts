/**
 * Recovery at the start of every run: the journal's unfinished business. An intent without
 * `sent` or `not-sent` is unknown: Sent is searched for its Message-ID; found means it went
 * out (finish the copy and the flags), not found means it is held in Drafts for a person with
 * the reason. Nothing is resent. A `hold` without `held` is finished without a second copy;
 * an answered lead missing its Sent copy or flags gets them, best-effort: a failure there is
 * logged (and a lasting one named once in the owner's notice), never a reason to stop the run.
 *
 * A provider that files SMTP-submitted mail into Sent itself (Gmail, Microsoft 365) does so a
 * moment after its 250, so a run that starts right after a crash may search before the copy
 * lands: for those, Sent is searched again for up to SENT_FILING_GRACE_MS (once per run, shared
 * by every unknown reply) before a reply is called unknown and held.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { isMailError } from '@jobs/mail/errors';
import type { Ctx } from './context.ts';
import { finishHold, holdInDrafts } from './hold.ts';
import { record } from './report.ts';
import { finishSent } from './send.ts';

/** How long a provider that files Sent itself is given to show its copy of a reply of unknown outcome. */
export const SENT_FILING_GRACE_MS = 5_000;
const SENT_POLL_MS = 250;

/** Searches Sent for `messageId`; for a provider that files Sent itself, again while the run's grace lasts. */
async function inSent(ctx: Ctx, messageId: string, grace: { polls: number }): Promise<boolean> {
  const sleep = ctx.sleep ?? ((ms: number) => delay(ms));
  for (;;) {
    if ((await ctx.imap.findByMessageId('sent', messageId)).length > 0) return true;
    // counted in polls, not read from the clock: an injected clock that stands still cannot make it spin
    if (ctx.settings.filesSentItself !== true || grace.polls <= 0) return false;
    grace.polls--;
    await sleep(SENT_POLL_MS);
  }
}

/** Resolves every unfinished lead of the journal. IMAP errors propagate (the run stops). */
export async function recover(ctx: Ctx): Promise<void> {
  const grace = { polls: Math.ceil(SENT_FILING_GRACE_MS / SENT_POLL_MS) };
  for (const state of [...ctx.index.leads.values()]) {
    const reply = state.reply;
    if (state.status === 'unknown' && reply) {
      if (ctx.mode === 'dry-run') {
        ctx.print(`[dry-run] would search Sent for ${reply.messageId} (reply to ${reply.to} of unknown outcome)`);
        continue;
      }
      if (await inSent(ctx, reply.messageId, grace)) {
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
