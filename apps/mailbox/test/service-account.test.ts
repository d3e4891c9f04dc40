// `mailbox doctor --json` with a Workspace service account key file (IMAP_OAUTH_SERVICE_ACCOUNT_FILE)
// and no grant: the same resolution and options mapping as the jobs (@jobs/mail), so a relative
// path is taken from repos.env's folder (not the working directory) and a key file others can
// read is exit 78 naming the chmod; the private key never reaches the output.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDovecot } from '@jobs/testkit/dovecot';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { startMain, tempHome, writeReposEnv } from './helpers.ts';

describe('mailbox doctor with a service account', () => {
  it('reports auth service-account with a key file beside repos.env, and refuses a loose one', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await using home = await tempHome();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    as.addServiceAccount({ clientEmail: 'jobs@shop.iam.test', publicKey, users: ['test'] });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const conf = join(home.dir, 'conf'); // repos.env and the key live here; the working directory is home.dir
    await mkdir(conf);
    const keyFile = join(conf, 'sa.json');
    await writeFile(keyFile, JSON.stringify({ client_email: 'jobs@shop.iam.test', client_id: as.serviceClientId, private_key: pem, token_uri: as.tokenEndpoint }), { mode: 0o600 });
    const reposEnv = await writeReposEnv(conf, {
      IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: 'test', IMAP_AUTH: 'oauth2', IMAP_OAUTH_SERVICE_ACCOUNT_FILE: 'sa.json',
      SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none',
    });
    const run = startMain(['doctor', '--json'], { home: home.dir, stateDir: home.stateDir, reposEnv });
    expect(await run.exit, run.stdout.text + run.stderr.text).toBe(0);
    expect(JSON.parse(run.stdout.text).jobs[0]).toMatchObject({ job: 'digest', ok: true, auth: 'service-account', smtp: { ok: true, auth: 'oauth2' } });
    expect(as.tokenEvents.every((e) => e.ok && e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(true);

    await chmod(keyFile, 0o604);
    const loose = startMain(['doctor', '--json'], { home: home.dir, stateDir: home.stateDir, reposEnv });
    expect(await loose.exit).toBe(78);
    const out = loose.stdout.text + loose.stderr.text;
    expect(out).toContain(`run chmod 600 ${keyFile}`);
    expect(out + run.stdout.text + run.stderr.text).not.toContain(pem.split('\n')[1]!);
  }, 60_000);
});
