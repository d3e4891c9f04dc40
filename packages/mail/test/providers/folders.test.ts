// Folder resolution against real dovecot namespaces shaped like Gmail's (`[Gmail]/` prefix,
// SPECIAL-USE, a localized Sent name) and Microsoft 365's (`Sent Items`, `Junk Email`, no
// SPECIAL-USE flags); and the preset lookup's error for an unknown provider.
import { startDovecot } from '@jobs/testkit/dovecot';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import type { MailError } from '../../src/errors.ts';
import { resolveFolders } from '../../src/providers/folders.ts';
import { PRESETS, providerPreset } from '../../src/providers/presets.ts';

async function list(imap: { host: string; port: number; user: string; password: string }) {
  const client = new ImapFlow({ host: imap.host, port: imap.port, secure: false, logger: false, auth: { user: imap.user, pass: imap.password } });
  await client.connect();
  const folders = await client.list();
  await client.logout();
  return folders.map((f) => ({ path: f.path, specialUse: f.specialUse, specialUseSource: f.specialUseSource }));
}

describe('resolveFolders', () => {
  it('finds Gmail folders by SPECIAL-USE, a localized Sent name included', async () => {
    await using imap = await startDovecot({
      specialUse: [
        { name: '[Gmail]/Gesendet', use: '\\Sent' },
        { name: '[Gmail]/Entwürfe', use: '\\Drafts' },
        { name: '[Gmail]/Spam', use: '\\Junk' },
        { name: '[Gmail]/All Mail', use: '\\All' },
      ],
    });
    const folders = resolveFolders(await list(imap), PRESETS.gmail);
    expect(folders).toEqual({
      sent: { path: '[Gmail]/Gesendet', via: 'special-use' },
      drafts: { path: '[Gmail]/Entwürfe', via: 'special-use' },
      junk: { path: '[Gmail]/Spam', via: 'special-use' },
    });
  }, 20_000);

  it('falls back to Microsoft 365 names when no folder is flagged', async () => {
    await using imap = await startDovecot({ specialUse: [] });
    for (const name of ['Sent Items', 'Junk Email', 'Drafts', 'Sent']) await imap.createMailbox(name);
    const folders = resolveFolders(await list(imap), PRESETS.microsoft365);
    expect(folders).toEqual({
      sent: { path: 'Sent Items', via: 'name' },
      drafts: { path: 'Drafts', via: 'name' },
      junk: { path: 'Junk Email', via: 'name' },
    });
    expect(resolveFolders([], PRESETS.microsoft365).sent).toBeNull();
  }, 20_000);
});

describe('providerPreset', () => {
  it('knows each provider and lists the valid ones for an unknown name', () => {
    expect(providerPreset('microsoft365').filesSentItself).toBe(true);
    expect(providerPreset('fastmail').filesSentItself).toBe(false);
    const err = (() => { try { providerPreset('yahoo', 'LEAD_IMAP_PROVIDER'); } catch (e) { return e as MailError; } })();
    expect(err?.code).toBe('ECONFIG');
    expect(err?.message).toBe('LEAD_IMAP_PROVIDER must be one of gmail, google-workspace, microsoft365, outlook, fastmail, icloud, generic, got "yahoo"');
  });
});
