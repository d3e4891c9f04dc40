/**
 * Per-message classification before threading: spam is dropped, mailing lists and bulk senders
 * are grouped under newsletters, and mail that says in its headers that a machine answered
 * (auto-replies, bounces) is grouped as automated. Everything else was written by a person, or
 * by a form acting for one (lead notifications come from no-reply senders), and is summarized.
 */
import { automationReasons, groupKey, isBulk, isList, isSpamFlagged } from '@jobs/mail/guards';
import type { MailMessage } from '@jobs/mail/message';
import { stripQuotes } from '@jobs/mail/quote';
import { dropBoilerplate } from './boilerplate.ts';
import type { DigestMessage, MessageKind } from './types.ts';

/** Reasons that mean a machine wrote the message in answer to something (not a form or a notice). */
const MACHINE = new Set(['auto-submitted', 'delivery-report', 'mailer-daemon', 'null-sender', 'auto-reply-header']);

/** Options of toDigestMessage. */
export interface ClassifyOptions {
  /** The owner's addresses: their mail counts as answered, never as needing a reply. */
  readonly ownAddresses: readonly string[];
  /** Characters of stripped text kept per message. */
  readonly maxMessageChars: number;
}

/** The kind of a message (see the module comment). */
export function kindOf(message: MailMessage): MessageKind {
  if (isList(message) || isBulk(message)) {
    // Auto-Submitted: auto-generated makes a message "bulk"; a bounce stays automated.
    const reasons = automationReasons(message);
    if (reasons.includes('delivery-report') || reasons.includes('mailer-daemon')) return 'automated';
    return 'list';
  }
  return automationReasons(message).some((r) => MACHINE.has(r)) ? 'automated' : 'person';
}

/** True when the message is flagged as spam and must be dropped. */
export function isSpam(message: MailMessage): boolean {
  return isSpamFlagged(message);
}

function cap(text: string, max: number): string {
  const clean = text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max).trimEnd()} […]`;
}

/** Reduces a parsed message to what the digest keeps: quotes, signature and boilerplate removed, text capped. */
export function toDigestMessage(message: MailMessage, options: ClassifyOptions): DigestMessage {
  const own = new Set(options.ownAddresses.map((a) => a.trim().toLowerCase()));
  const fromAddress = message.from?.address.toLowerCase() ?? '';
  const replyTo = message.replyTo[0] ?? null;
  const kind = kindOf(message);
  return {
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    references: message.references,
    subject: message.subject,
    date: message.date,
    from: message.from,
    replyTo: replyTo && replyTo.address.toLowerCase() !== fromAddress ? replyTo : null,
    // Lists and automated mail only show a line or two: keep less of them.
    text: cap(dropBoilerplate(stripQuotes(message.text)), kind === 'person' ? options.maxMessageChars : Math.min(600, options.maxMessageChars)),
    kind,
    groupKey: groupKey(message) ?? `sender:${fromAddress || 'unknown'}`,
    own: fromAddress !== '' && own.has(fromAddress),
    attachments: message.attachments.filter((a) => a.disposition !== 'inline').map((a) => a.filename ?? a.contentType),
  };
}
