// `mailbox login` end to end against the test authorization server, the test playing the
// person: the device-code flow, the PKCE flow through the loopback redirect, and the
// pasted-URL fallback (a wrong state refused, the right one taken). Grants land 0600; no
// token appears in the output.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { startOAuthServer, type OAuthServer } from '@jobs/testkit/oauth-server';
import { describe, expect, it } from 'vitest';
import { startMain, tempHome, writeReposEnv } from './helpers.ts';

function genericKeys(as: OAuthServer, flow: 'device' | 'browser') {
  return {
    IMAP_PROVIDER: 'generic',
    IMAP_HOST: '127.0.0.1',
    IMAP_USER: 'test',
    IMAP_AUTH: 'oauth2',
    IMAP_OAUTH_CLIENT_ID: as.client.id,
    IMAP_OAUTH_CLIENT_SECRET: as.client.secret,
    IMAP_OAUTH_ISSUER: as.url,
    IMAP_OAUTH_TOKEN_URL: as.tokenEndpoint,
    IMAP_OAUTH_SCOPE: 'imap smtp offline_access',
    ...(flow === 'device' ? { IMAP_OAUTH_DEVICE_URL: as.deviceAuthorizationEndpoint } : { IMAP_OAUTH_AUTH_URL: as.authorizationEndpoint }),
    IMAP_OAUTH_REVOKE_URL: as.revocationEndpoint,
  };
}

async function grantOf(stateDir: string, job: string) {
  const path = join(stateDir, 'oauth', `${job}.json`);
  return { mode: (await stat(path)).mode & 0o777, grant: JSON.parse(await readFile(path, 'utf8')) as Record<string, string> };
}

describe('mailbox login', () => {
  it('device code: prints the code, the person approves, the grant is stored 0600', async () => {
    await using as = await startOAuthServer();
    await using home = await tempHome();
    const reposEnv = await writeReposEnv(home.dir, genericKeys(as, 'device'));
    const run = startMain(['login', 'digest', '--json'], { home: home.dir, stateDir: home.stateDir, reposEnv });
    const [, code] = await run.stderr.waitFor(/enter the code (\S+)/);
    await as.approveDevice(code!);
    expect(await run.exit).toBe(0);
    const { mode, grant } = await grantOf(home.stateDir, 'digest');
    expect(mode).toBe(0o600);
    expect(grant).toMatchObject({ account: 'digest', user: 'test', clientId: as.client.id, tokenEndpoint: as.tokenEndpoint });
    expect(await as.introspect(grant.accessToken!)).toMatchObject({ active: true, sub: 'test' });
    expect(JSON.parse(run.stdout.text)).toMatchObject({ job: 'digest', user: 'test' });
    for (const t of [grant.accessToken!, grant.refreshToken!, as.client.secret]) {
      expect(run.stdout.text + run.stderr.text).not.toContain(t);
    }
  }, 60_000);

  it('PKCE: the browser comes back to the loopback port and the login completes', async () => {
    await using as = await startOAuthServer();
    await using home = await tempHome();
    const reposEnv = await writeReposEnv(home.dir, genericKeys(as, 'browser'));
    const run = startMain(['login', 'digest'], { home: home.dir, stateDir: home.stateDir, reposEnv });
    const [url] = await run.stderr.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    const page = await as.approveAuthorization(url!);
    expect(page.body).toContain('You can close this window');
    expect(await run.exit).toBe(0);
    expect(run.stdout.text).toContain('pnpm mailbox doctor digest');
    const { grant } = await grantOf(home.stateDir, 'digest');
    expect(await as.introspect(grant.accessToken!)).toMatchObject({ active: true });
    expect(new URL(url!).searchParams.get('code_challenge_method')).toBe('S256');
  }, 60_000);

  it('headless: a pasted address with another state is refused (78); the right one is taken', async () => {
    await using as = await startOAuthServer();
    await using home = await tempHome();
    const reposEnv = await writeReposEnv(home.dir, genericKeys(as, 'browser'));
    const opts = { home: home.dir, stateDir: home.stateDir, reposEnv };

    let paste: (s: string) => void = () => {};
    const wrongRun = startMain(['login', 'digest', '--paste'], { ...opts, lines: [new Promise((r) => { paste = r; })] });
    const [wrongUrl] = await wrongRun.stderr.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    const redirectUri = new URL(wrongUrl!).searchParams.get('redirect_uri')!;
    const stopped = await as.approveAuthorization(wrongUrl!, { stopAt: redirectUri });
    const forged = new URL(stopped.url);
    forged.searchParams.set('state', 'someone-elses-state');
    paste(forged.href);
    expect(await wrongRun.exit).toBe(78);
    expect(wrongRun.stderr.text).toContain('belongs to another login');
    await expect(stat(join(home.stateDir, 'oauth', 'digest.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    let paste2: (s: string) => void = () => {};
    const run = startMain(['login', 'digest', '--paste'], { ...opts, lines: [new Promise((r) => { paste2 = r; })] });
    const [url] = await run.stderr.waitFor(/http:\/\/127\.0\.0\.1:\d+\/auth\?\S+/);
    const back = await as.approveAuthorization(url!, { stopAt: new URL(url!).searchParams.get('redirect_uri')! });
    expect(back.status).toBe(0); // the address was copied, never opened
    paste2(`  ${back.url}  `);
    expect(await run.exit).toBe(0);
    expect((await grantOf(home.stateDir, 'digest')).mode).toBe(0o600);
  }, 60_000);
});
