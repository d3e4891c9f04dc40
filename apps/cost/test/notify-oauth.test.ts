// `cost check --notify` with SMTP_AUTH=oauth2: the notice goes out over AUTH XOAUTH2 with the
// digest's grant (refreshed when the stored token is stale) to an SMTP server that takes only
// tokens checked by the test authorization server; with no grant, exit 78 naming the login.
// With the digest's Workspace service account key file instead: no grant, a JWT-bearer token;
// a key file others can read is exit 78 and nothing is sent.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { row, run, tempDir, testDeps, writeLedger } from './helpers.ts';

describe('cost check --notify over XOAUTH2', () => {
  it('sends the notice with the digest grant, and is 78 without one', { timeout: 60_000 }, async () => {
    await using as = await startOAuthServer();
    await using capture = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    const home = await tempDir();
    const envFile = join(home, 'repos.env');
    const keys = { SMTP_HOST: capture.host, SMTP_PORT: capture.port, SMTP_TLS: 'none', SMTP_USER: as.user, SMTP_AUTH: 'oauth2',
      IMAP_OAUTH_CLIENT_SECRET: as.client.secret, COST_ALERT_TO: 'carole@garden.example' };
    await writeFile(envFile, `${Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: new Date(Date.now() - 3_600_000).toISOString(), usd: 3 })]);
    const args = ['check', '--daily-budget', '1', '--notify', '--env-file', envFile, '--ledger', ledger];

    const none = await run(args, testDeps(home, { now: () => new Date() }));
    expect(none.code, none.err).toBe(78);
    expect(none.err).toContain('pnpm mailbox login digest');

    const seeded = await as.seedGrant();
    await createGrantStore({ stateDir: join(home, 'state') }).write({
      version: 1, account: 'digest', provider: 'generic', user: as.user, tokenEndpoint: as.tokenEndpoint, clientId: as.client.id,
      refreshToken: seeded.refreshToken, accessToken: seeded.accessToken, expiresAt: 0, updatedAt: new Date().toISOString(),
    });
    const sent = await run(args, testDeps(home, { now: () => new Date() }));
    expect(sent.code).toBe(1); // over budget
    expect(capture.messages).toHaveLength(1);
    expect(capture.messages[0]!.user).toBe(as.user);
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
  });

  it('sends the notice with a token from the service account key file, and refuses a loose key file', { timeout: 60_000 }, async () => {
    await using as = await startOAuthServer();
    await using capture = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    const home = await tempDir();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    as.addServiceAccount({ clientEmail: 'notice@proj.iam.test', publicKey, users: [as.user] });
    const key = { type: 'service_account', client_email: 'notice@proj.iam.test', client_id: as.serviceClientId, token_uri: as.tokenEndpoint,
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
    await writeFile(join(home, 'sa.json'), JSON.stringify(key), { mode: 0o600 });
    const envFile = join(home, 'repos.env');
    const keys = { SMTP_HOST: capture.host, SMTP_PORT: capture.port, SMTP_TLS: 'none', SMTP_USER: as.user, SMTP_AUTH: 'oauth2',
      IMAP_OAUTH_SERVICE_ACCOUNT_FILE: 'sa.json', COST_ALERT_TO: 'carole@garden.example' };
    await writeFile(envFile, `${Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
    const ledger = join(home, 'ledger.jsonl');
    await writeLedger(ledger, [row({ ts: new Date(Date.now() - 3_600_000).toISOString(), usd: 3 })]);
    const args = ['check', '--daily-budget', '1', '--notify', '--env-file', envFile, '--ledger', ledger];

    await chmod(join(home, 'sa.json'), 0o640);
    const loose = await run(args, testDeps(home, { now: () => new Date() }));
    expect(loose.code, loose.err).toBe(78);
    expect(loose.err).toContain('run chmod 600');
    expect(loose.err).not.toContain('PRIVATE KEY');
    expect(capture.messages).toHaveLength(0);

    await chmod(join(home, 'sa.json'), 0o600);
    const sent = await run(args, testDeps(home, { now: () => new Date() }));
    expect(sent.code, sent.err).toBe(1); // over budget
    expect(capture.messages).toHaveLength(1);
    expect(capture.messages[0]!.user).toBe(as.user);
    expect(as.tokenEvents).toEqual([{ grantType: 'urn:ietf:params:oauth:grant-type:jwt-bearer', ok: true }]);
  });
});
