// Covers the 4,150 ham messages of the SpamAssassin corpus loaded into dovecot: a dry run over
// IMAP completes, every parse failure is logged and skipped, and the digest's thread count is
// compared with dovecot's own THREAD=REFERENCES answer for the same mailbox (figures printed).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusFiles, corpusMessage } from './support/corpus.ts';
import { countThreads, type Dovecot, rawImap, startDovecot } from './support/dovecot.ts';
import { imapKeys, runMain, workDir } from './support/env.ts';

let imap: Dovecot;
beforeAll(async () => {
  imap = await startDovecot();
}, 30_000);
afterAll(async () => {
  await imap?.close();
});

describe('the SpamAssassin ham corpus over IMAP', () => {
  it('completes a run of 4,150 messages; thread count close to dovecot THREAD=REFERENCES', async () => {
    const files = corpusFiles();
    expect(files).toHaveLength(4150);
    const raws = await Promise.all(files.map(corpusMessage));
    await imap.createMailbox('Ham');
    await imap.deliver('Ham', raws);
    const wd = await workDir({
      ...imapKeys(imap, 'Ham'),
      DIGEST_TIMEZONE: 'UTC',
      DIGEST_TO: 'owner@example.com',
    });
    const out = join(wd.dir, 'ham.html');
    const started = performance.now();
    const r = await runMain(['--env-file', wd.envFile, '--no-llm', '--dry-run', '--json', '--out', out], { JOBS_STATE_DIR: wd.stateDir });
    const ms = performance.now() - started;
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.messages).toBe(4150);
    // every quarantined message is logged with its UID and reason
    const logged = r.stderr.split('\n').filter((l) => l.includes('"msg":"message quarantined"'));
    expect(logged).toHaveLength(report.quarantined);
    expect((await readFile(out, 'utf8')).length).toBeGreaterThan(1000);

    const [, threadAnswer] = await rawImap(imap.port, imap.user, imap.password, ['EXAMINE "Ham"', 'UID THREAD REFERENCES UTF-8 ALL']);
    const dovecotThreads = countThreads(threadAnswer ?? '');
    const ours = report.threads;
    const agreement = 1 - Math.abs(ours - dovecotThreads) / dovecotThreads;
    console.log(
      JSON.stringify({ corpus: 'ham', messages: report.messages, quarantined: report.quarantined, spamDropped: report.spam, threadsDigest: ours, threadsDovecot: dovecotThreads, agreement: Number(agreement.toFixed(4)), ms: Math.round(ms) }),
    );
    expect(dovecotThreads).toBeGreaterThan(1000);
    // Spam-flagged or quarantined messages are not in our count but are in dovecot's.
    expect(agreement).toBeGreaterThan(0.95);
  }, 300_000);
});
