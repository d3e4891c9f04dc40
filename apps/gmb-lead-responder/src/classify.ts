/**
 * Is this message a lead, and may it be answered? Built-in guards first (automated, bulk,
 * spam, delivery reports, spoofed senders, already answered, replies to our own replies), then
 * the notification sources of the rules, then direct leads, then the reply-address guards.
 * Each outcome names its reason, so the run report can explain every decision.
 */
import { type AutomationReason, automationReasons } from '@jobs/mail/guards';
import type { AutomationHeaders, MailMessage } from '@jobs/mail/message';
import { extractFromDirect, extractFromNotification, type LeadDetails } from './extract.ts';
import { domainOf, isPlainAddress, matchesAny, trustworthy } from './internal/patterns.ts';
import type { LeadRules, LeadSource } from './rules.ts';

/** A message the responder acts on. */
export interface Lead {
  /** The journal key: the lead's Message-ID, or the source's synthetic key. */
  readonly key: string;
  /** `direct` or the id of the matching source. */
  readonly sourceId: string;
  readonly kind: 'direct' | LeadSource['kind'];
  readonly details: LeadDetails;
  readonly subject: string;
  /** Message-ID of the lead (threading). */
  readonly messageId: string;
  readonly references: readonly string[];
}

/** What to do with one message. */
export type Decision =
  | { readonly action: 'skip'; readonly reason: string; readonly detail?: readonly string[] }
  /** A lead that can not be answered by mail (phone-only, refused address): tell the owner. */
  | { readonly action: 'report'; readonly reason: string; readonly lead: Lead }
  | { readonly action: 'answer'; readonly lead: Lead; readonly replyTo: string };

/** What classify needs besides the message. */
export interface ClassifyContext {
  readonly rules: LeadRules;
  /** The journal key of the message (Message-ID or synthetic). */
  readonly key: string;
  /** IMAP flags of the message. */
  readonly flags: readonly string[];
  /** The keyword the responder sets on answered mail. */
  readonly keyword: string;
  /** Our addresses besides the rules' ownAddresses (the leads address, the owner). */
  readonly extraOwnAddresses: readonly string[];
  /** Message-IDs of replies we sent: mail answering one of them is never a new lead. */
  readonly ourMessageIds: ReadonlySet<string>;
}

/** Reasons that are about the message itself; they hold whoever sent it. */
const MESSAGE_LEVEL: ReadonlySet<AutomationReason> = new Set<AutomationReason>([
  'auto-submitted',
  'precedence',
  'list-id',
  'auto-response-suppress',
  'auto-reply-header',
  'null-sender',
  'delivery-report',
  'spam-flagged',
]);

const EMPTY_AUTOMATION: AutomationHeaders = {
  autoSubmitted: null,
  precedence: null,
  listId: null,
  listUnsubscribe: null,
  autoResponseSuppress: null,
  autoReply: null,
  returnPath: null,
  spamFlag: null,
  spamStatus: null,
  contentType: 'text/plain',
  reportType: null,
};

function ownAddresses(ctx: ClassifyContext): string[] {
  return [...ctx.rules.ownAddresses, ...ctx.extraOwnAddresses.map((a) => a.toLowerCase())];
}

function matchSource(message: MailMessage, rules: LeadRules): LeadSource | null {
  // an encoded word hiding an address, or an address in the display name: never allowlisted
  if (!trustworthy(message.from)) return null;
  const from = message.from.address.toLowerCase();
  const subject = message.subject.toLowerCase();
  for (const source of rules.sources) {
    if (!matchesAny(from, source.from)) continue;
    if (source.subjectContains.length && !source.subjectContains.some((s) => subject.includes(s.toLowerCase()))) continue;
    return source;
  }
  return null;
}

function isReply(message: MailMessage): boolean {
  return message.inReplyTo !== null || message.references.length > 0 || /^\s*(re|aw|sv|antw)\s*:/i.test(message.subject);
}

/** Why `address` may not receive a reply, or null when it may. */
export function refusedReplyAddress(address: string, ctx: ClassifyContext): string | null {
  if (!isPlainAddress(address)) return 'not a plain address';
  const reasons = automationReasons(
    { from: { address, name: '', encodedWordSpoof: false }, automation: EMPTY_AUTOMATION },
    { ownAddresses: ownAddresses(ctx) },
  );
  if (reasons.length) return reasons.join(',');
  if (ctx.rules.ownDomains.includes(domainOf(address))) return 'own-domain';
  if (matchesAny(address, ctx.rules.neverReplyTo)) return 'never-reply-to';
  return null;
}

/** Decides what to do with one parsed message. */
export function classify(message: MailMessage, ctx: ClassifyContext): Decision {
  const { rules } = ctx;
  if (message.from?.encodedWordSpoof) return { action: 'skip', reason: 'spoofed-from' };
  if (ctx.flags.some((f) => f.toLowerCase() === '\\answered' || f.toLowerCase() === ctx.keyword.toLowerCase())) {
    return { action: 'skip', reason: 'already-answered' };
  }
  const own = ownAddresses(ctx);
  const reasons = automationReasons(message, { ownAddresses: own });
  const messageLevel = reasons.filter((r) => MESSAGE_LEVEL.has(r));
  // RFC 3834 responders also mark themselves with Precedence: auto_reply
  if (/^\s*auto_reply\b/i.test(message.automation.precedence ?? '')) messageLevel.push('precedence');
  if (messageLevel.length) return { action: 'skip', reason: 'automated', detail: messageLevel };
  if ([message.inReplyTo, ...message.references].some((id) => id !== null && ctx.ourMessageIds.has(id))) {
    return { action: 'skip', reason: 'reply-to-our-reply' };
  }

  const source = matchSource(message, rules);
  let lead: Lead;
  if (source) {
    const f = source.fields ?? {};
    const d = rules.defaultFields;
    const labels = { name: f.name ?? d.name, email: f.email ?? d.email, phone: f.phone ?? d.phone, message: f.message ?? d.message };
    lead = base(message, ctx, source.id, source.kind, extractFromNotification(message, labels, source.replyAddress));
  } else {
    if (reasons.length) return { action: 'skip', reason: 'automated', detail: reasons };
    const recipients = [...message.to, ...message.cc].map((a) => a.address.toLowerCase());
    const toLeads = recipients.some((r) => rules.leadAddresses.includes(r));
    const subject = message.subject.toLowerCase();
    const requested = rules.requestSubjects.some((s) => subject.includes(s)) && recipients.some((r) => own.includes(r));
    if (!toLeads && !requested) return { action: 'skip', reason: 'not-a-lead' };
    if (rules.ignoreReplies && isReply(message)) return { action: 'skip', reason: 'ongoing-conversation' };
    lead = base(message, ctx, 'direct', 'direct', extractFromDirect(message));
  }
  const email = lead.details.email;
  if (!email) return { action: 'report', reason: 'no-reply-address', lead };
  const refused = refusedReplyAddress(email, ctx);
  if (refused) return { action: 'report', reason: `reply-address-refused:${refused}`, lead };
  return { action: 'answer', lead, replyTo: email };
}

function base(message: MailMessage, ctx: ClassifyContext, sourceId: string, kind: Lead['kind'], details: LeadDetails): Lead {
  return {
    key: ctx.key,
    sourceId,
    kind,
    details,
    subject: message.subject,
    messageId: message.messageId,
    references: message.references,
  };
}
