/**
 * Ranking: every thread gets its section (needs a reply, FYI, newsletters, automated) and the
 * sections are ordered; within "needs a reply" the longest-waiting thread comes first, elsewhere
 * the newest.
 */
import type { PendingThread } from './threads.ts';
import type { DigestThread, Section, ThreadSummary } from './types.ts';

/** Section order in the digest. */
export const SECTIONS: readonly Section[] = ['reply', 'fyi', 'newsletter', 'automated'];

function sectionOf(thread: PendingThread, summary: ThreadSummary): Section {
  if (thread.kind === 'newsletter') return 'newsletter';
  if (thread.kind === 'automated') return 'automated';
  // The owner wrote last: answered, whatever the summary says.
  const last = thread.messages[thread.messages.length - 1];
  if (last?.own) return 'fyi';
  return summary.needsReply ? 'reply' : 'fyi';
}

const time = (d: Date | null): number => d?.getTime() ?? 0;

/** Threads with their sections, in display order. */
export function rankThreads(threads: readonly PendingThread[], summaries: ReadonlyMap<string, ThreadSummary>): DigestThread[] {
  const ranked = threads.map((t): DigestThread => {
    const summary = summaries.get(t.id) ?? { summary: '', needsReply: false, action: null, by: 'rule' };
    const section = sectionOf(t, summary);
    return {
      id: t.id,
      subject: t.subject,
      messages: t.messages,
      participants: t.participants,
      latest: t.latest,
      section,
      summary: section === 'reply' ? summary : { ...summary, needsReply: false, action: null },
    };
  });
  return ranked.sort((a, b) => {
    const s = SECTIONS.indexOf(a.section) - SECTIONS.indexOf(b.section);
    if (s !== 0) return s;
    return a.section === 'reply' ? time(a.latest) - time(b.latest) : time(b.latest) - time(a.latest);
  });
}

/** Count of threads per section. */
export function sectionCounts(threads: readonly DigestThread[]): Record<Section, number> {
  const counts: Record<Section, number> = { reply: 0, fyi: 0, newsletter: 0, automated: 0 };
  for (const t of threads) counts[t.section]++;
  return counts;
}
