/**
 * A grant and its first tokens, made inside the authorization server as if the person had
 * signed in: for tests about refreshing and logging in that need not replay a browser flow.
 */
import type Provider from 'oidc-provider';

/** Creates a grant for `user` and issues an access token and a refresh token for it. */
export async function seedGrant(
  provider: Provider,
  o: { clientId: string; user: string; scope: string },
): Promise<{ accessToken: string; refreshToken: string; expiresIn: number; scope: string }> {
  const client = await provider.Client.find(o.clientId);
  if (client === undefined) throw new Error(`seedGrant: no client ${o.clientId}`);
  const grant = new provider.Grant({ accountId: o.user, clientId: o.clientId });
  grant.addOIDCScope(o.scope);
  const grantId = await grant.save();
  const refresh = new provider.RefreshToken({ accountId: o.user, client, grantId, scope: o.scope, gty: 'authorization_code' });
  const access = new provider.AccessToken({ accountId: o.user, client, grantId, scope: o.scope, gty: 'authorization_code' });
  const refreshToken = await refresh.save();
  const accessToken = await access.save();
  return { accessToken, refreshToken, expiresIn: access.expiration, scope: o.scope };
}
