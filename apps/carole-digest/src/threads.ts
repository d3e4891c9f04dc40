/**
 * Threading (JWZ, References / In-Reply-To with the subject fallback, from @jobs/mail) and
 * the kind of each thread: a conversation when a person wrote any of it, else newsletter (lists,
 * bulk) or automated (auto-replies, bounces). Only conversations are sent to Claude.
 */
import { threadMessages } from '@jobs/mail/thread';
import type { DigestMessage, ThreadCore } from './types.ts';

/** The kind of a thread, from the kinds of its messages. */
export type ThreadKind = 'conversation' | 'newsletter' | 'automated';

/** A thread before summarizing. */
export interface PendingThread extends ThreadCore {
  readonly kind: ThreadKind;
}

/** Threads `messages`, newest activity first. */
export function buildThreads(messages: readonly DigestMessage[]): PendingThread[] {
  return threadMessages(messages).map((t, i) => {
    const kinds = new Set(t.messages.map((m) => m.kind));
    const kind: ThreadKind = kinds.has('person') ? 'conversation' : kinds.has('list') ? 'newsletter' : 'automated';
    return {
      id: `t${i + 1}`,
      subject: t.subject,
      messages: t.messages,
      participants: t.participants,
      latest: t.latest,
      kind,
    };
  });
}
