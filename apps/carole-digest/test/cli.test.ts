// Covers the real CLI as a child process (node src/cli.ts, no tsx): --help, usage errors
// (exit 2), missing repos.env keys (exit 78, before any network I/O), a --dry-run on the sample
// Maildir with --no-llm (exit 0, the HTML path printed, no state written); and `pnpm demo`'s script.
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SAMPLE_MAILDIR } from './support/sample.ts';
import { APP_DIR, runMain, workDir } from './support/env.ts';

const exec = promisify(execFile);

async function cli(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await exec(process.execPath, ['src/cli.ts', ...args], {
      cwd: APP_DIR,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

// Each case starts a Node child: seconds on a loaded 2-core machine.
describe('the digest CLI', { timeout: 90_000 }, () => {
  it('--help prints usage, options and examples, exit 0', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    for (const s of ['Usage:', '--env-file', '--source', '--since', '--out', '--no-llm', '--batch', '--json', '--dry-run', 'Examples:']) expect(r.stdout).toContain(s);
  });

  it('usage errors exit 2 (child), bad --since and --source too (in-process)', async () => {
    const r = await cli(['--frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--help');
    expect((await runMain(['--since', 'yesterday'], {})).code).toBe(2);
    expect((await runMain(['--source', 'pop3'], {})).code).toBe(2);
  });

  it('missing keys exit 78 naming each key and the file, values never shown', async () => {
    const wd = await workDir({ DIGEST_SOURCE: 'imap', IMAP_PASSWORD: 'hunter2-very-secret', SMTP_TLS: 'sometimes' });
    const r = await cli(['--env-file', wd.envFile], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code).toBe(78);
    for (const key of ['IMAP_HOST', 'IMAP_USER', 'SMTP_HOST', 'DIGEST_FROM', 'DIGEST_TO', 'SMTP_TLS']) expect(r.stderr).toContain(key);
    expect(r.stderr).toContain(wd.envFile);
    expect(r.stderr).not.toContain('hunter2-very-secret');
  });

  it('--dry-run --no-llm on a Maildir: exit 0, prints the summary and the HTML path, writes no state', async () => {
    const wd = await workDir({ DIGEST_SOURCE: `maildir:${SAMPLE_MAILDIR}`, DIGEST_TIMEZONE: 'America/New_York' });
    const out = join(wd.dir, 'out.html');
    const r = await cli(['--env-file', wd.envFile, '--dry-run', '--no-llm', '--since', '36500d', '--out', out], { JOBS_STATE_DIR: wd.stateDir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digest \(dry run, not sent\): 32 messages, 18 threads/);
    expect(r.stdout).toContain(`HTML digest written to ${out}`);
    expect(await readFile(out, 'utf8')).toContain('Backyard patio and planting plan');
    expect(await readdir(wd.dir)).not.toContain('state');
  });

  it('the demo script: no repos.env, says there is no API key, prints where the HTML went', async () => {
    const r = await exec(process.execPath, ['src/demo.ts'], { cwd: APP_DIR, env: { PATH: process.env.PATH ?? '' }, timeout: 60_000 });
    expect(r.stdout).toMatch(/No API key/);
    const path = /HTML digest written to (\S+)/.exec(r.stdout)?.[1];
    expect(path).toBeDefined();
    const html = await readFile(path!, 'utf8');
    expect(html).toContain('extractive');
    expect(html).toContain('Planters for Café Lumière terrace');
  });
});
