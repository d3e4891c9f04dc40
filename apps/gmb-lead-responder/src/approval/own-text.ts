/**
 * The owner's own text in an answer: every line above the quoted notice, with the client's
 * attribution line ("On <date>, <name> wrote:") left out. The signature stays: it is part of
 * what the owner wants the customer to read.
 */

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
  const above = first < 0 ? lines : lines.slice(0, first);
  while (above.length && above.at(-1)!.trim() === '') above.pop();
  if (above.length && ATTRIBUTION.test(above.at(-1)!.trim())) above.pop();
  return above.join('\n').trim();
}
