// Covers the DIGEST_PARSE_WORKERS key: `auto` (the default) leaves the choice to the pool
// (2 workers with 4+ cores, in-process below), a number sets the pool size, anything else is a
// configuration error (exit 78 naming the key) before any mail is read.
import { describe, expect, it } from 'vitest';
import { digestSchema, parseWorkers } from '../src/config.ts';
import { autoParseWorkers, createParsePool } from '../src/parse/pool.ts';
import { SAMPLE_MAILDIR } from './support/sample.ts';
import { runMain, workDir } from './support/env.ts';

const schema = digestSchema({ sending: false });

describe('DIGEST_PARSE_WORKERS', () => {
  it('defaults to auto, which the pool resolves from the core count', () => {
    const env = schema.parse({});
    expect(env.DIGEST_PARSE_WORKERS).toBe('auto');
    expect(parseWorkers(env)).toBeUndefined();
    expect(autoParseWorkers(1)).toBe(0);
    expect(autoParseWorkers(2)).toBe(0);
    expect(autoParseWorkers(3)).toBe(0);
    expect(autoParseWorkers(4)).toBe(2);
    expect(autoParseWorkers(32)).toBe(2);
  });

  it('a number sets the pool size, 0 included', async () => {
    expect(parseWorkers(schema.parse({ DIGEST_PARSE_WORKERS: '0' }))).toBe(0);
    expect(parseWorkers(schema.parse({ DIGEST_PARSE_WORKERS: '2' }))).toBe(2);
    expect(parseWorkers(schema.parse({ DIGEST_PARSE_WORKERS: '16' }))).toBe(16);
    const pool = createParsePool({ classify: { ownAddresses: [], maxMessageChars: 1500 }, size: parseWorkers(schema.parse({ DIGEST_PARSE_WORKERS: '0' }))! });
    expect(pool.workers).toBe(0);
    await pool.close();
  });

  it.each(['two', '-1', '17', '2.5', 'auto2'])('%j is refused with exit 78 naming the key, before any mail is read', async (value) => {
    expect(schema.safeParse({ DIGEST_PARSE_WORKERS: value }).success).toBe(false);
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}`, DIGEST_PARSE_WORKERS: value });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--since', '36500d'], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('DIGEST_PARSE_WORKERS');
    expect(r.stdout).toBe('');
  });
});
