/**
 * The owner's own text in an answer: every line above the quoted notice, with the client's
 * attribution ("On <date>, <name> wrote:", in any language @jobs/mail/quote knows, wrapped over
 * two lines or not) left out. The signature stays: it is part of what the owner wants the
 * customer to read.
 */
import { splitReply } from '@jobs/mail/quote';

const ATTRIBUTION = /^(?:on\b.*\bwrote:?|.*<[^>]+@[^>]+>\s*(?:wrote)?:)\s*$/i;

/** The lines of `text` quoted with `>`, the marks removed. */
export function quotedLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .filter((l) => /^\s*>/.test(l))
    .map((l) => l.replace(/^(?:\s*>)+ ?/, ''));
}

/** The text above the first quoted line, attribution removed, trimmed; '' when none. */
export function ownText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const first = lines.findIndex((l) => /^\s*>/.test(l));
  let above = first < 0 ? lines : lines.slice(0, first);
  // where @jobs/mail/quote sees the reply header start (its first line), when above the quote
  const header = splitReply(text).quoted.split('\n').find((l) => l.trim() !== '');
  if (header) {
    const at = above.findLastIndex((l) => l.trim() === header.trim());
    if (at >= 0) above = above.slice(0, at);
  }
  while (above.length && above.at(-1)!.trim() === '') above.pop();
  if (above.length && ATTRIBUTION.test(above.at(-1)!.trim())) above.pop();
  return above.join('\n').trim();
}
