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

  it('each error class carries its exit code', () => {
    expect(new DigestError('EUSAGE', 'x').exitCode).toBe(2);
    expect(new DigestError('ECONFIG', 'x').exitCode).toBe(78);
    expect(new DigestError('ESEND', 'x').exitCode).toBe(1);
    expect(new MailError('ECONFIG', 'x').exitCode).toBe(78);
    expect(new MailError('EAUTH', 'x').exitCode).toBe(1);
  });
});
