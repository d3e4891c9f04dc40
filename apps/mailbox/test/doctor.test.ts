// `mailbox doctor --json` and `mailbox logout` against dovecot (oauth2 passdb), the
// XOAUTH2-only SMTP harness and the test authorization server; and the bad-input exits: no
// grant yet or no password (78, naming both ways in), an unknown provider (78, listing them),
// a bad flag under --json (2, the failure as JSON on stdout), an inherited name (2).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { startDovecot } from '@jobs/testkit/dovecot';
import { startOAuthServer, type OAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { mailboxCli, startMain, tempHome, writeReposEnv } from './helpers.ts';

async function seed(as: OAuthServer, stateDir: string) {
  const seeded = await as.seedGrant();
  await createGrantStore({ stateDir }).write({
    version: 1, account: 'digest', provider: 'generic', user: 'test', tokenEndpoint: as.tokenEndpoint,
    revocationEndpoint: as.revocationEndpoint, clientId: as.client.id, refreshToken: seeded.refreshToken,
    accessToken: seeded.accessToken, expiresAt: Date.now() + seeded.expiresIn * 1000, updatedAt: new Date().toISOString(),
  });
  return seeded;
}

describe('mailbox doctor', () => {
  it('--json reports auth, capabilities, folders, Sent filing and round trip; the child CLI prints the same', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await using home = await tempHome();
    const seeded = await seed(as, home.stateDir);
    const reposEnv = await writeReposEnv(home.dir, {
      IMAP_PROVIDER: 'generic', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: 'test', IMAP_AUTH: 'oauth2',
      IMAP_OAUTH_CLIENT_ID: as.client.id, IMAP_OAUTH_CLIENT_SECRET: as.client.secret, IMAP_OAUTH_TOKEN_URL: as.tokenEndpoint,
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none',
    });
    const run = startMain(['doctor', '--json'], { home: home.dir, stateDir: home.stateDir, reposEnv });
    expect(await run.exit).toBe(0);
    const report = JSON.parse(run.stdout.text) as { jobs: Record<string, unknown>[] };
    expect(report.jobs).toHaveLength(1);
    expect(report.jobs[0]).toMatchObject({
      job: 'digest', ok: true, provider: 'generic', auth: 'oauth2', filesSentItself: false,
      imap: { host: imap.host, port: imap.port, tls: 'none', user: 'test', capabilities: { IDLE: true, CONDSTORE: true, 'SPECIAL-USE': true, 'X-GM-EXT-1': false } },
      folders: { sent: { path: 'Sent', via: 'special-use' }, drafts: { path: 'Drafts', via: 'special-use' }, junk: { path: 'Junk', via: 'special-use' } },
      smtp: { ok: true, auth: 'oauth2' },
    });
    expect(typeof (report.jobs[0]!.imap as { rttMs: number }).rttMs).toBe('number');
    expect(run.stdout.text).not.toContain(seeded.accessToken);

    const child = await mailboxCli(['doctor', 'digest', '--json'], { HOME: home.dir, JOBS_STATE_DIR: home.stateDir, REPOS_ENV: reposEnv });
    expect(child.code, child.stderr).toBe(0);
    expect(JSON.parse(child.stdout).jobs[0]).toMatchObject({ job: 'digest', ok: true, auth: 'oauth2' });
  }, 90_000);

  it('logout revokes and deletes; then doctor is 78 naming both ways in; a grant revoked elsewhere is 78 too', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using home = await tempHome();
    await seed(as, home.stateDir);
    const reposEnv = await writeReposEnv(home.dir, {
      IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: 'test', IMAP_AUTH: 'oauth2',
      IMAP_OAUTH_CLIENT_ID: as.client.id, IMAP_OAUTH_CLIENT_SECRET: as.client.secret, IMAP_OAUTH_TOKEN_URL: as.tokenEndpoint,
    });
    const opts = { home: home.dir, stateDir: home.stateDir, reposEnv };
    const out = startMain(['logout', 'digest', '--json'], opts);
    expect(await out.exit).toBe(0);
    expect(JSON.parse(out.stdout.text)).toEqual({ job: 'digest', revoked: true, deleted: true });
    await expect(stat(join(home.stateDir, 'oauth', 'digest.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    const doc = startMain(['doctor', 'digest'], opts);
    expect(await doc.exit).toBe(78);
    expect(doc.stdout.text).toContain('pnpm mailbox login digest');
    expect(doc.stdout.text).toContain('IMAP_AUTH=password and IMAP_PASSWORD');

    // a grant whose refresh token was revoked elsewhere
    await seed(as, home.stateDir);
    await as.revokeAll();
    as.expireAccessTokens();
    const store = createGrantStore({ stateDir: home.stateDir });
    await store.write({ ...(await store.require('digest')), expiresAt: 0 });
    const revoked = startMain(['doctor', 'digest', '--json'], opts);
    expect(await revoked.exit).toBe(78);
    expect(JSON.parse(revoked.stdout.text).jobs[0].error).toContain('invalid_grant');
  }, 90_000);

  it('bad input: unknown provider lists the valid ones; a preset with no password and no grant names both ways in', async () => {
    await using home = await tempHome();
    const unknown = await writeReposEnv(home.dir, { IMAP_PROVIDER: 'yahoo', IMAP_USER: 'a@b.test' });
    const env = { HOME: home.dir, JOBS_STATE_DIR: home.stateDir, REPOS_ENV: unknown };
    const [help, loginHelp, doctorHelp, logoutHelp, bad] = await Promise.all([
      mailboxCli(['--help'], env), mailboxCli(['login', '--help'], env), mailboxCli(['doctor', '--help'], env),
      mailboxCli(['logout', '--help'], env), mailboxCli(['doctor', '--json'], env),
    ]);
    for (const r of [help, loginHelp, doctorHelp, logoutHelp]) expect(r.code).toBe(0);
    expect(loginHelp.stdout).toContain('Usage: pnpm mailbox login');
    expect(bad.code).toBe(78);
    expect(bad.stdout).toContain('IMAP_PROVIDER must be one of gmail, google-workspace, microsoft365, outlook, fastmail, icloud, generic');

    const gmail = await writeReposEnv(home.dir, { IMAP_PROVIDER: 'gmail', IMAP_USER: 'owner@gmail.test', IMAP_AUTH: 'password' });
    const none = startMain(['doctor'], { home: home.dir, stateDir: home.stateDir, reposEnv: gmail });
    expect(await none.exit).toBe(78);
    expect(none.stdout.text).toContain('IMAP_PASSWORD is not set for the digest mailbox');
    expect(none.stdout.text).toContain('pnpm mailbox login digest');
    const usage = startMain(['login'], { home: home.dir, stateDir: home.stateDir, reposEnv: gmail });
    expect(await usage.exit).toBe(2);
    // Under --json a failure is one JSON object on stdout too, as in every command of the suite.
    const badFlag = startMain(['login', 'digest', '--colour', '--json'], { home: home.dir, stateDir: home.stateDir, reposEnv: gmail });
    expect(await badFlag.exit).toBe(2);
    expect(JSON.parse(badFlag.stdout.text)).toMatchObject({ ok: false, error: { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION', exitCode: 2 } });
    // A name every object inherits is not a command (it used to be called, and crashed the CLI).
    const inherited = startMain(['toString'], { home: home.dir, stateDir: home.stateDir, reposEnv: gmail });
    expect(await inherited.exit).toBe(2);
    expect(inherited.stderr.text).toContain('mailbox: unknown command "toString"');
  }, 90_000);
});
