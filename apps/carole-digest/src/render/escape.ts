/**
 * HTML escaping for every piece of mail content the digest shows. Text only ever goes into
 * element content or double-quoted attribute values, so escaping & < > " ' is enough; no mail
 * content is ever put in a URL, a style or a script.
 */
const MAP: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  // C0 controls other than tab/newline have no business in an HTML mail body.
  return text.replace(/[&<>"']/g, (c) => MAP[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}
