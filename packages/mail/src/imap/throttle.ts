/**
 * Throttling answers, above all Microsoft 365's. Exchange Online refuses a busy mailbox with
 * `NO [THROTTLED] ...`, with `NO Server Unavailable. 15` (no response code at all, even to
 * AUTHENTICATE, where imapflow then marks the error authenticationFailed), or with too many
 * connections (`[LIMIT]`, RFC 5530, or `[UNAVAILABLE]` / `[INUSE]`). These mean "later", not
 * "wrong credentials": the connection retries them with backoff, within its connect attempts.
 * Microsoft's bare "Server Unavailable" carries no code, so it is the one answer recognised by
 * its text; everything else goes by response code.
 */

const THROTTLE_CODES = new Set(['THROTTLED', 'UNAVAILABLE', 'INUSE', 'LIMIT']);

/** True when an imapflow error is a throttling or too-many-connections answer. */
export function isThrottleAnswer(e: { serverResponseCode?: unknown; response?: unknown; responseText?: unknown }): boolean {
  if (typeof e.serverResponseCode === 'string' && THROTTLE_CODES.has(e.serverResponseCode.toUpperCase())) return true;
  const text = typeof e.responseText === 'string' ? e.responseText : typeof e.response === 'string' ? e.response : '';
  // Microsoft 365's code-less answer, seen at LOGIN/AUTHENTICATE and SELECT.
  return /(^|\s)Server Unavailable\.?(\s|$)/i.test(text);
}
