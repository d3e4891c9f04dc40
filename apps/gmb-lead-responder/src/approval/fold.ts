/**
 * Folds the approval records into the journal index: the per-lead approval state, the spent
 * tokens, and the lead's own state where an answer settles it (a dropped draft is `skipped`
 * with the reason `dropped-by-owner`; a sent one becomes `unknown`, then `answered`, through
 * the ordinary intent and `sent` records).
 */
import type { JournalIndex, LeadState } from '../lead-state.ts';
import { type ApprovalRecord, blankApproval } from './records.ts';

/** The reason of a lead whose draft the owner dropped. */
export const DROPPED = 'dropped-by-owner';

/** Applies one approval record; `lead` is the lead's state (created by the caller). */
export function applyApproval(index: JournalIndex, lead: LeadState, r: ApprovalRecord): void {
  let a = index.approvals.get(r.lead);
  if (!a) {
    a = blankApproval();
    index.approvals.set(r.lead, a);
  }
  switch (r.t) {
    case 'approval-notice':
      a.noticeDraftId = r.draftId;
      lead.noticed = true;
      if (r.kind === 'reminder') a.reminded = true;
      else {
        a.noticeAt = Date.parse(r.at);
        a.reminded = false;
        a.warning = null;
      }
      break;
    case 'approval':
      index.usedTokens.add(r.token);
      a.accepted = { draftId: r.draftId, action: r.action, ...(r.text !== undefined ? { text: r.text } : {}) };
      if (r.action === 'drop') {
        lead.status = 'skipped';
        lead.reason = DROPPED;
      }
      break;
    case 'approval-refused':
      index.usedTokens.add(r.token);
      a.warning = r.problems;
      a.noticeDraftId = null;
      break;
    case 'draft-removed':
      a.removed.add(r.draftId);
      break;
  }
}
