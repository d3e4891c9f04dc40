/**
 * Loop guards: which mail is automated and must never be answered, and which is bulk or list
 * mail for the digest to group. Each check names its reason, so a skipped lead can be explained.
 */
import type { MailMessage } from './message.ts';

/** Why a message counts as automated. */
export type AutomationReason =
  /** RFC 3834 Auto-Submitted with a value other than `no`. */
  | 'auto-submitted'
  /** Precedence: bulk, junk or list. */
  | 'precedence'
  /** RFC 2919 List-Id present. */
  | 'list-id'
  /** Microsoft's X-Auto-Response-Suppress present (its sender asks for no auto-replies). */
  | 'auto-response-suppress'
  /** X-Autoreply / X-Autorespond present (vacation responders). */
  | 'auto-reply-header'
  /** Return-Path `<>`: bounces and auto-replies use the null sender. */
  | 'null-sender'
  /** No From address at all. */
  | 'no-sender'
  /** A no-reply style sender (noreply@, no-reply@, donotreply@, bounce@). */
  | 'no-reply-sender'
  /** MAILER-DAEMON or postmaster. */
  | 'mailer-daemon'
  /** A list's administrative address (owner-*, *-request, *-owner, *-bounces). */
  | 'list-admin-sender'
  /** A multipart/report (delivery status, read receipt). */
  | 'delivery-report'
  /** From (or Return-Path) is one of our own addresses: answering would talk to ourselves. */
  | 'own-address'
  /** X-Spam-Flag: YES or X-Spam-Status: Yes. */
  | 'spam-flagged';

/** What the guards read; MailMessage satisfies it. */
export type GuardInput = Pick<MailMessage, 'from' | 'automation'>;

/** Options of automationReasons. */
export interface GuardOptions {
  /** Our own addresses (the mailbox's, the digest's sender); compared case-insensitively. */
  readonly ownAddresses?: readonly string[];
}

const PRECEDENCE_AUTOMATED = new Set(['bulk', 'junk', 'list']);
const NO_REPLY = /^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply|bounces?)(?:[-_.+].*)?$|noreply/;
const DAEMON = /^(?:mailer-daemon|mail-daemon|postmaster|mailerdaemon)(?:[-+.].*)?$/;
const LIST_ADMIN = /^owner-|-(?:request|owner|bounces?)(?:\+.*)?$/;

function localPart(address: string): string {
  const at = address.lastIndexOf('@');
  return (at < 0 ? address : address.slice(0, at)).toLowerCase();
}

function headerValue(value: string | null): string {
  return (value ?? '').replace(/\([^()]*\)/g, '').trim().toLowerCase();
}

/** True when X-Spam-Flag says YES or X-Spam-Status starts with Yes. */
export function isSpamFlagged(message: Pick<MailMessage, 'automation'>): boolean {
  const { spamFlag, spamStatus } = message.automation;
  return /^yes\b/i.test(spamFlag?.trim() ?? '') || /^yes\b/i.test(spamStatus?.trim() ?? '');
}

/**
 * Every reason the message counts as automated; empty means a person probably wrote it. The
 * lead responder answers none of these; the reasons go to its report.
 */
export function automationReasons(message: GuardInput, options: GuardOptions = {}): AutomationReason[] {
  const a = message.automation;
  const reasons: AutomationReason[] = [];
  const autoSubmitted = headerValue(a.autoSubmitted);
  if (a.autoSubmitted !== null && autoSubmitted !== 'no') reasons.push('auto-submitted');
  if (PRECEDENCE_AUTOMATED.has(headerValue(a.precedence))) reasons.push('precedence');
  if (a.listId !== null) reasons.push('list-id');
  if (a.autoResponseSuppress !== null) reasons.push('auto-response-suppress');
  if (a.autoReply !== null) reasons.push('auto-reply-header');
  if (a.returnPath === '') reasons.push('null-sender');
  const from = message.from?.address.trim().toLowerCase() ?? '';
  if (!from) reasons.push('no-sender');
  else {
    const local = localPart(from);
    if (DAEMON.test(local)) reasons.push('mailer-daemon');
    else if (LIST_ADMIN.test(local)) reasons.push('list-admin-sender');
    else if (NO_REPLY.test(local)) reasons.push('no-reply-sender');
  }
  if (a.contentType === 'multipart/report' || a.contentType === 'message/delivery-status') reasons.push('delivery-report');
  const own = new Set((options.ownAddresses ?? []).map((x) => x.trim().toLowerCase()));
  if ((from && own.has(from)) || (a.returnPath && own.has(a.returnPath))) reasons.push('own-address');
  if (isSpamFlagged(message)) reasons.push('spam-flagged');
  return reasons;
}

/** True when any automation reason applies. */
export function isAutomated(message: GuardInput, options: GuardOptions = {}): boolean {
  return automationReasons(message, options).length > 0;
}

/** True for mailing-list mail: List-Id, or Precedence: list. */
export function isList(message: Pick<MailMessage, 'automation'>): boolean {
  return message.automation.listId !== null || headerValue(message.automation.precedence) === 'list';
}

/**
 * True for bulk mail (newsletters, notifications, marketing): Precedence bulk or junk, a
 * List-Unsubscribe header (what bulk senders are required to carry), or Auto-Submitted
 * auto-generated. List mail is not bulk by itself: use isList for that.
 */
export function isBulk(message: Pick<MailMessage, 'automation'>): boolean {
  const a = message.automation;
  const precedence = headerValue(a.precedence);
  return (
    precedence === 'bulk' ||
    precedence === 'junk' ||
    (a.listUnsubscribe !== null && a.listId === null) ||
    headerValue(a.autoSubmitted) === 'auto-generated'
  );
}

/**
 * A key to group list and bulk mail by in the digest: the List-Id's `<id>` part, else the
 * sender's address; null for personal mail.
 */
export function groupKey(message: Pick<MailMessage, 'automation' | 'from'>): string | null {
  if (!isList(message) && !isBulk(message)) return null;
  const listId = message.automation.listId;
  if (listId) {
    const m = /<([^<>]+)>/.exec(listId);
    return `list:${(m ? m[1]! : listId).trim().toLowerCase()}`;
  }
  const from = message.from?.address.toLowerCase();
  return from ? `sender:${from}` : 'sender:unknown';
}
