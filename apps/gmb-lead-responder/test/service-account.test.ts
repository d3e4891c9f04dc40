// The lead responder's mailbox with a Workspace service account (LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE)
// and no grant: the checked keys go through resolveLeadMailbox and makeMail (clients.ts, the
// shared @jobs/mail resolution and options mapping) to a fetch from dovecot's oauth2 passdb and a
// send through the XOAUTH2-only SMTP harness, with JWT-bearer tokens the test authorization
// server verified with the account's public key. A loose key file is ECONFIG (exit 78) naming the chmod.
import { generateKeyPairSync } from 'node:crypto';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noopLogger } from '@jobs/core/logger';
import { startDovecot } from '@jobs/testkit/dovecot';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { type ClientInputs, makeMail, resolveLeadMailbox } from '../src/clients.ts';
import { configSchema } from '../src/config.ts';

describe('lead mailbox with a service account', () => {
  it('fetches and sends with tokens from the key file beside repos.env; a loose key file is 78', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.deliver('INBOX', [['From: Dana <dana@example.com>', 'Subject: Quote', 'Message-ID: <lead-sa@x>', '', 'Hello.', ''].join('\r\n')]);
    const dir = await mkdtemp(join(tmpdir(), 'lead-sa-'));
    try {
      const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      as.addServiceAccount({ clientEmail: 'lead@shop.iam.test', publicKey, users: [imap.user] });
      const keyFile = join(dir, 'lead-sa.json');
      const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      await writeFile(keyFile, JSON.stringify({ client_email: 'lead@shop.iam.test', client_id: as.serviceClientId, private_key: pem, token_uri: as.tokenEndpoint }), { mode: 0o600 });
      const config = configSchema.parse({
        ANTHROPIC_API_KEY: 'sk-ant-unused', LEAD_PROFILE_PATH: 'p.md', LEAD_RULES_PATH: 'r.json',
        LEAD_ADDRESS: 'hello@shop.test', LEAD_OWNER_ADDRESS: 'owner@shop.test',
        LEAD_IMAP_HOST: imap.host, LEAD_IMAP_PORT: imap.port, LEAD_IMAP_TLS: 'none', LEAD_IMAP_USER: imap.user,
        LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE: 'lead-sa.json',
        LEAD_SMTP_HOST: smtp.host, LEAD_SMTP_PORT: smtp.port, LEAD_SMTP_TLS: 'none',
      });
      const envFile = join(dir, 'repos.env');
      const secrets: string[] = [];
      const mailbox = await resolveLeadMailbox(config, join(dir, 'state'), (s) => secrets.push(s), Date.now, envFile);
      expect(mailbox?.method).toBe('service-account');
      expect(secrets).toContain(pem);
      const inputs = { scope: { values: config, file: envFile }, logger: noopLogger, now: Date.now } as unknown as ClientInputs;
      const { imap: source, smtp: sender } = makeMail(inputs, mailbox);
      try {
        const got: (string | null)[] = [];
        for await (const m of await source.fetchSince(undefined)) got.push(m.messageId);
        expect(got).toEqual(['<lead-sa@x>']);
        await sender.send({ from: 'hello@shop.test', to: 'dana@example.com', subject: 'Re: Quote', text: 'Thanks', autoSubmitted: 'auto-replied', messageId: `<r-${Date.now()}@shop.test>` });
      } finally {
        await source.close();
      }
      expect(smtp.messages.map((m) => m.user)).toEqual([imap.user]);
      expect(as.tokenEvents.every((e) => e.ok && e.grantType === 'urn:ietf:params:oauth:grant-type:jwt-bearer')).toBe(true);

      await chmod(keyFile, 0o640);
      const loose = await resolveLeadMailbox(config, join(dir, 'state'), () => undefined, Date.now, envFile).catch((e: unknown) => e as { code: string; exitCode: number; message: string });
      expect(loose).toMatchObject({ code: 'ECONFIG', exitCode: 78 });
      expect((loose as { message: string }).message).toContain(`run chmod 600 ${keyFile}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
