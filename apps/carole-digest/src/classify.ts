/**
 * Per-message classification before threading, in one descent: @jobs/mail's guards are asked
 * once per message (spam flag, list, bulk, automation reasons, group key), then the text is
 * cleaned (quotes, then boilerplate: text.ts). Spam is dropped, mailing lists and bulk senders
 * are grouped under newsletters, and mail that says in its headers that a machine answered
 * (auto-replies, bounces) is grouped as automated. Everything else was written by a person, or
 * by a form acting for one (lead notifications come from no-reply senders), and is summarized.
 */
import { automationReasons, groupKey, isBulk, isList, isSpamFlagged } from '@jobs/mail/guards';
import type { MailMessage } from '@jobs/mail/message';
import { digestText } from './text.ts';
import type { DigestMessage, MessageKind } from './types.ts';

/** Reasons that mean a machine wrote the message in answer to something (not a form or a notice). */
const MACHINE = new Set(['auto-submitted', 'delivery-report', 'mailer-daemon', 'null-sender', 'auto-reply-header']);

/** Options of classifyMessage. */
export interface ClassifyOptions {
  /** The owner's addresses: their mail counts as answered, never as needing a reply. */
  readonly ownAddresses: readonly string[];
  /** Characters of stripped text kept per message. */
  readonly maxMessageChars: number;
}

/** What the guards say about one message, read once. */
interface Verdict {
  readonly spam: boolean;
  readonly kind: MessageKind;
  readonly groupKey: string | null;
}

function verdictOf(message: MailMessage): Verdict {
  const reasons = automationReasons(message);
  let kind: MessageKind;
  // Auto-Submitted: auto-generated makes a message "bulk"; a bounce stays automated.
  if (isList(message) || isBulk(message)) kind = reasons.includes('delivery-report') || reasons.includes('mailer-daemon') ? 'automated' : 'list';
  else kind = reasons.some((r) => MACHINE.has(r)) ? 'automated' : 'person';
  return { spam: isSpamFlagged(message), kind, groupKey: groupKey(message) };
}

/** A classified message: spam (dropped), or what the digest keeps. */
export type Classified = { readonly spam: true } | { readonly spam: false; readonly message: DigestMessage };

/** Classifies and reduces one parsed message (see the module comment). */
export function classifyMessage(message: MailMessage, options: ClassifyOptions): Classified {
  const verdict = verdictOf(message);
  return verdict.spam ? { spam: true } : { spam: false, message: reduce(message, verdict, options) };
}

/** Reduces a parsed message to what the digest keeps, whatever its spam flag (benchmarks use it on ham). */
export function toDigestMessage(message: MailMessage, options: ClassifyOptions): DigestMessage {
  return reduce(message, verdictOf(message), options);
}

function reduce(message: MailMessage, verdict: Verdict, options: ClassifyOptions): DigestMessage {
  const own = new Set(options.ownAddresses.map((a) => a.trim().toLowerCase()));
  const fromAddress = message.from?.address.toLowerCase() ?? '';
  const replyTo = message.replyTo[0] ?? null;
  const kind = verdict.kind;
  return {
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    references: message.references,
    subject: message.subject,
    date: message.date,
    from: message.from,
    replyTo: replyTo && replyTo.address.toLowerCase() !== fromAddress ? replyTo : null,
    // Lists and automated mail only show a line or two: keep less of them.
    text: digestText(message.text, kind === 'person' ? options.maxMessageChars : Math.min(600, options.maxMessageChars)),
    kind,
    groupKey: verdict.groupKey ?? `sender:${fromAddress || 'unknown'}`,
    own: fromAddress !== '' && own.has(fromAddress),
    attachments: message.attachments.filter((a) => a.disposition !== 'inline').map((a) => a.filename ?? a.contentType),
  };
}
