/**
 * Finds where the quoted history of a plain-text reply starts: the first attribution line or
 * header block. Each pattern runs on one line or on a window of at most three joined lines
 * (clients and lists wrap a long attribution), never on the whole body, so the scan is linear.
 */
import { type AttributionKind, attributionKind, isContinuation, opensAttribution } from './attribution.ts';
import { headerBlock, isOriginalMessageRule } from './header-block.ts';

/** Where a reply header starts and the line after it ends. */
export interface ReplyHeader {
  readonly start: number;
  readonly end: number;
  /** 'wrote': an attribution, maybe with inline replies below; 'outlook': all below is history. */
  readonly kind: 'wrote' | 'outlook';
}

/** A quoted line: ">" or a supercite prefix ("ALB> ", "J> "). */
export const QUOTED = /^[ \t]*(?:>|[A-Za-z]{1,5}>(?:[ \t]|$))/;
const MAX_WINDOW = 3;

/** True when the first non-blank line at or after `from` is quoted with ">". */
function quotedAfter(lines: readonly string[], from: number): boolean {
  for (let j = from; j < lines.length && j < from + 3; j++) {
    if (lines[j]!.trim() !== '') return QUOTED.test(lines[j]!);
  }
  return false;
}

/** The attribution kind of lines[start..end) joined, or null. */
function windowKind(lines: readonly string[], start: number, end: number): AttributionKind {
  if (isContinuation(lines[start]!)) return null;
  return attributionKind(joined(lines, start, end), quotedAfter(lines, end));
}

const joined = (lines: readonly string[], start: number, end: number) => lines.slice(start, end).map((l) => l.trim()).join(' ');

/**
 * An attribution ending at line `end - 1`, starting as late as possible: a wrapped attribution
 * with no blank line above it must not swallow the reply lines before it. A start where an
 * opener ("On", "Am", ...) matches wins over a later one that matches without it, so a name
 * wrapped onto its own line stays with its "On <date>".
 */
function attributionAt(lines: readonly string[], i: number): { start: number; end: number; kind: 'wrote' | 'block' } | null {
  for (let n = 1; n <= MAX_WINDOW && i + n <= lines.length; n++) {
    const last = lines[i + n - 1]!;
    if (last.trim() === '' || QUOTED.test(last) || last.length > 400) return null;
    const kind = windowKind(lines, i, i + n);
    if (kind === null) continue;
    let start = -1;
    for (let s = i + n - 1; s >= i && start < 0; s--) {
      if (!isContinuation(lines[s]!) && opensAttribution(joined(lines, s, i + n))) start = s;
    }
    for (let s = i + n - 1; s > i && start < 0; s--) {
      if (windowKind(lines, s, i + n) !== null) start = s;
    }
    if (start < 0) start = i;
    return { start, end: i + n, kind: windowKind(lines, start, i + n) ?? kind };
  }
  return null;
}

/** Finds the first reply header; null when the text quotes nothing this way. */
export function findReplyHeader(lines: readonly string[]): ReplyHeader | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (isOriginalMessageRule(line)) {
      // The fields under the rule belong to the header too (blank lines between allowed).
      let next = i + 1;
      while (next < lines.length && next < i + 3 && lines[next]!.trim() === '') next++;
      const fields = next < lines.length ? headerBlock(lines, next) : null;
      return { start: i, end: fields && fields.start <= next ? fields.end : i + 1, kind: 'outlook' };
    }
    const block = headerBlock(lines, i);
    if (block) return { start: block.start, end: block.end, kind: 'outlook' };
    if (line.trim() === '' || QUOTED.test(line)) continue;
    const found = attributionAt(lines, i);
    if (found) return { start: found.start, end: found.end, kind: found.kind === 'block' ? 'outlook' : 'wrote' };
  }
  return null;
}
