/**
 * A Google Workspace service account with domain-wide delegation: no person at renewal. The
 * account signs a JWT (`iss` the account, `sub` the mailbox user, `scope`, `aud` the token
 * endpoint) with its private key and trades it (RFC 7523 JWT-bearer grant, through
 * openid-client) for an access token, anew each time one runs out; nothing is stored.
 */
import { importPKCS8, SignJWT } from 'jose';
import * as oidc from 'openid-client';
import { MailError } from '../errors.ts';
import { oauthConfiguration, toGrantError } from './oauth-client.ts';
import type { AccessTokenSource } from './token-source.ts';

/** The fields of a service account's JSON key file that are used. */
export interface ServiceAccountKey {
  readonly client_email: string;
  readonly private_key: string;
  /** Numeric client id; sent as client_id. */
  readonly client_id?: string;
  readonly token_uri?: string;
}

/** Checks a parsed key file. */
export function parseServiceAccountKey(value: unknown, path: string): ServiceAccountKey {
  const k = value as Partial<ServiceAccountKey> | null;
  if (typeof k?.client_email !== 'string' || typeof k.private_key !== 'string' || !k.private_key.includes('PRIVATE KEY')) {
    throw new MailError('ECONFIG', `${path} is not a service account key file (client_email and private_key are needed)`);
  }
  return k as ServiceAccountKey;
}

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Tokens for `subject` (the mailbox user), refreshed `refreshAheadMs` before expiry. */
export function createServiceAccountTokenSource(o: {
  key: ServiceAccountKey;
  subject: string;
  scope: string;
  account: string;
  tokenEndpoint?: string;
  clientId?: string;
  onSecret?: (s: string) => void;
  now?: () => number;
  fetch?: typeof fetch;
  refreshAheadMs?: number;
}): AccessTokenSource {
  const now = o.now ?? Date.now;
  const tokenEndpoint = o.tokenEndpoint ?? o.key.token_uri ?? 'https://oauth2.googleapis.com/token';
  const config = oauthConfiguration({ tokenEndpoint, clientId: o.clientId ?? o.key.client_id ?? o.key.client_email, fetch: o.fetch });
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    async accessToken(options = {}) {
      if (!options.forceRefresh && cached !== undefined && cached.expiresAt - now() > (o.refreshAheadMs ?? 300_000)) return cached.token;
      const key = await importPKCS8(o.key.private_key, 'RS256');
      const iat = Math.floor(now() / 1000);
      const assertion = await new SignJWT({ scope: o.scope })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(o.key.client_email)
        .setSubject(o.subject)
        .setAudience(tokenEndpoint)
        .setIssuedAt(iat)
        .setExpirationTime(iat + 3600)
        .sign(key);
      const tokens = await oidc.genericGrantRequest(config, JWT_BEARER, { assertion, scope: o.scope }).catch((err: unknown) => {
        throw toGrantError(err, o.account, 'the service account token request');
      });
      o.onSecret?.(tokens.access_token);
      cached = { token: tokens.access_token, expiresAt: now() + (tokens.expiresIn() ?? 3600) * 1000 };
      return cached.token;
    },
  };
}
