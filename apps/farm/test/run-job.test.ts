// Covers `farm run-job`: the job's CLI runs as a child with an allowlisted env (no API key
// from the parent shell), on the API path by default, with a ledger row for the route; the
// subscription needs --allow-subscription and prints the terms; a job past its time limit is
// killed; and the real digest job runs through the farm in dry-run mode on the sample Maildir.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../src/main.ts';
import { APP_DIR, Capture, KEY, sandbox, type Sandbox, WORKSPACE } from './helpers.ts';

const FAKE = join(APP_DIR, 'test/fixtures/fake-job.ts');

async function runJob(sb: Sandbox, argv: string[], extraEnv: Record<string, string> = {}) {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(argv, { env: { ...sb.env, ...extraEnv }, stdout, stderr, stdin: Readable.from(['']), cwd: WORKSPACE, home: sb.home, workspaceRoot: WORKSPACE });
  return { code, stdout, stderr };
}

describe('farm run-job', () => {
  it('runs the job on the API path by default, without the parent shell\'s API key or login token, and records the route', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_JOB_DIGEST_SCRIPT: FAKE });
    // An API-path job needs neither: the login token is the subscription's, least privilege drops it.
    const r = await runJob(sb, ['run-job', 'digest', '--json', '--', '--since', '12h'], { ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-run-job-token-0123' });
    expect(r.code, r.stderr.text).toBe(0);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: true, job: 'digest', path: 'api', exitCode: 0 });
    expect(out?.jobSummary).toEqual({ ok: true, args: ['--since', '12h'], hasApiKey: false, hasOauthToken: false, claudePath: 'api', reposEnv: sb.reposEnv });
    expect(r.stderr.text).toContain('fake job ran');
    const rows = await sb.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ app: 'farm', job: 'digest', call_site: 'farm.run-job', path: 'api', outcome: 'ok' });
    expect(rows[0]?.reason).toMatch(/scheduled job: API path by default/);
  }, 30_000);

  it('a failing job is exit 1 with an error row; --path subscription needs --allow-subscription and prints the terms', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_JOB_LEAD_RESPONDER_SCRIPT: FAKE });
    const failed = await runJob(sb, ['run-job', 'lead-responder', '--', '--exit', '3']);
    expect(failed.code).toBe(1);
    expect((await sb.rows())[0]).toMatchObject({ outcome: 'error', error_code: 'EXIT_3' });
    const refused = await runJob(sb, ['run-job', 'lead-responder', '--path', 'subscription']);
    expect(refused.code).toBe(2);
    expect(refused.stderr.text).toMatch(/--allow-subscription.*may breach Anthropic's terms/s);
    const allowed = await runJob(sb, ['run-job', 'lead-responder', '--path', 'subscription', '--allow-subscription', '--json']);
    expect(allowed.code, allowed.stderr.text).toBe(0);
    expect(allowed.stderr.text).toMatch(/warning: Sending a scheduled job to the subscription may breach/);
    expect(allowed.stdout.lines()[0]).toMatchObject({ path: 'subscription', jobSummary: { claudePath: 'subscription', hasApiKey: false } });
  }, 30_000);

  it('gives the job the repos.env farm loaded (--env-file), not the parent\'s REPOS_ENV', async () => {
    await using sb = await sandbox();
    const combo = join(sb.root, 'combo.env');
    await writeFile(combo, `FARM_JOB_DIGEST_SCRIPT=${FAKE}\n`, { mode: 0o600 });
    const r = await runJob(sb, ['run-job', 'digest', '--env-file', combo, '--json', '--', '--dry-run'], { REPOS_ENV: join(sb.root, 'absent', 'repos.env') });
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]?.jobSummary).toMatchObject({ ok: true, args: ['--dry-run'], reposEnv: combo });
  }, 30_000);

  it('a job\'s exit 78 (configuration) is farm\'s 78 and its exit 2 (usage) is farm\'s 2, naming the job', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_JOB_DIGEST_SCRIPT: FAKE });
    const config = await runJob(sb, ['run-job', 'digest', '--', '--exit', '78']);
    expect(config.code).toBe(78);
    expect(config.stderr.text).toMatch(/job digest stopped on its configuration \(exit 78\).*repos\.env/);
    const usage = await runJob(sb, ['run-job', 'digest', '--', '--exit', '2']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.text).toMatch(/job digest refused its options \(exit 2/);
    const other = await runJob(sb, ['run-job', 'digest', '--', '--exit', '5']);
    expect(other.code).toBe(1);
  }, 30_000);

  it('kills a job that runs past --timeout-seconds', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_JOB_DIGEST_SCRIPT: FAKE });
    const r = await runJob(sb, ['run-job', 'digest', '--timeout-seconds', '2', '--json', '--', '--hang']);
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, timedOut: true });
    expect((await sb.rows())[0]).toMatchObject({ outcome: 'error', error_code: 'ETIMEOUT' });
  }, 30_000);

  it('usage errors: unknown job is exit 2', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({});
    const r = await runJob(sb, ['run-job', 'payroll']);
    expect(r.code).toBe(2);
    expect(r.stderr.text).toMatch(/digest \| lead-responder/);
  });

  it.runIf(existsSync(join(WORKSPACE, 'apps/carole-digest/src/cli.ts')))('runs the real digest (dry run, no LLM, sample Maildir)', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({});
    const r = await runJob(sb, ['run-job', 'digest', '--json', '--', '--dry-run', '--no-llm', '--json', '--source', 'maildir:apps/carole-digest/sample/Maildir']);
    expect(r.code, r.stderr.text.slice(-2000)).toBe(0);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: true, job: 'digest', path: 'api', exitCode: 0 });
    expect(out?.jobSummary).not.toBeNull();
  }, 90_000);
});
