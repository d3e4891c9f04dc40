// Covers the digest's exit-code mapping in-process: a malformed process setting (LOG_LEVEL,
// JOBS_CLAUDE_PATH) is exit 78 naming the variable, before any mail is read; a Claude client
// refused at build time (ClaudeError ECONFIG: a model without a price) is exit 78; a usage error
// is 2; the error classes carry their own exit codes.
import { DigestError } from '@jobs/digest/errors';
import { MailError } from '@jobs/mail/errors';
import { describe, expect, it } from 'vitest';
import { runMain, workDir } from './support/env.ts';
import { SAMPLE_MAILDIR } from './support/sample.ts';

describe('digest exit codes', () => {
  it('a malformed LOG_LEVEL is exit 78 naming it, and no HTML is written', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}` });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--out', `${wd.dir}/out.html`], { JOBS_STATE_DIR: wd.stateDir, LOG_LEVEL: 'verbose' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('LOG_LEVEL');
    expect(r.stdout).toBe('');
  });

  it('a malformed JOBS_CLAUDE_PATH is exit 78 naming it', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}` });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run'], { JOBS_STATE_DIR: wd.stateDir, JOBS_CLAUDE_PATH: 'remote' });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('JOBS_CLAUDE_PATH');
  });

  it('a Claude ECONFIG (DIGEST_MODEL without a price) is exit 78 naming the option', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}`, ANTHROPIC_API_KEY: 'sk-ant-test-not-used', DIGEST_MODEL: 'claude-unpriced-9' });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--out', `${wd.dir}/out.html`], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('claude-unpriced-9');
    expect(r.stderr).not.toContain('sk-ant-test-not-used');
  });

  it('an empty repos.env and no ~/Maildir: exit 78 naming DIGEST_SOURCE and IMAP_HOST, no stack trace', async () => {
    const wd = await workDir({});
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm'], { JOBS_STATE_DIR: wd.stateDir, HOME: `${wd.dir}/home` });
    expect(r.code, r.stderr).toBe(78);
    expect(r.stderr).toContain('DIGEST_SOURCE');
    expect(r.stderr).toContain('IMAP_HOST');
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(r.stdout).toBe('');
  });

  it('a DIGEST_SOURCE naming a missing Maildir is exit 78 naming the path', async () => {
    const wd = await workDir({ DIGEST_SOURCE: 'maildir:/nonexistent/Mail' });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm'], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('/nonexistent/Mail');
  });

  it('under --json a failure is also one JSON object on stdout, with its code and exit code', async () => {
    const wd = await workDir({ DIGEST_SOURCE: 'maildir:/nonexistent/Mail' });
    const r = await runMain(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--json'], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code).toBe(78);
    expect(r.writes).toHaveLength(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: { code: 'ECONFIG', exitCode: 78 } });
    const usage = await runMain(['--json', '--since', 'yesterday'], {});
    expect(usage.code).toBe(2);
    expect(JSON.parse(usage.stdout)).toMatchObject({ ok: false, error: { exitCode: 2 } });
  });

  it('each error class carries its exit code', () => {
    expect(new DigestError('EUSAGE', 'x').exitCode).toBe(2);
    expect(new DigestError('ECONFIG', 'x').exitCode).toBe(78);
    expect(new DigestError('ESEND', 'x').exitCode).toBe(1);
    expect(new MailError('ECONFIG', 'x').exitCode).toBe(78);
    expect(new MailError('EAUTH', 'x').exitCode).toBe(1);
  });
});
