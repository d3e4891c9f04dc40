/**
 * An AccessTokenSource over a stored grant. The access token is refreshed ahead of its expiry
 * (default 5 min before), under the grant's cross-process lock: a second job that waited on
 * the lock reads the token the first one saved instead of spending the same refresh token
 * again, which a rotating provider answers with invalid_grant and the loss of the grant.
 *
 * A crash between receiving a rotated refresh token and saving it: the grant file keeps the
 * old one (it is replaced atomically, never half-written). With a provider that revokes a
 * spent refresh token, the next refresh is invalid_grant, an EGRANT saying to log in again;
 * with one that keeps it valid (Google, Microsoft within its lifetime) the next run simply
 * refreshes again. The window is the time between the token endpoint's answer and one fsync.
 */
import * as oidc from 'openid-client';
import { MailError } from '../errors.ts';
import type { GrantStore } from './grant-store.ts';
import type { StoredGrant } from './grant.ts';
import { type OAuthClientOptions, oauthConfiguration, toGrantError } from './oauth-client.ts';
import type { AccessTokenSource } from './token-source.ts';

/** Options of createGrantTokenSource(). */
export interface GrantTokenSourceOptions {
  readonly store: GrantStore;
  readonly account: string;
  /** The client secret and anything else the grant file does not hold. */
  readonly client?: Partial<Pick<OAuthClientOptions, 'clientSecret' | 'clientAuth' | 'fetch' | 'issuer'>>;
  /** Refresh this long before expiry. Default 300 000 (5 min). */
  readonly refreshAheadMs?: number;
  /** Told every token value it handles, for the redactor. */
  readonly onSecret?: (secret: string) => void;
  readonly now?: () => number;
}

/** A token source that refreshes and saves the grant of `account`. */
export function createGrantTokenSource(o: GrantTokenSourceOptions): AccessTokenSource & { refreshes(): number } {
  const now = o.now ?? Date.now;
  const ahead = o.refreshAheadMs ?? 300_000;
  const secret = (v: string | undefined): void => {
    if (v !== undefined) o.onSecret?.(v);
  };
  let last: string | undefined;
  let refreshes = 0;
  const usable = (g: StoredGrant): boolean =>
    g.accessToken !== undefined && g.expiresAt !== undefined && g.expiresAt - now() > ahead;

  const refresh = async (grant: StoredGrant): Promise<StoredGrant> => {
    if (grant.refreshToken === undefined) {
      throw new MailError('EGRANT', `the grant of the ${o.account} mailbox has no refresh token: run \`pnpm mailbox login ${o.account}\``, { account: o.account });
    }
    const config = oauthConfiguration({ tokenEndpoint: grant.tokenEndpoint, clientId: grant.clientId, ...o.client });
    const tokens = await oidc.refreshTokenGrant(config, grant.refreshToken).catch((err: unknown) => {
      throw toGrantError(err, o.account, 'refreshing the access token');
    });
    refreshes++;
    secret(tokens.access_token);
    secret(tokens.refresh_token);
    const expiresIn = tokens.expiresIn();
    const next: StoredGrant = {
      ...grant,
      accessToken: tokens.access_token,
      // A provider that does not rotate sends no refresh_token: the old one stays.
      refreshToken: tokens.refresh_token ?? grant.refreshToken,
      expiresAt: now() + (expiresIn ?? 3600) * 1000,
      updatedAt: new Date(now()).toISOString(),
    };
    await o.store.write(next);
    return next;
  };

  return {
    refreshes: () => refreshes,
    async accessToken(options = {}) {
      const token = await o.store.withLock(o.account, async () => {
        const grant = await o.store.require(o.account);
        secret(grant.refreshToken);
        secret(grant.accessToken);
        // Forced: refresh unless another process already replaced the token we were refused.
        const stale = options.forceRefresh === true && grant.accessToken === last;
        if (!stale && usable(grant)) return grant.accessToken!;
        return (await refresh(grant)).accessToken!;
      });
      last = token;
      return token;
    },
  };
}
