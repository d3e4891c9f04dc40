// A revoked OAuth 2 grant of the digest mailbox: every run exits 78 naming `pnpm mailbox login
// digest`, sends no digest, and the owner is told once a day, not once a run: over
// ALERT_WEBHOOK_URL (the SMTP login needs the refused grant too), or by mail to DIGEST_TO when
// SMTP_* logs in with a password. Two runs on one day give one notice; a run the next day
// (injected clock) gives one more.
import { join } from 'node:path';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { type OAuthServer, startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { startWebhookReceiver } from '@jobs/testkit/webhook';
import { describe, expect, it } from 'vitest';
import { sampleMessages, startDovecot } from './support/dovecot.ts';
import { runMain, workDir } from './support/env.ts';

const DAY = 86_400_000;
const instant = async () => {};

/** A digest mailbox over XOAUTH2 whose grant the user revoked; `keys` adds the SMTP and alert keys. */
async function revokedMailbox(as: OAuthServer, imap: { host: string; port: number; user: string }, keys: Record<string, string | number>) {
  const wd = await workDir({
    DIGEST_SOURCE: 'imap', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: imap.user,
    IMAP_AUTH: 'oauth2', IMAP_OAUTH_CLIENT_SECRET: as.client.secret, IMAP_MAILBOX: 'OAuth', IMAP_TIMEOUT_SECONDS: 20,
    DIGEST_FROM: 'digest@carolesgardens.example', DIGEST_TO: 'carole@carolesgardens.example', DIGEST_TIMEZONE: 'America/New_York',
    ...keys,
  });
  const seeded = await as.seedGrant();
  await createGrantStore({ stateDir: wd.stateDir }).write({
    version: 1, account: 'digest', provider: 'generic', user: imap.user, tokenEndpoint: as.tokenEndpoint, clientId: as.client.id,
    refreshToken: seeded.refreshToken, accessToken: seeded.accessToken, expiresAt: 0, updatedAt: new Date().toISOString(),
  });
  await as.revokeAll();
  const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl') };
  return (at: number) => runMain(['--env-file', wd.envFile, '--no-llm', '--json'], env, { sleep: instant, now: () => at });
}

describe('a revoked grant of the digest mailbox', () => {
  it('exits 78 with the login command and posts one notice a day to the webhook', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await using hook = await startWebhookReceiver();
    await imap.createMailbox('OAuth');
    await imap.deliver('OAuth', (await sampleMessages()).slice(0, 3));
    const run = await revokedMailbox(as, imap, {
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none', ALERT_WEBHOOK_URL: `${hook.url}/hooks/T0KEN-digest`,
    });
    const t0 = Date.now();
    const first = await run(t0);
    expect(first.code, first.stderr).toBe(78);
    expect(first.stderr).toContain('pnpm mailbox login digest');
    expect(first.stderr).not.toContain('T0KEN-digest');
    expect(hook.posts).toHaveLength(1);
    const body = JSON.parse(hook.posts[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'grant-refused', account: 'digest', login: 'pnpm mailbox login digest' });
    expect(String(body.text)).toContain('digest mailbox');
    expect((await run(t0 + 60_000)).code).toBe(78);
    expect(hook.posts).toHaveLength(1);
    expect((await run(t0 + DAY)).code).toBe(78);
    expect(hook.posts).toHaveLength(2);
    expect(smtp.messages).toHaveLength(0);
  }, 120_000);

  it('mails DIGEST_TO once a day when SMTP_* logs in with a password', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture();
    await imap.createMailbox('OAuth');
    await imap.deliver('OAuth', (await sampleMessages()).slice(0, 3));
    const run = await revokedMailbox(as, imap, {
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none', SMTP_AUTH: 'password', SMTP_USER: smtp.user, SMTP_PASSWORD: smtp.password,
    });
    const t0 = Date.now();
    for (const at of [t0, t0 + 3_600_000]) {
      const r = await run(at);
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain('pnpm mailbox login digest');
    }
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.envelope.to).toEqual(['carole@carolesgardens.example']);
    expect(smtp.messages[0]!.parsed.text).toContain('pnpm mailbox login digest');
    expect((await run(t0 + DAY)).code).toBe(78);
    expect(smtp.messages).toHaveLength(2);
  }, 120_000);
});
