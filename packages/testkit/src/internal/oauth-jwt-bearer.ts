/**
 * The JWT-bearer grant (RFC 7523) as Google's token endpoint serves it to a Workspace service
 * account with domain-wide delegation: the account signs `{ iss, sub: user, scope, aud }` with
 * its private key and gets an access token for `sub`. oidc-provider has no such grant, so it is
 * registered here with its custom-grant API; the signature is checked with jose.
 */
import { jwtVerify, decodeJwt, type CryptoKey, type KeyObject } from 'jose';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { JWT_BEARER } from './oauth-options.ts';

/** A service account: its id (the JWT's `iss`), its public key, the users it may act for. */
export interface ServiceAccount {
  clientEmail: string;
  publicKey: KeyObject | CryptoKey;
  /** Users the Workspace admin delegated (domain-wide delegation). Default: any. */
  users?: readonly string[];
}

/** Adds the grant to `provider`; `accounts` may be filled later. */
export function registerJwtBearer(provider: Provider, accounts: Map<string, ServiceAccount>): void {
  provider.registerGrantType(
    JWT_BEARER,
    async (ctx) => {
      const assertion = String(ctx.oidc.params?.assertion ?? '');
      let iss: string | undefined;
      try {
        iss = decodeJwt(assertion).iss;
      } catch {
        throw new errors.InvalidGrant('assertion is not a JWT');
      }
      const account = iss === undefined ? undefined : accounts.get(iss);
      if (account === undefined) throw new errors.InvalidGrant('unknown service account');
      const { payload } = await jwtVerify(assertion, account.publicKey, {
        issuer: account.clientEmail,
        audience: `${ctx.oidc.issuer}/token`,
      }).catch(() => {
        throw new errors.InvalidGrant('assertion signature, audience or lifetime is invalid');
      });
      const sub = payload.sub;
      if (typeof sub !== 'string' || (account.users !== undefined && !account.users.includes(sub))) {
        throw new errors.InvalidGrant('the service account may not act for this user (domain-wide delegation)');
      }
      const scope = typeof payload.scope === 'string' ? payload.scope : '';
      const client = ctx.oidc.client!;
      const grant = new provider.Grant({ accountId: sub, clientId: client.clientId });
      grant.addOIDCScope(scope);
      const grantId = await grant.save();
      const token = new provider.AccessToken({ accountId: sub, client, grantId, scope, gty: 'jwt-bearer' });
      ctx.body = { access_token: await token.save(), expires_in: token.expiration, token_type: 'Bearer', scope };
    },
    ['assertion', 'scope'],
  );
}
