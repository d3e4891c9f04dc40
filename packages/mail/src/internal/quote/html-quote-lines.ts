/**
 * The second half of html-quote.ts: reads the region marks out of the converted text, decides
 * which regions are quoted history, and writes their lines with "> ", as a client writes a
 * quote in a text part.
 */
import { attributionKind } from './attribution.ts';
import { isForwardMarker } from './forward.ts';
import { fieldRole } from './header-block.ts';

/** What a marked region is: a quote, an attribution above one, a plain blockquote, Outlook's history. */
export type Kind = 'cite' | 'attr' | 'plain' | 'outlook';

/** Private-use characters that mark regions between the scan and `quoteLines`. */
export const OPEN: Readonly<Record<Kind, string>> = { cite: '\uE000', attr: '\uE001', plain: '\uE002', outlook: '\uE003' };
export const CLOSE = '\uE004';
/** Every mark character (input text holding one has it replaced before marks are placed). */
export const MARKS = /[\uE000-\uE004]/g;

interface Region {
  readonly kind: Kind;
  readonly parent: Region | null;
  /** First and last line holding text of the region or of a region inside it; -1 when none. */
  first: number;
  last: number;
  quoted: boolean;
  /** Quoted itself or inside a quoted region. */
  inQuote: boolean;
}

const KINDS = new Map<string, Kind>(Object.entries(OPEN).map(([k, v]) => [v, k as Kind]));
const FORWARD_SUBJECT = /:\s*(?:FWD?|TR|WG|RV|I|VS|VB|PD|ENC|Doorst|ПЕРЕСЛ)\s*:/i;

/** Splits marked text into clean lines, each with the innermost region its text is in. */
function readRegions(text: string): { out: string[]; owner: Array<Region | null>; regions: Region[] } {
  const regions: Region[] = [];
  const stack: Region[] = [];
  const out: string[] = [];
  const owner: Array<Region | null> = [];
  for (const line of text.split('\n')) {
    let own: Region | null | undefined;
    let content = '';
    for (const ch of line) {
      const kind = KINDS.get(ch);
      if (kind) {
        const region: Region = { kind, parent: stack.at(-1) ?? null, first: -1, last: -1, quoted: false, inQuote: false };
        regions.push(region);
        stack.push(region);
      } else if (ch === CLOSE) {
        // Outlook's region never closes: it runs to the end.
        const at = stack.findLastIndex((r) => r.kind !== 'outlook');
        if (at >= 0) stack.splice(at, 1);
      } else {
        if (own === undefined && ch.trim() !== '') own = stack.at(-1) ?? null;
        content += ch;
      }
    }
    const li = out.push(content.trim()) - 1;
    owner.push(own ?? null);
    if (own) {
      if (own.first < 0) own.first = li;
      own.last = li;
    }
  }
  // Children come after their parent: walking back carries each range up one level at a time.
  for (let k = regions.length - 1; k >= 0; k--) {
    const r = regions[k]!;
    const p = r.parent;
    if (!p || r.first < 0) continue;
    p.first = p.first < 0 ? r.first : Math.min(p.first, r.first);
    p.last = Math.max(p.last, r.last);
  }
  return { out, owner, regions };
}

/** Sets inQuote from the decisions so far (parents come before their children). */
function propagate(regions: readonly Region[]): void {
  for (const r of regions) r.inQuote = r.quoted || (r.parent?.inQuote ?? false);
}

/** Applies the marks in `text`: quoted regions become "> " lines, marks are removed. */
export function quoteLines(text: string): string {
  const { out, owner, regions } = readRegions(text);
  const nonBlank = (from: number, step: 1 | -1): number => {
    let i = from;
    while (i >= 0 && i < out.length && out[i] === '') i += step;
    return i >= 0 && i < out.length ? i : -1;
  };
  const inQuote = (li: number): boolean => owner[li]?.inQuote ?? false;
  for (const r of regions) {
    if (r.first < 0) continue;
    if (r.kind === 'cite') r.quoted = !isForwardMarker(out[r.first]!);
    if (r.kind === 'outlook') {
      const head = out.slice(r.first, r.first + 12);
      r.quoted = !isForwardMarker(head[0]!) && !head.some((l) => fieldRole(l) === 'subject' && FORWARD_SUBJECT.test(l));
    }
  }
  propagate(regions);
  for (const r of regions) {
    if (r.first < 0 || r.inQuote) continue;
    if (r.kind === 'attr') {
      const next = nonBlank(r.last + 1, 1);
      r.quoted = next >= 0 && inQuote(next) && !isForwardMarker(out[r.first]!);
    } else if (r.kind === 'plain') {
      const prev = nonBlank(r.first - 1, -1);
      r.quoted = prev >= 0 && (inQuote(prev) || attributionKind(out[prev]!, true) !== null);
    }
  }
  propagate(regions);
  return out
    .map((line, li) => (line !== '' && inQuote(li) ? `> ${line}` : line))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
