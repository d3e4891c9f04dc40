// resolveMailboxLogin: presets fill in servers, explicit keys win, and each bad combination is
// an error that names its key and the other way in (password key or `pnpm mailbox login`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MailError } from '../../src/errors.ts';
import { type MailboxSettings, resolveMailboxLogin } from '../../src/auth/mailbox-login.ts';
import { imapOptionsFrom, smtpOptionsFrom } from '../../src/transport-settings.ts';

const base = { account: 'digest', imapKeyPrefix: 'IMAP_', smtpKeyPrefix: 'SMTP_' } as const;

async function fails(s: MailboxSettings): Promise<MailError> {
  return (await resolveMailboxLogin(s).then(() => undefined, (e: unknown) => e)) as MailError;
}

describe('resolveMailboxLogin', () => {
  it('fills servers from a preset, takes explicit keys over it, and builds IMAP and SMTP options', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mbl-'));
    try {
      const gmail = await resolveMailboxLogin({ ...base, stateDir: dir, provider: 'gmail', imap: { user: 'o@gmail.test', password: 'app-pw' }, smtp: {} });
      const imap = imapOptionsFrom({ ...gmail.imap, timeoutSeconds: 20 });
      expect(imap).toMatchObject({ host: 'imap.gmail.com', port: 993, secure: true, user: 'o@gmail.test', password: 'app-pw', connectionTimeoutMs: 20_000 });
      expect(imap).not.toHaveProperty('tokens');
      expect(smtpOptionsFrom({ ...gmail.smtp!, timeoutSeconds: 20 })).toMatchObject({ host: 'smtp.gmail.com', port: 465, secure: true, requireTls: false, user: 'o@gmail.test', password: 'app-pw' });
      const ms = await resolveMailboxLogin({ ...base, stateDir: dir, provider: 'fastmail', imap: { user: 'u', password: 'p', host: '127.0.0.1', tls: 'none' } });
      expect(imapOptionsFrom({ ...ms.imap, timeoutSeconds: 20 })).toMatchObject({ host: '127.0.0.1', port: 143, secure: false, requireStartTls: false });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names both ways in, and refuses what a provider refuses', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mbl-'));
    try {
      const noGrant = await fails({ ...base, stateDir: dir, provider: 'google-workspace', imap: { user: 'o@shop.test' } });
      expect(noGrant.code).toBe('EGRANT');
      expect(noGrant.message).toContain('run `pnpm mailbox login digest`, or set IMAP_AUTH=password and IMAP_PASSWORD');
      const noPassword = await fails({ ...base, stateDir: dir, provider: 'gmail', imap: { user: 'o', auth: 'password' } });
      expect(noPassword.message).toBe('IMAP_PASSWORD is not set for the digest mailbox: set it, or run `pnpm mailbox login digest` and set IMAP_AUTH=oauth2');
      const ms = await fails({ ...base, stateDir: dir, provider: 'microsoft365', imap: { user: 'o', password: 'p' } });
      expect(ms.message).toContain('refuses password logins');
      const icloud = await fails({ ...base, stateDir: dir, provider: 'icloud', imap: { user: 'o', auth: 'oauth2' } });
      expect(icloud.code).toBe('ECONFIG');
      const generic = await fails({ ...base, stateDir: dir, imap: { user: 'o', password: 'p' } });
      expect(generic.message).toContain('IMAP_HOST is required');
      const unknown = await fails({ ...base, stateDir: dir, provider: 'aol', imap: { user: 'o', password: 'p' } });
      expect(unknown.message).toContain('IMAP_PROVIDER must be one of gmail,');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
