/**
 * The shapes that flow through a digest run: a message reduced to what the digest shows, a
 * thread with its section, a summary, and the run report.
 */
import type { MailAddress } from '@jobs/mail/message';

/** How a message was classified before threading. */
export type MessageKind =
  /** Written by a person (or a form acting for one): summarized. */
  | 'person'
  /** A mailing list or bulk sender: grouped under newsletters. */
  | 'list'
  /** Auto-replies, bounces, notifications that say so in their headers: grouped. */
  | 'automated';

/** A message as the digest keeps it: quotes and signature stripped, text capped. */
export interface DigestMessage {
  readonly messageId: string;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  readonly subject: string;
  readonly date: Date | null;
  readonly from: MailAddress | null;
  /** Reply-To, when it differs from From (web forms put the customer there). */
  readonly replyTo: MailAddress | null;
  /** What the sender wrote (quotes and signature removed), capped. */
  readonly text: string;
  readonly kind: MessageKind;
  /** `list:<id>` or `sender:<address>`, for grouping lists and bulk mail. */
  readonly groupKey: string;
  /** True when From is one of the owner's addresses. */
  readonly own: boolean;
  readonly attachments: readonly string[];
  /** The server's conversation id (Gmail's X-GM-THRID) when it offers one; threads sharing it are one. */
  readonly threadHint?: string;
}

/** The digest's sections, in the order they are shown. */
export type Section = 'reply' | 'fyi' | 'newsletter' | 'automated';

/** One thread's summary, from Claude or from the extractive fallback. */
export interface ThreadSummary {
  readonly summary: string;
  readonly needsReply: boolean;
  /** What to do, when a reply is needed ("Confirm the start date and deposit"). */
  readonly action: string | null;
  /** `claude`, `extractive` (fallback or no key), or `rule` (newsletters, automated: never sent to Claude). */
  readonly by: 'claude' | 'extractive' | 'rule';
}

/** What a thread is, before and after summarizing. */
export interface ThreadCore {
  /** Short id, stable within the run (`t1`, `t2`, ...): what prompts and the HTML anchors use. */
  readonly id: string;
  readonly subject: string;
  /** Oldest first. */
  readonly messages: readonly DigestMessage[];
  readonly participants: readonly MailAddress[];
  readonly latest: Date | null;
}

/** A thread ready to render. */
export interface DigestThread extends ThreadCore {
  readonly section: Section;
  readonly summary: ThreadSummary;
}

/** A message that could not be parsed: reported in the digest and the log, never dropped silently. */
export interface QuarantinedItem {
  /** UID or Maildir name. */
  readonly id: string;
  readonly code: string;
  readonly reason: string;
}

/** Why summaries are extractive, when they are. */
export type DegradedReason = 'no-api-key' | 'no-llm' | 'claude-failed' | 'budget' | null;

/** The run summary, printed as one line or as JSON (`--json`). */
export interface RunReport {
  readonly runId: string;
  readonly source: string;
  /** Messages the source yielded (kept, spam and unreadable); `messages` in the --json report. */
  readonly messagesRead: number;
  readonly threads: number;
  readonly spam: number;
  /** How many messages could not be read (quarantined): `unreadable.length`; `quarantined` in the --json report. */
  readonly unreadableCount: number;
  /**
   * Every quarantined message (UID or Maildir name, code, reason): the digest shows the first
   * 20 and points to the log; `--json` lists them all.
   */
  readonly unreadable: readonly QuarantinedItem[];
  readonly sections: Readonly<Record<Section, number>>;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
  readonly claudeCalls: number;
  readonly degraded: DegradedReason;
  /** `sent`, `dry-run`, or `empty` (nothing new: nothing sent). */
  readonly outcome: 'sent' | 'dry-run' | 'empty';
  readonly messageId: string | null;
  readonly to: string | null;
  readonly htmlPath: string | null;
  readonly checkpointAdvanced: boolean;
  readonly ms: number;
}
