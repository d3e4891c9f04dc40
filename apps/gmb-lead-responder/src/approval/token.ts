/**
 * The approval token of one held draft: an HMAC-SHA256 keyed by LEAD_APPROVAL_SECRET over the
 * draft's id, a hash of its content (recipient, subject, text) and an expiry. It rides where
 * mail clients keep it on a reply: in the notice's Message-ID (so it comes back in In-Reply-To
 * and References) and in a subject tag as a fallback. A token names its draft by a short
 * reference, so a token made for another draft, another text or another expiry never matches.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ReplyRecord } from '../journal.ts';

/** A token as read from a mail: the draft reference, the expiry (ms) and the MAC. */
export interface ApprovalToken {
  readonly ref: string;
  readonly expires: number;
  readonly mac: string;
}

/** The short, non-secret reference of a draft id (16 hex digits). */
export function draftRef(draftId: string): string {
  return createHash('sha256').update(draftId).digest('hex').slice(0, 16);
}

/** Hash of what the owner is asked to approve. */
export function contentHash(draft: Pick<ReplyRecord, 'to' | 'subject' | 'text'>): string {
  return createHash('sha256').update(JSON.stringify([draft.to, draft.subject, draft.text])).digest('hex');
}

function macOf(secret: string, draftId: string, hash: string, expires: number): string {
  return createHmac('sha256', secret).update(`lead-approval-v1\n${draftId}\n${hash}\n${expires}`).digest('base64url').slice(0, 27);
}

/** Makes the token of `draftId` with content `hash`, valid until `expires` (ms). */
export function makeToken(secret: string, draftId: string, hash: string, expires: number): ApprovalToken {
  return { ref: draftRef(draftId), expires, mac: macOf(secret, draftId, hash, expires) };
}

/** The token as text: `ref.expires36.mac` (letters, digits, `-` and `_` only). */
export function tokenText(t: ApprovalToken): string {
  return `${t.ref}.${t.expires.toString(36)}.${t.mac}`;
}

/** True when `t` is the token of this draft and content under `secret` (constant-time). */
export function tokenMatches(secret: string, t: ApprovalToken, draftId: string, hash: string): boolean {
  if (t.ref !== draftRef(draftId)) return false;
  const want = Buffer.from(macOf(secret, draftId, hash, t.expires));
  const got = Buffer.from(t.mac);
  return want.length === got.length && timingSafeEqual(want, got);
}

const TOKEN = /([0-9a-f]{16})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{27})/;

/** The notice's Message-ID carrying `t`. */
export function noticeMessageId(t: ApprovalToken, domain: string): string {
  return `<lead-approval.${tokenText(t)}@${domain}>`;
}

/** The subject tag carrying `t`. */
export function subjectTag(t: ApprovalToken): string {
  return `[lead ${tokenText(t)}]`;
}

function parse(s: string): ApprovalToken | null {
  const m = TOKEN.exec(s);
  if (!m) return null;
  const expires = Number.parseInt(m[2]!, 36);
  return Number.isSafeInteger(expires) ? { ref: m[1]!, expires, mac: m[3]! } : null;
}

/**
 * The token an answer carries: from In-Reply-To, then References (newest first), each only in
 * one of our notice Message-IDs; then the subject tag. Null when there is none.
 */
export function tokenOf(m: { inReplyTo: string | null; references: readonly string[]; subject: string }): ApprovalToken | null {
  const ids = [m.inReplyTo, ...[...m.references].reverse()].filter((x): x is string => !!x && x.includes('lead-approval.'));
  for (const id of ids) {
    const t = parse(id);
    if (t) return t;
  }
  const tag = /\[lead ([^\]]+)\]/.exec(m.subject);
  return tag ? parse(tag[1]!) : null;
}
