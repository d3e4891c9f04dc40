// dovecot's own oauth2 passdb against the test authorization server: a live token logs in
// (XOAUTH2 and OAUTHBEARER), a wrong, expired or revoked one is refused by dovecot itself,
// and a password is refused when the instance takes tokens only. dovecot's auth penalty
// doubles the wait after each refusal from one address, so each case gets its own instance.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { startDovecot } from '../src/dovecot.ts';
import { startOAuthServer } from '../src/oauth-server.ts';

async function login(port: number, auth: { user: string; accessToken?: string; pass?: string; loginMethod?: string }) {
  const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, logger: false, auth: auth as never });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.logout();
    return true;
  } catch {
    client.close();
    return false;
  }
}

describe('startDovecot({ oauth2 })', () => {
  it('takes a live token over XOAUTH2 and OAUTHBEARER, asking the server each time; refuses passwords', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    const { accessToken } = await as.seedGrant();
    expect(await login(imap.port, { user: imap.user, accessToken, loginMethod: 'XOAUTH2' })).toBe(true);
    expect(await login(imap.port, { user: imap.user, accessToken, loginMethod: 'OAUTHBEARER' })).toBe(true);
    expect(as.introspections).toEqual([{ active: true }, { active: true }]);
    expect(await login(imap.port, { user: imap.user, pass: imap.password })).toBe(false);
    expect(await login(imap.port, { user: imap.user, accessToken: `${accessToken}x` })).toBe(false);
    expect(as.introspections.at(-1)).toEqual({ active: false });
  }, 20_000);

  it('refuses an expired token, and a live token for another user', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    const { accessToken } = await as.seedGrant();
    as.expireAccessTokens();
    expect(await login(imap.port, { user: imap.user, accessToken })).toBe(false);
    expect(as.introspections).toEqual([{ active: false }]);
    await using other = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    const live = await as.seedGrant();
    expect(await login(other.port, { user: 'someone-else', accessToken: live.accessToken })).toBe(false);
    expect(as.introspections.at(-1)).toEqual({ active: true });
  }, 20_000);

  it('refuses a token whose grant was revoked', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    const { accessToken } = await as.seedGrant();
    await as.revokeAll();
    expect(await login(imap.port, { user: imap.user, accessToken })).toBe(false);
  }, 20_000);

  it('offers passwords too when asked', async () => {
    await using as = await startOAuthServer();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl, passwords: true } });
    expect(await login(imap.port, { user: imap.user, pass: imap.password })).toBe(true);
  }, 20_000);
});
