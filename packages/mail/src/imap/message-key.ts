/**
 * The key a message is deduplicated by across a UIDVALIDITY resync: its Message-ID, or, for
 * the rare message without one, a hash of header fields that survive a mailbox rebuild.
 *
 * The key is read from the raw header lines, never from ENVELOPE: the same function then
 * serves the fetch plan (which asks only for `BODY.PEEK[HEADER.FIELDS (...)]`, a few dozen
 * bytes a message, and only in a resync) and the body phase (which already holds the whole
 * header), so both always agree. ENVELOPE for every message cost the plan seconds and tens of
 * MB (imapflow builds an object graph per message).
 */
import { createHash } from 'node:crypto';

/** Header fields the key is made from; a resync plan fetches just these. */
export const KEY_HEADERS: readonly string[] = Object.freeze(['message-id', 'date', 'from', 'subject']);

/** A message's identity for deduplication. */
export interface MessageIdentity {
  /** `<message-id>`, or `synthetic:<sha256>` when the message has none. */
  readonly key: string;
  /** The Message-ID in angle brackets; null when missing or empty. */
  readonly messageId: string | null;
}

/** Message-ID as `<...>`, trimmed; null when missing or empty. */
export function normalizeMessageId(raw: string | undefined | null): string | null {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed === '<>') return null;
  return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
}

/** Where the header block of `raw` ends (the blank line), or its length when there is none. */
function headerEnd(raw: Buffer): number {
  // a header can not start with the blank line's CRLF, so search from 0 and take the first
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf === -1) return lf === -1 ? raw.length : lf;
  return lf === -1 ? crlf : Math.min(crlf, lf);
}

const patterns = new Map<string, RegExp>();

/**
 * One regex pass over the header (a field line plus its continuation lines) instead of
 * splitting every line: this runs once per fetched message. A field starts at the beginning
 * of the block or after LF only (`(?<![^\n])`), never after a lone CR, as servers read it.
 */
function fieldPattern(names: readonly string[]): RegExp {
  const id = names.join('|');
  let pattern = patterns.get(id);
  if (!pattern) {
    const alternatives = names.map((n) => n.replace(/[^a-z0-9-]/gi, (c) => `\\${c}`)).join('|');
    pattern = new RegExp(`(?<![^\\n])(${alternatives})[ \\t]*:([^\\n]*(?:\\n[ \\t][^\\n]*)*)`, 'gi');
    patterns.set(id, pattern);
  }
  return pattern;
}

/**
 * The unfolded, trimmed value of each wanted field (lower-case names) in a header block or a
 * whole message. A repeated field gives its last occurrence, as dovecot's ENVELOPE does (keys
 * stay the same as those of checkpoints written from ENVELOPE: measured equal on all 6,046
 * SpamAssassin messages). Bytes are read as latin1, so 8-bit headers survive unchanged.
 */
export function headerValues(raw: Buffer, names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  if (names.length === 0) return out;
  const header = raw.toString('latin1', 0, headerEnd(raw));
  for (const match of header.matchAll(fieldPattern(names))) {
    const name = (match[1] ?? '').toLowerCase();
    // RFC 5322 unfolding: the line breaks go, the whitespace stays
    out.set(name, (match[2] ?? '').replace(/\r?\n/g, '').trim());
  }
  return out;
}

/**
 * The identity of a message from its header lines (a whole message, its header block, or the
 * `KEY_HEADERS` fields alone) and its RFC822.SIZE. Without a Message-ID the key hashes the raw
 * Date, From and Subject values and the size: the same for the same message in a rebuilt
 * mailbox; two messages identical in all four would collide (accepted).
 */
export function messageIdentity(header: Buffer, size: number): MessageIdentity {
  const values = headerValues(header, KEY_HEADERS);
  // the whole trimmed value, comments included, as ENVELOPE gives it
  const messageId = normalizeMessageId(values.get('message-id'));
  if (messageId) return { key: messageId, messageId };
  const hash = createHash('sha256')
    .update([values.get('date') ?? '', values.get('from') ?? '', values.get('subject') ?? '', String(size)].join('\n'))
    .digest('hex');
  return { key: `synthetic:${hash}`, messageId: null };
}
