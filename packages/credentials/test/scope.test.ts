// Covers loadScope: file lookup order, mode and git refusals, one error for every bad key, frozen values, process.env untouched, secrets.
import { execFileSync } from 'node:child_process';
import { chmod, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Writable } from 'node:stream';
import { CredentialsError } from '../src/errors.ts';
import { createLogger } from '@jobs/core/logger';
import { loadScope } from '../src/scope.ts';
import { tempDir, writeEnv } from './helpers/tmp.ts';

const schema = z.object({
  ANTHROPIC_API_KEY: z.string().startsWith('sk-'),
  IMAP_HOST: z.string(),
  IMAP_PORT: z.coerce.number().int().min(1).max(65535),
  IMAP_PASSWORD: z.string().min(8),
  SMTP_FROM: z.email().optional(),
});

const GOOD = [
  'ANTHROPIC_API_KEY=sk-ant-test-0123456789',
  'IMAP_HOST=127.0.0.1',
  'IMAP_PORT=1143',
  "export IMAP_PASSWORD='pa ss#w0rd!'",
  'OTHER_JOB_TOKEN=tok-belongs-to-another-job',
  'STATE_PATH=/var/lib/jobs',
].join('\n');

async function caught(p: Promise<unknown>): Promise<CredentialsError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CredentialsError);
  return err as CredentialsError;
}

describe('loadScope', () => {
  it('returns only the schema keys, frozen, with the secrets of the whole file', async () => {
    const dir = await tempDir();
    const file = await writeEnv(dir, GOOD);
    const scope = await loadScope({ schema, workspaceRoot: dir });
    expect(scope.file).toBe(file);
    expect(scope.values).toEqual({
      ANTHROPIC_API_KEY: 'sk-ant-test-0123456789',
      IMAP_HOST: '127.0.0.1',
      IMAP_PORT: 1143,
      IMAP_PASSWORD: 'pa ss#w0rd!',
    });
    expect(Object.isFrozen(scope.values)).toBe(true);
    expect(() => {
      (scope.values as { IMAP_HOST: string }).IMAP_HOST = 'x';
    }).toThrow(TypeError);
    expect([...scope.secrets].sort()).toEqual(['pa ss#w0rd!', 'sk-ant-test-0123456789', 'tok-belongs-to-another-job']);
    expect(scope.redact('login pa ss#w0rd! at imap://u:pa%20ss%23w0rd!@h and tok-belongs-to-another-job')).toBe(
      'login [REDACTED] at imap://u:[REDACTED]@h and [REDACTED]',
    );
  });

  it('with the logger, removes every secret of the file from log lines and error messages', async () => {
    const dir = await tempDir();
    await writeEnv(dir, GOOD);
    const scope = await loadScope({ schema, workspaceRoot: dir });
    let out = '';
    const stream = new Writable({ write: (c, _e, cb) => { out += String(c); cb(); } });
    const log = createLogger({ stream, redact: scope.redact });
    const { IMAP_PASSWORD, ANTHROPIC_API_KEY } = scope.values;
    log.info({ url: `imaps://dana:${encodeURIComponent(IMAP_PASSWORD)}@127.0.0.1:993/INBOX` }, 'connect');
    log.info({ request: JSON.stringify({ headers: { 'x-api-key': ANTHROPIC_API_KEY } }) });
    log.error({ err: new Error(`other job used tok-belongs-to-another-job and ${IMAP_PASSWORD}`) });
    expect(out.split('\n').filter(Boolean)).toHaveLength(3);
    for (const secret of scope.secrets) {
      expect(out).not.toContain(secret);
      expect(out).not.toContain(encodeURIComponent(secret));
    }
    expect(out.match(/\[REDACTED\]/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('leaves process.env exactly as it was', async () => {
    const dir = await tempDir();
    await writeEnv(dir, GOOD);
    const before = structuredClone({ ...process.env });
    await loadScope({ schema, workspaceRoot: dir });
    await caught(loadScope({ schema, workspaceRoot: await tempDir() }));
    expect({ ...process.env }).toEqual(before);
    expect(process.env.IMAP_PASSWORD).toBeUndefined();
  });

  it('reports every missing and malformed key in one ECONFIG error naming the file', async () => {
    const dir = await tempDir();
    const file = await writeEnv(
      dir,
      ['ANTHROPIC_API_KEY=', 'IMAP_PORT=not-a-port', 'IMAP_PASSWORD=short-s', 'SMTP_FROM=nobody', 'this line is broken'].join('\n'),
    );
    const err = await caught(loadScope({ schema, workspaceRoot: dir }));
    expect(err.code).toBe('ECONFIG');
    expect(err.exitCode).toBe(78);
    expect(err.file).toBe(file);
    expect(err.issues.map((i) => [i.key, i.kind])).toEqual([
      ['line 5', 'syntax'],
      ['ANTHROPIC_API_KEY', 'missing'],
      ['IMAP_HOST', 'missing'],
      ['IMAP_PORT', 'malformed'],
      ['IMAP_PASSWORD', 'malformed'],
      ['SMTP_FROM', 'malformed'],
    ]);
    for (const key of ['ANTHROPIC_API_KEY', 'IMAP_HOST', 'IMAP_PORT', 'IMAP_PASSWORD', 'SMTP_FROM', 'line 5', file]) {
      expect(err.message).toContain(key);
    }
    // The malformed values themselves never appear.
    expect(err.message).not.toContain('short-s');
    expect(err.message).not.toContain('not-a-port');
  });

  it('redacts file values a custom zod message would quote', async () => {
    const dir = await tempDir();
    await writeEnv(dir, 'IMAP_PASSWORD=hunter2hunter2');
    const custom = z.object({ IMAP_PASSWORD: z.string().refine((v) => v.length > 20, { error: (i) => `too short: ${String(i.input)}` }) });
    const err = await caught(loadScope({ schema: custom, workspaceRoot: dir }));
    expect(err.message).toContain('too short: [REDACTED]');
    expect(err.message).not.toContain('hunter2hunter2');
  });

  it('refuses a file group or others can read, naming the chmod that fixes it', async () => {
    const dir = await tempDir();
    const file = await writeEnv(dir, GOOD, 0o644);
    await chmod(file, 0o644); // the umask may have narrowed the mode at creation
    const err = await caught(loadScope({ schema, workspaceRoot: dir }));
    expect(err.code).toBe('EPERM_FILE');
    expect(err.exitCode).toBe(78);
    expect(err.message).toBe(`repos.env is readable by others (mode 644): run chmod 600 ${file}`);
    await chmod(file, 0o600);
    await expect(loadScope({ schema, workspaceRoot: dir })).resolves.toBeDefined();
  });

  it('refuses a git-tracked file and accepts an untracked one or one outside any repository', async () => {
    const dir = await tempDir();
    const file = await writeEnv(dir, GOOD);
    // Outside a repository: fine.
    await expect(loadScope({ schema, workspaceRoot: dir })).resolves.toBeDefined();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: { PATH: process.env.PATH ?? '' } });
    git('init', '-q');
    // In a repository, untracked: fine.
    await expect(loadScope({ schema, workspaceRoot: dir })).resolves.toBeDefined();
    git('add', '-f', 'repos.env');
    const err = await caught(loadScope({ schema, workspaceRoot: dir }));
    expect(err.code).toBe('ETRACKED');
    expect(err.file).toBe(file);
    expect(err.message).toContain('git rm --cached repos.env');
    // checkGit: false skips the check.
    await expect(loadScope({ schema, workspaceRoot: dir, checkGit: false })).resolves.toBeDefined();
  });

  it('refuses a symlink (outside any repository) to a git-tracked repos.env', async () => {
    const repo = await tempDir();
    const target = await writeEnv(repo, GOOD);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe', env: { PATH: process.env.PATH ?? '' } });
    git('init', '-q');
    git('add', '-f', 'repos.env');
    const elsewhere = await tempDir();
    const link = join(elsewhere, 'repos.env');
    await symlink(target, link);
    const err = await caught(loadScope({ schema, workspaceRoot: elsewhere }));
    expect(err.code).toBe('ETRACKED');
    expect(err.file).toBe(link);
    expect(err.message).toContain(`(${target} through the symlink ${link})`);
    // the same link to an untracked file is fine
    git('rm', '-q', '--cached', 'repos.env');
    await expect(loadScope({ schema, workspaceRoot: elsewhere })).resolves.toBeDefined();
  });

  it('finds the file by --env-file, then $REPOS_ENV, then the workspace root', async () => {
    const root = await tempDir();
    const other = await tempDir();
    const rootFile = await writeEnv(root, GOOD);
    const envVarFile = await writeEnv(other, GOOD, 0o600, 'from-var.env');
    const flagFile = await writeEnv(other, GOOD, 0o600, 'from-flag.env');
    expect((await loadScope({ schema, workspaceRoot: root })).file).toBe(rootFile);
    expect((await loadScope({ schema, workspaceRoot: root, reposEnvVar: envVarFile })).file).toBe(envVarFile);
    expect((await loadScope({ schema, workspaceRoot: root, reposEnvVar: envVarFile, envFile: flagFile })).file).toBe(flagFile);
    // Relative paths resolve against cwd.
    expect((await loadScope({ schema, workspaceRoot: root, envFile: 'from-flag.env', cwd: other })).file).toBe(flagFile);
  });

  it('names the three places it looked when there is no file, and never falls back from an explicit one', async () => {
    const root = await tempDir();
    const err = await caught(loadScope({ schema, workspaceRoot: root }));
    expect(err.code).toBe('ENOFILE');
    expect(err.exitCode).toBe(78);
    expect(err.lookedAt).toEqual(['--env-file (not given)', '$REPOS_ENV (not set)', `${join(root, 'repos.env')} (workspace root)`]);
    for (const place of err.lookedAt) expect(err.message).toContain(place);

    await writeEnv(root, GOOD);
    const missing = join(root, 'nope.env');
    const err2 = await caught(loadScope({ schema, workspaceRoot: root, envFile: missing }));
    expect(err2.code).toBe('ENOFILE');
    expect(err2.file).toBe(missing);
    expect(err2.message).toContain('--env-file');
  });

  it('treats keys named like secrets, listed ones and .meta({ secret }) fields as secrets', async () => {
    const dir = await tempDir();
    await writeEnv(dir, ['PROXY_BYPASS=true', 'SESSION_COOKIE=cookie-value-1', 'DB_PASS=db-pass-1', 'WEIRD=weird-value-1', 'API_KEY_ID=key-id-public'].join('\n'));
    const s = z.object({ WEIRD: z.string().meta({ secret: true }), API_KEY_ID: z.string().meta({ secret: false }).optional() });
    const scope = await loadScope({ schema: s, workspaceRoot: dir, secretKeys: ['SESSION_COOKIE'] });
    expect([...scope.secrets].sort()).toEqual(['cookie-value-1', 'db-pass-1', 'weird-value-1']);
  });

  it('checks its options up front, naming the option', async () => {
    const err = await caught(loadScope({ schema: {} as never, workspaceRoot: '/' }));
    expect(err.code).toBe('EOPTION');
    expect(err.message).toContain('option schema');
  });
});
