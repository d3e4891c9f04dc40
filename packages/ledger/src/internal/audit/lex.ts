/**
 * A small lexer, enough to audit source text without being fooled by it: comments are blanked
 * (a commented-out `claude -p` is not a call site), string literals are located (an argv list
 * is made of them) and can be blanked too (a `while (true)` inside a string is not a loop).
 * Blanking replaces characters with spaces and keeps newlines, so offsets and line numbers in
 * the blanked text are those of the file. It is not a parser: heredocs, regex literals and
 * nested template expressions are taken as plain code or plain string, which errs towards
 * reporting nothing rather than something wrong.
 */
import type { SourceKind } from './kind.ts';

/** A string literal: its quotes at `start` and `end - 1`, its raw inner text in `value`. */
export interface StringLit {
  start: number;
  end: number;
  value: string;
}

/** The text, lexed. */
export interface Lexed {
  /** Comments blanked. */
  code: string;
  /** Comments and string contents blanked (quotes kept). */
  skeleton: string;
  strings: StringLit[];
  /** Line (1-based) of an offset. */
  lineOf(offset: number): number;
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** Lexes `text` as `kind`. */
export function lex(text: string, kind: SourceKind): Lexed {
  const code: string[] = [];
  const skeleton: string[] = [];
  const strings: StringLit[] = [];
  let i = 0;
  const n = text.length;
  const push = (part: string, skel: string = part) => {
    code.push(part);
    skeleton.push(skel);
  };
  while (i < n) {
    const c = text[i] as string;
    // Comments.
    const lineComment =
      (kind !== 'js' && c === '#' && (kind === 'python' || i === 0 || /[\s;&|()]/.test(text[i - 1] ?? ''))) ||
      (kind === 'js' && c === '/' && text[i + 1] === '/');
    if (lineComment) {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? n : end;
      const b = blank(text.slice(i, stop));
      push(b);
      i = stop;
      continue;
    }
    if (kind === 'js' && c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      push(blank(text.slice(i, stop)));
      i = stop;
      continue;
    }
    // Strings.
    const quote = c === "'" || c === '"' || (kind === 'js' && c === '`');
    if (quote) {
      const triple = kind === 'python' && text.startsWith(c.repeat(3), i) ? c.repeat(3) : c;
      const escapes = !(kind === 'shell' && c === "'");
      let j = i + triple.length;
      let closed = false;
      while (j < n) {
        if (text.startsWith(triple, j)) {
          closed = true;
          break;
        }
        if (escapes && text[j] === '\\') j += 1;
        else if (kind === 'python' && triple.length === 1 && text[j] === '\n') break; // unterminated
        j += 1;
      }
      j = Math.min(j, n);
      const closeLen = closed ? triple.length : 0;
      const end = j + closeLen;
      const raw = text.slice(i, end);
      strings.push({ start: i, end, value: text.slice(i + triple.length, j) });
      push(raw, raw.slice(0, triple.length) + blank(text.slice(i + triple.length, j)) + raw.slice(raw.length - closeLen));
      i = end;
      continue;
    }
    if (c === '\\' && kind === 'shell' && i + 1 < n) {
      push(text.slice(i, i + 2));
      i += 2;
      continue;
    }
    push(c);
    i += 1;
  }
  const starts = [0];
  for (let k = 0; k < n; k++) if (text[k] === '\n') starts.push(k + 1);
  return {
    code: code.join(''),
    skeleton: skeleton.join(''),
    strings,
    lineOf(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((starts[mid] ?? 0) <= offset) lo = mid;
        else hi = mid - 1;
      }
      return lo + 1;
    },
  };
}

/**
 * The offset just past the bracket that closes the one at `open` (`(`, `{` or `[`), counted on
 * a skeleton (strings and comments blanked); `-1` when it is never closed.
 */
export function matchClose(skeleton: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const first = skeleton[open] ?? '';
  if (!(first in pairs)) return -1;
  const stack: string[] = [];
  for (let i = open; i < skeleton.length; i++) {
    const c = skeleton[i] as string;
    if (c in pairs) stack.push(pairs[c] as string);
    else if (c === ')' || c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** The string literals lying inside `[from, to)`. */
export function stringsIn(lexed: Lexed, from: number, to: number): StringLit[] {
  return lexed.strings.filter((s) => s.start >= from && s.end <= to);
}
