/**
 * Quoted history in HTML-only replies, from the structure mail clients leave: Gmail's
 * `blockquote.gmail_quote` (its `gmail_attr` attribution above), Apple Mail's and
 * Thunderbird's `<blockquote type="cite">` (Thunderbird's `moz-cite-prefix` above), Yahoo's
 * `yahoo_quoted`, Outlook's `appendonsend` / `divRplyFwdMsg` (everything below is history), and
 * a plain `<blockquote>` right under an attribution line (Yandex, Mail.ru). html-text reports
 * each tag with its output offset; `finish` turns the regions into ">" lines (see
 * html-quote-lines.ts), so splitReply tells them apart as in a text part. A region that opens
 * with a forward marker, or an Outlook block whose subject is a forward's, is left as it is.
 */
import { CLOSE, type Kind, MARKS, OPEN, quoteLines } from './html-quote-lines.ts';

const ATTRIBUTES = new Map(
  ['class', 'id', 'type'].map((name) => [name, new RegExp(String.raw`\s${name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))`, 'i')]),
);

function attribute(attrs: string, name: 'class' | 'id' | 'type'): string | null {
  const m = ATTRIBUTES.get(name)!.exec(attrs);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
}

function regionOf(name: string, attrs: string): Kind | null {
  const cls = attribute(attrs, 'class') ?? '';
  const id = attribute(attrs, 'id') ?? '';
  if (name === 'blockquote') {
    return /^cite$/i.test(attribute(attrs, 'type') ?? '') || /\bgmail_quote\b/.test(cls) ? 'cite' : 'plain';
  }
  if (/^(?:x_)*(?:divRplyFwdMsg|appendonsend)$/.test(id)) return 'outlook';
  if (/\b(?:gmail_attr|moz-cite-prefix)\b/.test(cls)) return 'attr';
  if (/\byahoo_quoted\b/.test(cls) || /^yahoo_quoted/.test(id)) return 'cite';
  return null;
}

/** Tracks quote regions while html-text scans; see the module comment. */
export interface QuoteTracker {
  /** Reports a tag seen when `offset` characters of text had been emitted. */
  tag(name: string, closing: boolean, attrs: string, offset: number): void;
  /** Applies the regions to the emitted text; `tidy` is the converter's whitespace pass. */
  finish(raw: string, tidy: (text: string) => string): string;
}

/** A tracker for one conversion. */
export function createQuoteTracker(): QuoteTracker {
  const marks: Array<{ at: number; mark: string }> = [];
  // Open div/blockquote elements, so a close tag ends the region its own open tag started.
  const open: Array<{ name: string; region: boolean }> = [];
  const depth = { div: 0, blockquote: 0 };
  let outlook = false;
  return {
    tag(name, closing, attrs, offset) {
      if (name !== 'div' && name !== 'blockquote') return;
      if (closing) {
        // A stray close tag finds nothing open (counted, so it costs no scan); a close that skips
        // unclosed children pops them too, so each entry is scanned once.
        if (depth[name] === 0) return;
        let at = open.length - 1;
        while (open[at]!.name !== name) at--;
        for (const e of open.splice(at)) {
          depth[e.name as 'div' | 'blockquote']--;
          if (e.region) marks.push({ at: offset, mark: CLOSE });
        }
        return;
      }
      let kind = regionOf(name, attrs);
      if (kind === 'outlook') {
        // Runs to the end of the message: opened once, never closed.
        if (!outlook) marks.push({ at: offset, mark: OPEN.outlook });
        outlook = true;
        kind = null;
      } else if (kind) marks.push({ at: offset, mark: OPEN[kind] });
      open.push({ name, region: kind !== null });
      depth[name]++;
    },
    finish(raw, tidy) {
      if (marks.length === 0) return tidy(raw);
      const clean = raw.replace(MARKS, '\uFFFD');
      let text = '';
      let from = 0;
      for (const { at, mark } of marks) {
        text += clean.slice(from, at) + mark;
        from = at;
      }
      return quoteLines(tidy(text + clean.slice(from)));
    },
  };
}
