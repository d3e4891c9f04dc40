/**
 * Reads the quote evaluation set (eval-set.txt beside this file): replies written for this
 * project in the languages and mail clients customers use, each with the new text a reader
 * should get. Shared by src/quote.eval.test.ts and test/bench/quote-split.ts.
 *
 * Format: a case opens with `=== <id> | <lang> | <client>[ | html]`, then the message body
 * (plain text, or HTML when marked), then `--- expect` and the expected new text. Leading and
 * trailing blank lines of both parts are ignored; lines starting with "#" between cases are
 * comments.
 */
import { readFileSync } from 'node:fs';

/** One case of the evaluation set. */
export interface EvalCase {
  readonly id: string;
  readonly lang: string;
  readonly client: string;
  /** True when `input` is an HTML body (the message has no text part). */
  readonly html: boolean;
  readonly input: string;
  readonly expected: string;
}

/** How a split compares with the expected new text. */
export type Verdict = 'right' | 'kept-too-much' | 'cut-too-much';

const trimBlank = (lines: string[]): string => lines.join('\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();

/** Parses the evaluation set; throws on a malformed case, naming it. */
export function loadEvalSet(path = new URL('./eval-set.txt', import.meta.url)): EvalCase[] {
  const cases: EvalCase[] = [];
  const chunks = readFileSync(path, 'utf8').split(/^=== /m).slice(1);
  for (const chunk of chunks) {
    const [head = '', ...rest] = chunk.split('\n');
    // Comment lines ("# ...") between cases belong to no case.
    while (rest.length > 0 && /^(?:#.*|\s*)$/.test(rest.at(-1)!)) rest.pop();
    const [id = '', lang = '', client = '', kind = ''] = head.split('|').map((s) => s.trim());
    const at = rest.indexOf('--- expect');
    if (!id || !lang || !client || at < 0) throw new Error(`eval-set: malformed case "${head}"`);
    cases.push({ id, lang, client, html: kind === 'html', input: trimBlank(rest.slice(0, at)), expected: trimBlank(rest.slice(at + 1)) });
  }
  const ids = new Set(cases.map((c) => c.id));
  if (ids.size !== cases.length) throw new Error('eval-set: duplicate case id');
  return cases;
}

/**
 * Right when the body equals the expected text; cut-too-much when a line of the expected text
 * is missing from the body; else kept-too-much.
 */
export function judge(body: string, expected: string): Verdict {
  if (body.trim() === expected.trim()) return 'right';
  const kept = new Set(body.split('\n').map((l) => l.trim()));
  const lost = expected.split('\n').some((l) => l.trim() !== '' && !kept.has(l.trim()));
  return lost ? 'cut-too-much' : 'kept-too-much';
}

/** A raw RFC 5322 message carrying `html` as its only part, for the parser. */
export function htmlMessage(id: string, html: string): Buffer {
  return Buffer.from(
    [
      'From: Customer <customer@example.org>',
      'To: Carole <carole@example.com>',
      `Subject: Re: ${id}`,
      `Message-ID: <${id}@eval.example>`,
      'Date: Mon, 07 Oct 2024 10:00:00 +0000',
      'MIME-Version: 1.0',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      html,
    ].join('\r\n'),
    'utf8',
  );
}
