/**
 * The key a message is deduplicated by across a UIDVALIDITY resync: its Message-ID, or, for
 * the rare message without one, a hash of envelope fields that survive a mailbox rebuild.
 */
import { createHash } from 'node:crypto';
import type { MessageEnvelopeObject } from 'imapflow';

/** Message-ID as `<...>`, trimmed; null when missing or empty. */
export function normalizeMessageId(raw: string | undefined | null): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '<>') return null;
  return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
}

/**
 * `<message-id>` when there is one, else `synthetic:<sha256 of date, from, subject, size>`.
 * The synthetic key is the same for the same message in a rebuilt mailbox; two different
 * messages with identical date, sender, subject and size would collide (accepted).
 */
export function messageKey(envelope: MessageEnvelopeObject | undefined, size: number | undefined): string {
  const id = normalizeMessageId(envelope?.messageId);
  if (id) return id;
  const date = envelope?.date instanceof Date ? envelope.date.toISOString() : String(envelope?.date ?? '');
  const from = (envelope?.from ?? []).map((a) => a.address ?? '').join(',');
  const hash = createHash('sha256')
    .update([date, from, envelope?.subject ?? '', String(size ?? '')].join('\n'))
    .digest('hex');
  return `synthetic:${hash}`;
}
