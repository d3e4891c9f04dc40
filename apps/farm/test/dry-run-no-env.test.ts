// `farm run --dry-run`, `farm run-job --dry-run` and `farm schedule --dry-run` need no secret:
// without any repos.env they print what they would do (exit 0, a note on stderr) and create
// nothing; `schedule --dry-run` prints text unless --json. A repos.env named on purpose that
// is missing is still exit 78.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox } from './helpers.ts';

describe('dry runs without repos.env', () => {
  it('run, run-job and schedule --dry-run exit 0 on the defaults and write nothing', async () => {
    await using sb = await sandbox();
    const env = { REPOS_ENV: '' };
    const run = await sb.run(['run', '--dry-run', '--atomic'], 'Say hi', env);
    expect(run.code, run.stderr.text).toBe(0);
    expect(run.stdout.text).toMatch(/^\[dry-run\] would run task \S+ on /);
    expect(run.stderr.text).toContain('no repos.env: dry run with the default settings');

    const job = await sb.run(['run-job', 'digest', '--dry-run', '--json'], '', env);
    expect(job.code, job.stderr.text).toBe(0);
    expect(JSON.parse(job.stdout.text)).toMatchObject({ ok: true, dryRun: true, job: 'digest', path: 'api' });

    const text = await sb.run(['schedule', '--dry-run'], '', env);
    expect(text.code, text.stderr.text).toBe(0);
    expect(text.stdout.text).toMatch(/^\[dry-run\] schedule in \S+, jobs on the api path/);
    expect(text.stdout.text).toMatch(/\n {2}digest {10}0 6,18 \* \* \* {4}next: \d{4}-\d\d-\d\d (06|18):00, /);
    expect(text.stdout.text).toMatch(/\n {2}lead-responder {2}\*\/5 \* \* \* \* {5}next: /);
    expect(() => JSON.parse(text.stdout.text)).toThrow();

    const json = await sb.run(['schedule', '--dry-run', '--json'], '', env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout.text)).toMatchObject({ path: 'api', next: { digest: expect.any(Array), 'lead-responder': expect.any(Array) } });

    expect(existsSync(sb.state)).toBe(false);
    expect(existsSync(sb.ledger)).toBe(false);
  });

  it('a repos.env named by REPOS_ENV or --env-file that is missing is still exit 78, and a real run needs one', async () => {
    await using sb = await sandbox();
    expect((await sb.run(['schedule', '--dry-run'])).code).toBe(78);
    expect((await sb.run(['schedule', '--dry-run', '--env-file', join(sb.root, 'nope.env')], '', { REPOS_ENV: '' })).code).toBe(78);
    expect((await sb.run(['run-job', 'digest'], '', { REPOS_ENV: '' })).code).toBe(78);
  });
});
