/**
 * The journal records of the approval flow and what they fold into. A token is spent by the
 * `approval` record (or `approval-refused`), which is on disk before anything is sent or
 * removed: a second answer with the same token is ignored, and a run that stops after it
 * finishes the approved step in recovery (approval/resume.ts).
 */

/** An approval notice (first, a reminder, or again after the owner's text was refused) went out. */
export interface NoticeRecord {
  readonly t: 'approval-notice';
  readonly lead: string;
  readonly at: string;
  readonly draftId: string;
  readonly messageId: string;
  readonly expires: number;
  readonly kind: 'first' | 'reminder' | 'again';
}

/** The owner's answer was accepted: send the draft, send the owner's text, or drop it. */
export interface AnswerRecord {
  readonly t: 'approval';
  readonly lead: string;
  readonly at: string;
  readonly draftId: string;
  readonly token: string;
  readonly action: 'send' | 'edit' | 'drop';
  /** The owner's text (edit). */
  readonly text?: string;
  /** The key of the owner's mail. */
  readonly answer: string;
}

/** The owner's own text failed the checks: not sent, the owner is told and asked again. */
export interface RefusedRecord {
  readonly t: 'approval-refused';
  readonly lead: string;
  readonly at: string;
  readonly draftId: string;
  readonly token: string;
  readonly problems: readonly string[];
}

/** The Drafts copy of a draft the owner acted on was removed. */
export interface RemovedRecord {
  readonly t: 'draft-removed';
  readonly lead: string;
  readonly at: string;
  readonly draftId: string;
}

/** Every record of the approval flow. */
export type ApprovalRecord = NoticeRecord | AnswerRecord | RefusedRecord | RemovedRecord;

/** Where one lead's approval stands. */
export interface ApprovalState {
  /** The draft the latest notice asked about, and when that notice (not a reminder) went. */
  noticeDraftId: string | null;
  noticeAt: number | null;
  reminded: boolean;
  /** The accepted answer, until the lead is settled by it. */
  accepted: { draftId: string; action: AnswerRecord['action']; text?: string } | null;
  /** Why the owner's last text was refused (the next notice says it); null when none. */
  warning: readonly string[] | null;
  readonly removed: Set<string>;
}

/** True for the records above. */
export function isApprovalRecord(r: { t: string }): r is ApprovalRecord {
  return r.t === 'approval-notice' || r.t === 'approval' || r.t === 'approval-refused' || r.t === 'draft-removed';
}

/** A blank approval state. */
export function blankApproval(): ApprovalState {
  return { noticeDraftId: null, noticeAt: null, reminded: false, accepted: null, warning: null, removed: new Set() };
}
