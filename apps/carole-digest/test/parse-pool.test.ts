// Covers the parse worker pool: results equal in-process parsing, a crash or hang quarantines only
// that message, workers are replaced, a pool that cannot start parses in-process, close leaves nothing open.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseForDigest } from '../src/parse/item.ts';
import { createParsePool, type ParsePool } from '../src/parse/pool.ts';
import { OWN, SAMPLE_MAILDIR } from './support/sample.ts';

const classify = { ownAddresses: OWN, maxMessageChars: 1500 };
const sample = ['cur', 'new'].flatMap((d) => readdirSync(join(SAMPLE_MAILDIR, d)).map((f) => readFileSync(join(SAMPLE_MAILDIR, d, f))));
const faulty = new URL('./fixtures/faulty-parse-worker.ts', import.meta.url);
const mail = (header: string, body = 'Hello, can we meet on Friday?') =>
  Buffer.from(`${header}From: Dana <dana@example.com>\r\nSubject: test\r\nMessage-ID: <${Math.random()}@example.com>\r\n\r\n${body}\r\n`);

let pool: ParsePool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('parse pool', () => {
  it('gives the same records as in-process parsing, in two workers', async () => {
    pool = createParsePool({ classify, size: 2 });
    const got = await Promise.all(sample.map((raw) => pool!.parse(raw)));
    const want = await Promise.all(sample.map((raw) => parseForDigest(raw, { classify })));
    expect(got).toEqual(want);
    expect(got.filter((r) => r.ok && !r.spam).length).toBeGreaterThan(20);
    expect(pool.workers).toBe(2);
  }, 60_000);

  it.each(['crash', 'exit'])('a message that makes its worker %s is quarantined, the others parse and the worker is replaced', async (how) => {
    pool = createParsePool({ classify, size: 1, depth: 4, workerModule: faulty });
    const jobs = [mail(''), mail(`X-Test: ${how}\r\n`), mail(''), mail(''), mail('')];
    const results = await Promise.all(jobs.map((raw) => pool!.parse(raw)));
    expect(results[1]).toMatchObject({ ok: false, code: 'EWORKER' });
    for (const i of [0, 2, 3, 4]) expect(results[i]).toMatchObject({ ok: true, spam: false });
    expect(pool.workers).toBe(1);
    // The replacement works.
    expect(await pool.parse(mail(''))).toMatchObject({ ok: true });
  }, 60_000);

  it('a message that hangs its worker is quarantined with ETIMEOUT, the run goes on', async () => {
    pool = createParsePool({ classify, size: 1, depth: 2, timeoutMs: 1500, workerModule: faulty });
    const results = await Promise.all([mail(''), mail('X-Test: hang\r\n'), mail('')].map((raw) => pool!.parse(raw)));
    expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual(['ok', 'ETIMEOUT', 'ok']);
  }, 60_000);

  it('parses in-process when workers cannot start', async () => {
    pool = createParsePool({ classify, size: 1, workerModule: new URL('./fixtures/broken-parse-worker.ts', import.meta.url) });
    expect(await pool.parse(mail(''))).toMatchObject({ ok: true, spam: false });
    expect(pool.workers).toBe(0);
  }, 60_000);

  it('close stops every worker, settles pending jobs and leaves no handle open', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length;
    pool = createParsePool({ classify, size: 2 });
    await pool.parse(mail(''));
    const pending = pool.parse(mail('X-Test: hang\r\n'));
    await pool.close();
    expect(await pending).toMatchObject({ ok: false, code: 'EWORKER' });
    expect(pool.workers).toBe(0);
    expect(await pool.parse(mail(''))).toMatchObject({ ok: false, code: 'EWORKER' });
    expect(process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').length).toBeLessThanOrEqual(before);
  }, 60_000);

  it('rejects a bad option with ECONFIG naming it', () => {
    expect(() => createParsePool({ classify, size: -1 })).toThrow(/option size/);
    expect(() => createParsePool({ classify, depth: 0 })).toThrow(/option depth/);
  });
});
