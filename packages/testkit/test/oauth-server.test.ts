// The test authorization server: rotation, reuse detection, expiry, introspection, revocation,
// the device-code and PKCE flows with the test as the person, and the JWT-bearer grant.
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { startOAuthServer, type OAuthServer } from '../src/oauth-server.ts';

async function token(as: OAuthServer, body: Record<string, string>): Promise<{ status: number; json: Record<string, string> }> {
  const basic = Buffer.from(`${as.client.id}:${as.client.secret}`).toString('base64');
  const res = await fetch(as.tokenEndpoint, {
    method: 'POST',
    headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describe('startOAuthServer', () => {
  it('rotates refresh tokens, and a reused one revokes the grant', async () => {
    await using as = await startOAuthServer();
    const seeded = await as.seedGrant();
    expect(await as.introspect(seeded.accessToken)).toMatchObject({ active: true, sub: 'test' });
    const first = await token(as, { grant_type: 'refresh_token', refresh_token: seeded.refreshToken });
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).toBeDefined();
    expect(first.json.refresh_token).not.toBe(seeded.refreshToken);
    const reused = await token(as, { grant_type: 'refresh_token', refresh_token: seeded.refreshToken });
    expect(reused.json.error).toBe('invalid_grant');
    // Reuse detection: the rotated token of the same grant is gone too.
    const after = await token(as, { grant_type: 'refresh_token', refresh_token: first.json.refresh_token! });
    expect(after.json.error).toBe('invalid_grant');
    expect(as.tokenEvents.map((e) => e.ok)).toEqual([true, false, false]);
  });

  it('keeps one refresh token when rotation is off, and expires access tokens on demand', async () => {
    await using as = await startOAuthServer({ rotateRefreshTokens: false, accessTokenTtlSeconds: 5 });
    const seeded = await as.seedGrant();
    expect(seeded.expiresIn).toBeLessThanOrEqual(5);
    const next = await token(as, { grant_type: 'refresh_token', refresh_token: seeded.refreshToken });
    expect(next.json.refresh_token).toBe(seeded.refreshToken);
    expect(as.expireAccessTokens()).toBe(2);
    expect(await as.introspect(next.json.access_token!)).toEqual({ active: false });
  });

  it('revokes a refresh token (RFC 7009) and the grant goes with it', async () => {
    await using as = await startOAuthServer();
    const seeded = await as.seedGrant();
    const basic = Buffer.from(`${as.client.id}:${as.client.secret}`).toString('base64');
    const res = await fetch(as.revocationEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: seeded.refreshToken }),
    });
    expect(res.status).toBe(200);
    expect(await as.introspect(seeded.accessToken)).toEqual({ active: false });
  });

  it('runs the device-code flow with the test approving', async () => {
    await using as = await startOAuthServer();
    const basic = Buffer.from(`${as.client.id}:${as.client.secret}`).toString('base64');
    const start = await fetch(as.deviceAuthorizationEndpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ scope: 'imap smtp offline_access' }),
    });
    const device = (await start.json()) as Record<string, string>;
    const pending = await token(as, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code! });
    expect(pending.json.error).toBe('authorization_pending');
    await as.approveDevice(device.user_code!);
    const done = await token(as, { grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.device_code! });
    expect(done.status).toBe(200);
    expect(done.json.refresh_token).toBeDefined();
    expect(await as.introspect(done.json.access_token!)).toMatchObject({ active: true, sub: 'test', scope: 'imap smtp offline_access' });
  });

  it('runs the authorization-code flow with PKCE to a loopback redirect, and refuses a wrong verifier', async () => {
    await using as = await startOAuthServer();
    const seen: string[] = [];
    const redirect = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.end('done');
    });
    await new Promise<void>((r) => redirect.listen(0, '127.0.0.1', r));
    const port = (redirect.address() as AddressInfo).port;
    try {
      const verifier = randomBytes(32).toString('base64url');
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      const redirectUri = `http://127.0.0.1:${port}/`;
      const auth = new URL(as.authorizationEndpoint);
      for (const [k, v] of Object.entries({ client_id: as.client.id, response_type: 'code', redirect_uri: redirectUri,
        scope: 'imap smtp offline_access', state: 's1', code_challenge: challenge, code_challenge_method: 'S256' })) {
        auth.searchParams.set(k, v);
      }
      const page = await as.approveAuthorization(auth.href);
      expect(page.body).toBe('done');
      const back = new URL(seen[0]!, redirectUri);
      expect(back.searchParams.get('state')).toBe('s1');
      const code = back.searchParams.get('code')!;
      const wrong = await token(as, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: 'x'.repeat(43) });
      expect(wrong.json.error).toBe('invalid_grant');
    } finally {
      redirect.close();
    }
  });

  it('serves the JWT-bearer grant to a delegated service account only', async () => {
    await using as = await startOAuthServer();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    as.addServiceAccount({ clientEmail: 'sa@proj.test', publicKey, users: ['owner@shop.test'] });
    const assertion = (sub: string) =>
      new SignJWT({ scope: 'imap smtp' }).setProtectedHeader({ alg: 'RS256' }).setIssuer('sa@proj.test')
        .setSubject(sub).setAudience(as.tokenEndpoint).setIssuedAt().setExpirationTime('5m').sign(privateKey);
    const send = async (sub: string) => {
      const res = await fetch(as.tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion(sub), client_id: as.serviceClientId }),
      });
      return (await res.json()) as Record<string, string>;
    };
    const ok = await send('owner@shop.test');
    expect(await as.introspect(ok.access_token!)).toMatchObject({ active: true, sub: 'owner@shop.test' });
    expect((await send('someone@else.test')).error).toBe('invalid_grant');
  });
});
