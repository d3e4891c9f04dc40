/**
 * Base subject for threading (RFC 5256 section 2.1, simplified): reply and forward prefixes in
 * the languages mail clients actually write, `[list]` tags and a trailing "(fwd)" are removed,
 * whitespace collapsed, case folded.
 */

// re, fw, fwd (English); aw, wg (German); sv, vs (Nordic); antw (Dutch); tr (French); rif, r
// (Italian); odp (Polish); res, enc (Portuguese); ynt (Turkish); "回复"/"转发" (Chinese Outlook).
const PREFIX = /^\s*(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|rif|r|odp|res|enc|ynt|回复|回覆|答复|转发|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;
const LIST_TAG = /^\s*\[[^\]]{1,80}\]\s*/;
const TRAILER = /\s*\((?:fwd|fw)\)\s*$/i;

/** The subject with prefixes, list tags and trailers removed, lower-cased. */
export function baseSubject(subject: string): string {
  return analyzeSubject(subject).base;
}

/** The base subject and whether any reply/forward prefix was removed. */
export function analyzeSubject(subject: string): { base: string; isReply: boolean } {
  let s = subject.replace(/\s+/g, ' ').trim();
  let isReply = false;
  for (let guard = 0; guard < 50; guard++) {
    const before = s;
    s = s.replace(TRAILER, '');
    const prefix = PREFIX.exec(s);
    if (prefix) {
      isReply = true;
      s = s.slice(prefix[0].length);
    }
    const tag = LIST_TAG.exec(s);
    // A subject that is only a tag ("[URGENT]") keeps it: nothing else to group by.
    if (tag && tag[0].length < s.length) s = s.slice(tag[0].length);
    if (s === before) break;
  }
  return { base: s.trim().toLowerCase(), isReply };
}
