// A digest run with a Google Workspace service account (IMAP_OAUTH_SERVICE_ACCOUNT_FILE) and no
// grant, no login, no person: dovecot's oauth2 passdb and the XOAUTH2-only SMTP harness take the
// tokens the test authorization server issued for the JWT the run signed with the key file (the
// server verifies it with the account's public key). The private key and the tokens never reach
// the output. A key file others can read is exit 78 naming the chmod, before any connection.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { sampleMessages, startDovecot } from './support/dovecot.ts';
import { runMain, workDir } from './support/env.ts';

const instant = async () => {};

describe('a digest run with a Workspace service account', () => {
  it('fetches and sends with JWT-bearer tokens, stores no grant, and refuses a loose key file', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.createMailbox('Workspace');
    await imap.deliver('Workspace', await sampleMessages());
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    as.addServiceAccount({ clientEmail: 'digest@shop-project.iam.test', publicKey, users: [imap.user] });
    const wd = await workDir({
      DIGEST_SOURCE: 'imap', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: imap.user,
      IMAP_OAUTH_SERVICE_ACCOUNT_FILE: 'sa.json', IMAP_MAILBOX: 'Workspace', IMAP_TIMEOUT_SECONDS: 20,
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none',
      DIGEST_FROM: 'digest@carolesgardens.example', DIGEST_TO: 'carole@carolesgardens.example', DIGEST_TIMEZONE: 'America/New_York',
    });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const keyFile = join(wd.dir, 'sa.json'); // beside repos.env: the relative path is taken from there
    await writeFile(keyFile, JSON.stringify({ type: 'service_account', client_email: 'digest@shop-project.iam.test', client_id: as.serviceClientId, private_key: pem, token_uri: as.tokenEndpoint }), { mode: 0o600 });
    const env = { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl'), LOG_LEVEL: 'debug' };

    await chmod(keyFile, 0o644);
    const loose = await runMain(['--env-file', wd.envFile, '--no-llm', '--json'], env, { sleep: instant });
    expect(loose.code).toBe(78);
    expect(loose.stderr).toContain(`run chmod 600 ${keyFile}`);
    expect(as.tokenEvents).toEqual([]);

    await chmod(keyFile, 0o600);
    const r = await runMain(['--env-file', wd.envFile, '--no-llm', '--json'], env, { sleep: instant });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', source: 'imap:Workspace', messages: 32 });
    expect(smtp.messages.map((m) => m.user)).toEqual([imap.user]);
    expect(as.tokenEvents.length).toBeGreaterThan(0);
    expect(as.tokenEvents.every((e) => e.ok && e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(true);
    const issued = as.store.list('AccessToken').map((t) => String(t.jti));
    expect(issued.length).toBeGreaterThan(0);
    for (const secret of [...issued, pem.split('\n')[1]!]) expect(r.stdout + r.stderr).not.toContain(secret);
    expect(await readdir(join(wd.stateDir, 'oauth')).catch(() => [])).toEqual([]); // no grant stored
  }, 120_000);
});
