// Covers splitReply on the project's own multilingual evaluation set (test/quote/eval-set.txt):
// replies from Gmail, Outlook desktop/web/mobile, Apple Mail, Thunderbird, Yahoo, Zoho, Yandex,
// Mail.ru and webmails in twelve languages, each with the new text a reader should get; HTML-only
// replies go through parseMessage. A reply with no quote at all comes through whole.
import { describe, expect, it } from 'vitest';
import { htmlMessage, loadEvalSet } from './quote/load-eval.ts';
import { parseMessage } from '../src/parse.ts';
import { splitReply } from '../src/quote.ts';

const cases = loadEvalSet();
const LANGUAGES = ['en', 'fr', 'de', 'it', 'es', 'pt', 'nl', 'da', 'no', 'fi', 'pl', 'ru'];

async function textOf(c: (typeof cases)[number]): Promise<string> {
  if (!c.html) return c.input;
  const parsed = await parseMessage(htmlMessage(c.id, c.input));
  if (!parsed.ok) throw new Error(`${c.id}: ${parsed.reason}`);
  return parsed.message.text;
}

describe('quote evaluation set', () => {
  it('covers every language with at least 75 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(75);
    for (const lang of LANGUAGES) expect(cases.filter((c) => c.lang === lang).length, lang).toBeGreaterThanOrEqual(5);
  });

  for (const lang of [...new Set(cases.map((c) => c.lang))]) {
    describe(lang, () => {
      for (const c of cases.filter((x) => x.lang === lang)) {
        it(`${c.id} (${c.client})`, async () => {
          expect(splitReply(await textOf(c)).body).toBe(c.expected);
        });
      }
    });
  }

  it('a reply in each language with no quote comes through whole', () => {
    for (const lang of LANGUAGES) {
      const c = cases.find((x) => x.id === `${lang}-noquote`);
      expect(c, lang).toBeDefined();
      expect(splitReply(c!.input), lang).toEqual({ body: c!.input, quoted: '', signature: '', forwarded: false });
    }
  });
});
