// A Workspace service account (domain-wide delegation) as every job uses it: the key file named
// by *_OAUTH_SERVICE_ACCOUNT_FILE goes through resolveMailboxLogin and the one options mapping
// (imapOptionsFrom / smtpOptionsFrom) to a fetch from dovecot's oauth2 passdb and a send through
// the XOAUTH2-only SMTP harness, with no grant file and no person. The test authorization server
// checks the JWT's signature with the account's public key and the delegated users; the key
// file is refused when others can read it, and its content never reaches an error.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDovecot } from '@jobs/testkit/dovecot';
import { startOAuthServer, type OAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { type MailboxSettings, resolveMailboxLogin } from '../../src/auth/mailbox-login.ts';
import type { MailError } from '../../src/errors.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { createSmtpSender } from '../../src/smtp/sender.ts';
import { imapOptionsFrom, smtpOptionsFrom } from '../../src/transport-settings.ts';
import { tempStateDir } from '../grant-helpers.ts';
import { message } from '../support/imap.ts';

/** Writes a key file as Google Cloud hands it out, signed by a fresh key pair; returns its private key text. */
async function writeKeyFile(dir: string, as: OAuthServer, opts: { register?: boolean; users?: string[]; mode?: number } = {}): Promise<string> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const key = { type: 'service_account', client_email: 'digest@proj.iam.test', client_id: as.serviceClientId, private_key: pem, token_uri: as.tokenEndpoint };
  await writeFile(join(dir, 'sa.json'), JSON.stringify(key), { mode: 0o600 });
  if (opts.mode !== undefined) await chmod(join(dir, 'sa.json'), opts.mode);
  if (opts.register !== false) as.addServiceAccount({ clientEmail: key.client_email, publicKey, users: opts.users ?? ['test'] });
  return pem;
}

function settings(dir: string, imap: { host: string; port: number }, smtp?: { host: string; port: number }): MailboxSettings {
  return {
    account: 'digest', imapKeyPrefix: 'IMAP_', smtpKeyPrefix: 'SMTP_', stateDir: join(dir, 'state'),
    imap: { host: imap.host, port: imap.port, tls: 'none', user: 'test' },
    ...(smtp ? { smtp: { host: smtp.host, port: smtp.port, tls: 'none' as const } } : {}),
    serviceAccount: { file: 'sa.json', baseDir: dir },
  };
}

async function fails(p: Promise<unknown>): Promise<MailError> {
  return (await p.then(() => undefined, (e: unknown) => e)) as MailError;
}

describe('service account logins', () => {
  it('fetches and sends with tokens from the key file: no grant, no person', async () => {
    await using as = await startOAuthServer();
    await using tmp = await tempStateDir();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.deliver('INBOX', [message('s1@x'), message('s2@x')]);
    const pem = await writeKeyFile(tmp.dir, as);
    const secrets: string[] = [];
    const login = await resolveMailboxLogin(settings(tmp.dir, imap, smtp), { onSecret: (s) => secrets.push(s) });
    expect(login.method).toBe('service-account');
    expect(secrets).toContain(pem); // the private key goes to the redactor
    await using source = createImapSource(imapOptionsFrom({ ...login.imap, timeoutSeconds: 10 }));
    const got: string[] = [];
    for await (const m of await source.fetchSince(undefined)) got.push(m.messageId ?? '');
    expect(got).toEqual(['<s1@x>', '<s2@x>']);
    const sender = createSmtpSender(smtpOptionsFrom({ ...login.smtp!, timeoutSeconds: 10 }));
    await sender.send({ from: 'test@shop.test', to: 'dana@example.com', subject: 'Digest', text: 'Hello', autoSubmitted: 'auto-generated', messageId: `<sa-${Date.now()}@shop.test>` });
    expect(smtp.messages.map((m) => m.user)).toEqual(['test']);
    expect(as.tokenEvents.every((e) => e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && e.ok)).toBe(true);
    expect(as.tokenEvents.length).toBeGreaterThan(0);
    expect(await readdir(join(tmp.dir, 'state')).catch(() => [])).toEqual([]); // nothing stored
  }, 30_000);

  it('a key the server does not know, or a user not delegated, is refused by the server (EGRANT)', async () => {
    await using as = await startOAuthServer();
    await using tmp = await tempStateDir();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await writeKeyFile(tmp.dir, as, { register: false });
    // another key pair registered under the same account: the signature does not verify
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    as.addServiceAccount({ clientEmail: 'digest@proj.iam.test', publicKey: other.publicKey, users: ['test'] });
    const login = await resolveMailboxLogin(settings(tmp.dir, imap));
    const badSig = await fails(login.imap.tokens!.accessToken());
    expect(badSig.code).toBe('EGRANT');
    await writeKeyFile(tmp.dir, as, { users: ['someone-else'] });
    const notDelegated = await fails((await resolveMailboxLogin(settings(tmp.dir, imap))).imap.tokens!.accessToken());
    expect(notDelegated.code).toBe('EGRANT');
    expect(as.tokenEvents.map((e) => e.ok)).toEqual([false, false]);
  }, 30_000);

  it('refuses a key file others can read, and never quotes the file', async () => {
    await using as = await startOAuthServer();
    await using tmp = await tempStateDir();
    const imap = { host: '127.0.0.1', port: 1 };
    const pem = await writeKeyFile(tmp.dir, as, { mode: 0o644 });
    const loose = await fails(resolveMailboxLogin(settings(tmp.dir, imap)));
    expect(loose.code).toBe('ECONFIG');
    expect(loose.message).toBe(`IMAP_OAUTH_SERVICE_ACCOUNT_FILE: ${join(tmp.dir, 'sa.json')} is readable by others (mode 644): run chmod 600 ${join(tmp.dir, 'sa.json')}`);
    await writeFile(join(tmp.dir, 'sa.json'), `{"private_key": "${pem.slice(30, 60)}"`, { mode: 0o600 });
    await chmod(join(tmp.dir, 'sa.json'), 0o600);
    const broken = await fails(resolveMailboxLogin(settings(tmp.dir, imap)));
    expect(broken.code).toBe('ECONFIG');
    expect(broken.message).toContain('is not JSON');
    expect(JSON.stringify({ m: broken.message, c: String(broken.cause) })).not.toContain(pem.slice(30, 60));
    const missing = await fails(resolveMailboxLogin({ ...settings(tmp.dir, imap), serviceAccount: { file: 'nope.json', baseDir: tmp.dir } }));
    expect(missing.message).toBe(`IMAP_OAUTH_SERVICE_ACCOUNT_FILE: cannot read ${join(tmp.dir, 'nope.json')}`);
    expect(as.tokenEvents).toEqual([]);
  });
});
