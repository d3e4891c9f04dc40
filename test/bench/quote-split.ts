/**
 * Benchmark: how well splitReply tells new text from quoted history and signature, and what it
 * saves. Prints one JSON line.
 *
 * - `evalSet`: the project's own multilingual set (packages/mail/test/quote/eval-set.txt:
 *   English, French, German, Italian, Spanish, Portuguese, Dutch, Danish, Norwegian, Finnish,
 *   Polish, Russian; Gmail, Outlook desktop/web/mobile, Apple Mail, Thunderbird, Yahoo, Zoho,
 *   Yandex, Mail.ru, webmails; HTML-only bodies go through parseMessage first). Each case is
 *   right (body equals the expected new text), kept-too-much or cut-too-much (a line of the
 *   expected text is missing).
 * - `ham`: the 4,150 SpamAssassin ham messages parsed, tokens of the whole text against tokens
 *   of the split body (the default model's token counter, as the digest-cost bench prices it),
 *   and the time splitReply takes over the corpus.
 *
 *   node --import tsx test/bench/quote-split.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMessage } from '@jobs/mail/parse';
import { splitReply } from '@jobs/mail/quote';
import { tokensForText } from '@jobs/testkit/anthropic-simulator';
import { spamAssassinDataDir } from '@jobs/testkit/spam-assassin';
import { htmlMessage, judge, loadEvalSet, type Verdict } from '../../packages/mail/test/quote/load-eval.ts';

const MODEL = 'claude-haiku-5-5';
const share = (n: number, of: number) => Number(((n / Math.max(1, of)) * 100).toFixed(1));

const cases = loadEvalSet();
const counts: Record<Verdict, number> = { right: 0, 'kept-too-much': 0, 'cut-too-much': 0 };
const misses: Array<{ id: string; verdict: Verdict }> = [];
for (const c of cases) {
  let text = c.input;
  if (c.html) {
    const parsed = await parseMessage(htmlMessage(c.id, c.input));
    if (!parsed.ok) throw new Error(`${c.id}: ${parsed.reason}`);
    text = parsed.message.text;
  }
  const verdict = judge(splitReply(text).body, c.expected);
  counts[verdict]++;
  if (verdict !== 'right') misses.push({ id: c.id, verdict });
}

const root = spamAssassinDataDir();
const files = (JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[]).filter((f) => /^(easy-ham-1|easy-ham-2|hard-ham-1)\//.test(f));
let textTokens = 0;
let bodyTokens = 0;
let splitMs = 0;
let messages = 0;
for (const f of files) {
  const p = await parseMessage(readFileSync(join(root, f)));
  if (!p.ok) continue;
  messages++;
  const t0 = performance.now();
  const { body } = splitReply(p.message.text);
  splitMs += performance.now() - t0;
  textTokens += tokensForText(p.message.text, MODEL);
  bodyTokens += tokensForText(body, MODEL);
}

console.log(
  JSON.stringify({
    bench: 'quote-split',
    evalSet: {
      cases: cases.length,
      right: counts.right,
      keptTooMuch: counts['kept-too-much'],
      cutTooMuch: counts['cut-too-much'],
      sharePct: { right: share(counts.right, cases.length), keptTooMuch: share(counts['kept-too-much'], cases.length), cutTooMuch: share(counts['cut-too-much'], cases.length) },
      misses,
    },
    ham: { messages, textTokens, bodyTokens, saving: Number((textTokens / Math.max(1, bodyTokens)).toFixed(2)), splitMs: Math.round(splitMs) },
  }),
);
