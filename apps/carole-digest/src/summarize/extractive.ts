/**
 * The extractive summarizer: no model, no network. It is the digest when there is no API key
 * (or `--no-llm`), when Claude fails after its retries, and always for newsletters and automated
 * mail. A thread's summary is the opening of its newest message written by someone other than
 * the owner; it needs a reply when that message is the newest one and asks something.
 */
import type { PendingThread } from '../threads.ts';
import type { DigestMessage, ThreadSummary } from '../types.ts';

const GREETING = /^(hi|hello|hey|dear|good (morning|afternoon|evening)|bonjour|hallo|hola)\b[^\n]{0,40}[,!:]?$/i;
const MAX_CHARS = 260;

/** The first sentences of `text`, greeting lines skipped, at most `max` characters. */
export function leadSentences(text: string, max = MAX_CHARS): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !GREETING.test(l));
  const flat = lines.join(' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // Cut after the last sentence end that fits, else at a word boundary.
  const head = flat.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('? '), head.lastIndexOf('! '));
  if (end > max / 3) return head.slice(0, end + 1);
  const space = head.lastIndexOf(' ');
  return `${head.slice(0, space > max / 2 ? space : max)}…`;
}

function sender(m: DigestMessage): string {
  return m.from?.name || m.from?.address || 'unknown sender';
}

/** An extractive summary of one thread. */
export function extractiveSummary(thread: PendingThread, by: 'extractive' | 'rule' = 'extractive'): ThreadSummary {
  const messages = thread.messages;
  const last = messages[messages.length - 1];
  const others = messages.filter((m) => !m.own && m.kind === 'person');
  const focus = others[others.length - 1] ?? last;
  if (!focus || !last) return { summary: '(no message text)', needsReply: false, action: null, by };
  const text = leadSentences(focus.text) || '(no text)';
  const prefix = thread.kind === 'conversation' && messages.length > 1 ? `${sender(focus)}: ` : '';
  const ownAfter = last.own && last !== focus;
  const needsReply = thread.kind === 'conversation' && !ownAfter && focus === last && /\?/.test(focus.text);
  return {
    summary: `${prefix}${text}${ownAfter ? ' (you replied last)' : ''}`,
    needsReply,
    action: null,
    by,
  };
}
