// The grant store and its token source against the test authorization server: files 0600
// from creation, loose files refused, refresh ahead of expiry, rotation saved, invalid_grant
// as EGRANT with the login hint, two processes refreshing at once, and a crash between the
// token endpoint's answer and the save.
import { chmod, readdir, stat } from 'node:fs/promises';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { describe, expect, it } from 'vitest';
import { refreshInChild, storeSeededGrant, tempStateDir } from '../grant-helpers.ts';
import { isMailError, type MailError } from '../../src/errors.ts';
import { createGrantTokenSource } from '../../src/auth/grant-token-source.ts';

describe('grant store', () => {
  it('writes 0600 files, refuses one readable by others, and names the login command when there is none', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    const { store } = await storeSeededGrant(as, state.dir, 'digest');
    expect((await stat(store.path('digest'))).mode & 0o777).toBe(0o600);
    expect((await stat(`${state.dir}/oauth`)).mode & 0o777).toBe(0o700);
    await chmod(store.path('digest'), 0o644);
    const loose = (await store.read('digest').catch((e: unknown) => e)) as MailError;
    expect(isMailError(loose, 'EGRANT')).toBe(true);
    expect(loose.message).toContain('chmod 600');
    const none = (await store.require('lead').catch((e: unknown) => e)) as MailError;
    expect(none.code).toBe('EGRANT');
    expect(none.message).toContain('pnpm mailbox login lead');
  });
});

describe('grant token source', () => {
  it('uses the stored token while it is fresh, refreshes ahead of expiry and saves the rotated token', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    let clock = Date.now();
    const { store, refreshToken, accessToken } = await storeSeededGrant(as, state.dir, 'digest', { expiresAt: clock + 3_600_000 });
    const secrets: string[] = [];
    const source = createGrantTokenSource({
      store, account: 'digest', client: { clientSecret: as.client.secret }, now: () => clock, onSecret: (s) => secrets.push(s),
    });
    expect(await source.accessToken()).toBe(accessToken);
    clock += 3_600_000 - 299_000; // inside the 5-minute margin
    const fresh = await source.accessToken();
    expect(fresh).not.toBe(accessToken);
    const saved = await store.require('digest');
    expect(saved.refreshToken).not.toBe(refreshToken);
    expect(saved.accessToken).toBe(fresh);
    expect(secrets).toEqual(expect.arrayContaining([refreshToken, fresh, saved.refreshToken]));
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    expect((await readdir(`${state.dir}/oauth`)).sort()).toEqual(['digest.json']);
  });

  it('turns a revoked grant into EGRANT naming the mailbox and the login command', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    const { store } = await storeSeededGrant(as, state.dir, 'lead', { expiresAt: 0 });
    await as.revokeAll();
    const source = createGrantTokenSource({ store, account: 'lead', client: { clientSecret: as.client.secret } });
    const err = (await source.accessToken().catch((e: unknown) => e)) as MailError;
    expect(err.code).toBe('EGRANT');
    expect(err.account).toBe('lead');
    expect(err.message).toContain('`pnpm mailbox login lead`');
  });

  it('two processes refreshing at once spend the refresh token once and both get the new token', async () => {
    await using as = await startOAuthServer({ tokenDelayMs: 300 });
    await using state = await tempStateDir();
    await storeSeededGrant(as, state.dir, 'digest', { expiresAt: 0 });
    const [a, b] = await Promise.all([
      refreshInChild({ stateDir: state.dir, account: 'digest' }, as.client.secret),
      refreshInChild({ stateDir: state.dir, account: 'digest' }, as.client.secret),
    ]);
    expect(a.out?.ok, a.stderr).toBe(true);
    expect(b.out?.ok, b.stderr).toBe(true);
    expect(a.out?.sha).toBe(b.out?.sha);
    expect(Number(a.out?.refreshes) + Number(b.out?.refreshes)).toBe(1);
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    // the grant is still alive: a later forced refresh works
    const c = await refreshInChild({ stateDir: state.dir, account: 'digest', force: true }, as.client.secret);
    expect(c.out?.ok).toBe(true);
  }, 60_000);

  it('a crash after a rotated token arrived keeps the old grant file whole; the next run is told to log in again', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    const { store, refreshToken } = await storeSeededGrant(as, state.dir, 'digest', { expiresAt: 0 });
    const crashed = await refreshInChild({ stateDir: state.dir, account: 'digest', crash: true }, as.client.secret);
    expect(crashed.signal).toBe('SIGKILL');
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    expect((await store.require('digest')).refreshToken).toBe(refreshToken);
    expect((await readdir(`${state.dir}/oauth`)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const next = await refreshInChild({ stateDir: state.dir, account: 'digest' }, as.client.secret);
    expect(next.out).toMatchObject({ ok: false, code: 'EGRANT' });
    expect(String(next.out?.message)).toContain('pnpm mailbox login digest');
  }, 60_000);

  it('with a provider that does not rotate (Google), a crash costs nothing: the next run refreshes', async () => {
    await using as = await startOAuthServer({ rotateRefreshTokens: false });
    await using state = await tempStateDir();
    await storeSeededGrant(as, state.dir, 'digest', { expiresAt: 0 });
    const crashed = await refreshInChild({ stateDir: state.dir, account: 'digest', crash: true }, as.client.secret);
    expect(crashed.signal).toBe('SIGKILL');
    const next = await refreshInChild({ stateDir: state.dir, account: 'digest' }, as.client.secret);
    expect(next.out).toMatchObject({ ok: true, refreshes: 1 });
  }, 60_000);
});
