// Covers `--out FILE`: the HTML replaces an existing file through a new 0600 file renamed over
// it, so the result is 0600 whatever mode the old file had, and no temp file is left behind.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_MAILDIR } from './support/sample.ts';
import { runMain, workDir } from './support/env.ts';

describe('--out FILE', () => {
  it('an existing world-readable file ends up 0600 with the new digest, nothing else in its folder', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}`, DIGEST_TIMEZONE: 'America/New_York' });
    const out = join(wd.dir, 'digest.html');
    await writeFile(out, 'old digest', { mode: 0o644 });
    expect((await stat(out)).mode & 0o777).toBe(0o644);
    const before = (await readdir(wd.dir)).sort();

    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--since', '36500d', '--out', out], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const html = await readFile(out, 'utf8');
    expect(html).not.toContain('old digest');
    expect(html).toContain('Backyard patio and planting plan');
    expect((await readdir(wd.dir)).sort()).toEqual(before);
  });

  it('a new file in a folder that does not exist yet is created 0600', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}` });
    const out = join(wd.dir, 'reports', 'am', 'digest.html');
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--since', '36500d', '--out', out], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code, r.stderr).toBe(0);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await readdir(join(wd.dir, 'reports', 'am'))).toEqual(['digest.html']);
  });

  it('an --out that is a directory fails with exit 1 and leaves no temp file', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}` });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--since', '36500d', '--out', wd.dir], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('could not write the HTML');
    expect((await readdir(wd.dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
