/**
 * A small, linear-time HTML to text conversion for mail bodies that have no text part. It is
 * not a renderer: it keeps the words, paragraph breaks and list items a summarizer needs and
 * drops what costs tokens and says nothing (scripts, styles, head, comments, link targets,
 * tracking images). One left-to-right scan with indexOf, no backtracking regex over the
 * document, so hostile markup cannot make it slow.
 */

import { decodeHTML } from 'entities/decode';
import { createQuoteTracker } from './quote/html-quote.ts';

const DROP_CONTENT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg', 'object']);
const BLOCK = new Set([
  'p', 'div', 'table', 'tr', 'ul', 'ol', 'dl', 'blockquote', 'pre', 'section', 'article',
  'header', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'form', 'center', 'address',
  'dt', 'dd', 'fieldset', 'figure', 'main', 'nav', 'aside', 'tbody', 'thead', 'tfoot',
]);

/**
 * Decodes character references as a browser does: all 2,231 named references of the HTML
 * standard (`&eacute;`, `&auml;`, `&szlig;`, `&oelig;`), numeric ones (`&#0;`, surrogates and
 * out-of-range codes become U+FFFD), and the legacy names a browser accepts without `;`.
 * The `entities` package walks the text once with a trie, so the scan stays linear.
 */
export function decodeEntities(text: string): string {
  return text.includes('&') ? decodeHTML(text) : text;
}

/** Reads the tag name at `i` (just after "<" or "</"). */
function tagName(html: string, i: number): string {
  let j = i;
  while (j < html.length && /[A-Za-z0-9:-]/.test(html[j]!)) j++;
  return html.slice(i, j).toLowerCase();
}

/** Extracts `href` from a tag's attribute text, for mailto: links whose text hides the address. */
function hrefOf(attrs: string): string | null {
  const m = /\shref\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(attrs);
  return m ? (m[2] ?? m[3] ?? m[4] ?? null) : null;
}

/** Collapses runs of spaces and blank lines left by the markup. */
function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Converts an HTML body to plain text. `maxChars` bounds the output (the input is bounded by the
 * parser's size cap).
 */
export function htmlToText(html: string, maxChars = 1_000_000): string {
  const out: string[] = [];
  let size = 0;
  const emit = (s: string): void => {
    if (size < maxChars) {
      out.push(s);
      size += s.length;
    }
  };
  let mailto: string | null = null;
  let linkText = '';
  // Quoted history (gmail_quote, blockquote type=cite, divRplyFwdMsg...) comes out as "> " lines.
  const quotes = createQuoteTracker();
  let i = 0;
  while (i < html.length && size < maxChars) {
    const lt = html.indexOf('<', i);
    const textEnd = lt < 0 ? html.length : lt;
    if (textEnd > i) {
      const text = decodeEntities(html.slice(i, textEnd).replace(/\s+/g, ' '));
      emit(text);
      if (mailto !== null) linkText += text;
    }
    if (lt < 0) break;
    if (html.startsWith('<!--', lt)) {
      const end = html.indexOf('-->', lt + 4);
      i = end < 0 ? html.length : end + 3;
      continue;
    }
    const closing = html[lt + 1] === '/';
    const name = tagName(html, lt + (closing ? 2 : 1));
    const gt = html.indexOf('>', lt + 1);
    if (name === '' && !html.startsWith('<!', lt) && !html.startsWith('<?', lt)) {
      emit('<'); // a bare "<" in text
      i = lt + 1;
      continue;
    }
    if (gt < 0) break; // unterminated tag at the end: drop it
    const attrs = html.slice(lt, gt);
    i = gt + 1;
    quotes.tag(name, closing, attrs, size);
    if (!closing && DROP_CONTENT.has(name)) {
      // Case-insensitive search from i only: lower-casing the whole document per tag would be
      // quadratic in the number of <script> tags.
      const re = new RegExp(`</${name}`, 'gi');
      re.lastIndex = i;
      const end = re.exec(html)?.index ?? -1;
      const close = end < 0 ? -1 : html.indexOf('>', end);
      i = close < 0 ? html.length : close + 1;
      continue;
    }
    if (name === 'br') emit('\n');
    else if (name === 'li') emit(closing ? '' : '\n- ');
    else if (name === 'td' || name === 'th') emit(' ');
    else if (BLOCK.has(name)) emit('\n\n');
    else if (name === 'a' && !closing) {
      const href = hrefOf(attrs);
      mailto = href && /^(mailto|tel):/i.test(href) ? href.replace(/^(mailto|tel):/i, '').split('?')[0]! : null;
      linkText = '';
    } else if (name === 'a' && closing) {
      // Keep a mailto:/tel: target the link text does not show: lead forms put the customer's
      // address only there ("Reply to this lead").
      if (mailto && !linkText.includes(mailto)) emit(` <${decodeEntities(mailto)}>`);
      mailto = null;
    }
  }
  const text = quotes.finish(out.join(''), tidy);
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
