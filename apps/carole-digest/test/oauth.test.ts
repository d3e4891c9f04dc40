// A digest run that logs in with OAuth 2: dovecot's oauth2 passdb and the XOAUTH2-only SMTP
// harness ask the test authorization server about each token. The stored token is ended by
// the server before the run (as after a password change), so dovecot refuses it once: the run
// refreshes, finishes, sends one digest, and no token reaches the logs. A revoked grant is
// exit 78 naming `pnpm mailbox login digest`.
import { join } from 'node:path';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { sampleMessages, startDovecot } from './support/dovecot.ts';
import { runMain, workDir } from './support/env.ts';

const instant = async () => {};

describe('a digest run over XOAUTH2', () => {
  it('refreshes a token the servers stopped taking, sends one digest, and logs no token', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.createMailbox('OAuth');
    await imap.deliver('OAuth', await sampleMessages());
    const wd = await workDir({
      DIGEST_SOURCE: 'imap', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: imap.user,
      IMAP_AUTH: 'oauth2', IMAP_OAUTH_CLIENT_SECRET: as.client.secret, IMAP_MAILBOX: 'OAuth', IMAP_TIMEOUT_SECONDS: 20,
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none',
      DIGEST_FROM: 'digest@carolesgardens.example', DIGEST_TO: 'carole@carolesgardens.example', DIGEST_TIMEZONE: 'America/New_York',
    });
    const seeded = await as.seedGrant();
    const store = createGrantStore({ stateDir: wd.stateDir });
    await store.write({
      version: 1, account: 'digest', provider: 'generic', user: imap.user, tokenEndpoint: as.tokenEndpoint, clientId: as.client.id,
      refreshToken: seeded.refreshToken, accessToken: seeded.accessToken, expiresAt: Date.now() + 3_600_000, updatedAt: new Date().toISOString(),
    });
    as.expireAccessTokens();
    const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl'), LOG_LEVEL: 'debug' };
    const r = await runMain(['--env-file', wd.envFile, '--no-llm', '--json'], env, { sleep: instant });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', source: 'imap:OAuth', messages: 32 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.user).toBe(imap.user);
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    expect(as.introspections[0]).toEqual({ active: false });
    const saved = await store.require('digest');
    for (const t of [seeded.accessToken, seeded.refreshToken, saved.accessToken!, saved.refreshToken!]) {
      expect(r.stdout + r.stderr).not.toContain(t);
    }

    // The grant revoked by the user: 78 and the login command, nothing sent.
    await as.revokeAll();
    await store.write({ ...saved, expiresAt: 0 });
    await imap.deliver('OAuth', [(await sampleMessages())[0]!]);
    const revoked = await runMain(['--env-file', wd.envFile, '--no-llm', '--json'], env, { sleep: instant });
    expect(revoked.code).toBe(78);
    expect(revoked.stderr).toContain('pnpm mailbox login digest');
    expect(smtp.messages).toHaveLength(1);
  }, 120_000);
});
