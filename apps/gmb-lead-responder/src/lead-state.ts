/**
 * The journal folded into one state per lead, and the two indexes the run needs: replies per
 * recipient per day (the per-sender cap) and the Message-IDs of our replies (loop guard).
 */
import { applyApproval } from './approval/fold.ts';
import { type ApprovalState, isApprovalRecord } from './approval/records.ts';
import type { JournalRecord, ReplyRecord, LeadPlace } from './journal.ts';

/** Where a lead stands. */
export type LeadStatus =
  /** Nothing final yet: (re)process it. */
  | 'new'
  /** An intent without `sent` or `not-sent`: recovery searches Sent for its Message-ID. */
  | 'unknown'
  /** A Drafts copy was announced but not confirmed: recovery searches Drafts. */
  | 'holding'
  | 'answered'
  | 'held'
  | 'reported'
  | 'skipped';

/** One lead's state. */
export interface LeadState {
  readonly key: string;
  status: LeadStatus;
  /** The latest reply intent. */
  reply: ReplyRecord | null;
  place: LeadPlace | null;
  copied: boolean;
  /** Why the Sent copy of an answered lead could not be filed; null when it was (or is pending). */
  copyFailed: string | null;
  marked: boolean;
  hold: { draftId: string; reason: string; draft: ReplyRecord } | null;
  reason: string | null;
  /** For reported leads: whether an owner notice covered it. */
  noticed: boolean;
  summary: string | null;
}

/** The folded journal. */
export interface JournalIndex {
  readonly leads: Map<string, LeadState>;
  /** Message-IDs of every reply we announced. */
  readonly ourMessageIds: Set<string>;
  /** Replies counted toward the cap: recipient, and day key. */
  readonly replies: Array<{ to: string; at: string }>;
  /** Held drafts' approval state by lead (approval/fold.ts). */
  readonly approvals: Map<string, ApprovalState>;
  /** Approval tokens spent (each is used once). */
  readonly usedTokens: Set<string>;
}

function blank(key: string): LeadState {
  return { key, status: 'new', reply: null, place: null, copied: false, copyFailed: null, marked: false, hold: null, reason: null, noticed: false, summary: null };
}

/** Applies one record to the index. */
export function applyRecord(index: JournalIndex, r: JournalRecord): void {
  if (r.t === 'notice') {
    for (const key of r.leads) {
      const s = index.leads.get(key);
      if (s) s.noticed = true;
    }
    return;
  }
  let s = index.leads.get(r.lead);
  if (!s) {
    s = blank(r.lead);
    index.leads.set(r.lead, s);
  }
  if (isApprovalRecord(r)) {
    applyApproval(index, s, r);
    return;
  }
  switch (r.t) {
    case 'intent':
      s.reply = r.reply;
      s.place = r.place;
      s.status = 'unknown';
      index.ourMessageIds.add(r.reply.messageId);
      index.replies.push({ to: r.reply.to, at: r.at });
      break;
    case 'sent':
      if (s.reply?.messageId === r.messageId) s.status = 'answered';
      break;
    case 'not-sent':
      if (s.reply?.messageId === r.messageId && s.status === 'unknown') {
        s.status = 'new';
        // a message that certainly did not leave does not count toward the cap
        const i = index.replies.findLastIndex((x) => x.to === s.reply?.to);
        if (i >= 0) index.replies.splice(i, 1);
      }
      break;
    case 'copied':
      s.copied = true;
      s.copyFailed = r.failed ?? null;
      break;
    case 'marked':
      s.marked = true;
      break;
    case 'hold':
      s.hold = { draftId: r.draftId, reason: r.reason, draft: r.draft };
      s.status = 'holding';
      s.reason = r.reason;
      break;
    case 'held':
      s.status = 'held';
      s.reason = r.reason;
      break;
    case 'reported':
      s.status = 'reported';
      s.reason = r.reason;
      s.summary = r.summary;
      break;
    case 'skipped':
      s.status = 'skipped';
      s.reason = r.reason;
      s.summary = r.summary ?? null;
      break;
  }
}

/** The reason of a `skipped` lead held back by the per-sender daily cap. */
export const DAILY_CAP = 'daily-cap';
/** The reason of a `skipped` lead held back by the cap on all replies of a day. */
export const DAILY_TOTAL_CAP = 'daily-total-cap';

/**
 * Whether the owner's notice must name this lead: a lead reported (no usable address), a reply
 * held in Drafts, a customer who wrote again after the day's replies to them were used up, or
 * a reply that went out but could not be filed in Sent.
 */
export function needsOwner(s: LeadState): boolean {
  return (
    s.status === 'reported' ||
    s.status === 'held' ||
    (s.status === 'skipped' && (s.reason === DAILY_CAP || s.reason === DAILY_TOTAL_CAP)) ||
    (s.status === 'answered' && s.copyFailed !== null)
  );
}

/**
 * Whether nothing is left to do for this lead: answered with its Sent copy and flags, or held,
 * reported or skipped with the owner told where that is due. Compaction may drop a settled lead
 * once it is old; an unsettled one is always kept.
 */
export function isSettled(s: LeadState): boolean {
  if (s.status === 'answered') return s.copied && s.marked && (s.copyFailed === null || s.noticed);
  if (s.status === 'held' || s.status === 'reported' || s.status === 'skipped') return !needsOwner(s) || s.noticed;
  return false;
}

/** Folds every record. */
export function buildIndex(records: readonly JournalRecord[]): JournalIndex {
  const index: JournalIndex = { leads: new Map(), ourMessageIds: new Set(), replies: [], approvals: new Map(), usedTokens: new Set() };
  for (const r of records) applyRecord(index, r);
  return index;
}

/** `YYYY-MM-DD` of `ms` in `timeZone`. */
export function dayKey(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

const GMAIL = new Set(['gmail.com', 'googlemail.com']);

/**
 * The mailbox an address reaches, for the per-sender cap: lower-cased, a `+tag` dropped
 * (`dana+1@x` and `dana+2@x` are one inbox), and for Gmail the dots of the local part
 * dropped and googlemail.com read as gmail.com (`d.a.n.a@gmail.com` is `dana@gmail.com`).
 */
export function capKey(address: string): string {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf('@');
  if (at < 0) return a;
  let local = a.slice(0, at);
  let domain = a.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}

/** Replies to the mailbox of `to` (capKey) on the day of `nowMs`. */
export function repliesToday(index: JournalIndex, to: string, nowMs: number, timeZone: string): number {
  const today = dayKey(nowMs, timeZone);
  const t = capKey(to);
  return index.replies.filter((r) => capKey(r.to) === t && dayKey(Date.parse(r.at), timeZone) === today).length;
}

/** Replies to anyone on the day of `nowMs` (the global cap). */
export function allRepliesToday(index: JournalIndex, nowMs: number, timeZone: string): number {
  const today = dayKey(nowMs, timeZone);
  return index.replies.filter((r) => dayKey(Date.parse(r.at), timeZone) === today).length;
}
