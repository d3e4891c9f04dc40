/**
 * The token-endpoint side of a grant, on openid-client (no hand-written token requests):
 * one Configuration per provider endpoints and client, and the normalisation of its errors.
 * `invalid_grant` (the refresh token was revoked, expired, or already spent) becomes EGRANT
 * naming the mailbox and the login command; network failures and 5xx stay retryable.
 * Plain http is allowed for loopback endpoints only (the tests' authorization server).
 */
import * as oidc from 'openid-client';
import { MailError } from '../errors.ts';
import { loginHint } from './grant.ts';

/** Endpoints and client of one provider app. */
export interface OAuthClientOptions {
  /** Issuer identifier (Google: https://accounts.google.com). Default: the token endpoint's origin. */
  readonly issuer?: string | undefined;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint?: string | undefined;
  readonly deviceAuthorizationEndpoint?: string | undefined;
  readonly revocationEndpoint?: string | undefined;
  readonly clientId: string;
  /** Absent for a public client (Microsoft device code, most installed apps). */
  readonly clientSecret?: string | undefined;
  /** How the secret is sent. Default `basic` with a secret, `none` without. Google wants `post`. */
  readonly clientAuth?: 'basic' | 'post' | 'none' | undefined;
  /** Injected fetch (tests); default global fetch. */
  readonly fetch?: typeof fetch | undefined;
}

function loopback(url: URL): boolean {
  return url.hostname === '127.0.0.1' || url.hostname === '[::1]' || url.hostname === 'localhost';
}

function endpoint(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MailError('ECONFIG', `OAuth ${name} is not a URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback(url))) {
    throw new MailError('ECONFIG', `OAuth ${name} must be https (http only on loopback), got ${url.origin}`);
  }
  return url.href;
}

/** The openid-client Configuration for these endpoints and this client. */
export function oauthConfiguration(o: OAuthClientOptions): oidc.Configuration {
  const token = endpoint('token endpoint', o.tokenEndpoint)!;
  const server: oidc.ServerMetadata = {
    issuer: o.issuer ?? new URL(token).origin,
    token_endpoint: token,
  };
  const extra = {
    authorization_endpoint: endpoint('authorization endpoint', o.authorizationEndpoint),
    device_authorization_endpoint: endpoint('device authorization endpoint', o.deviceAuthorizationEndpoint),
    revocation_endpoint: endpoint('revocation endpoint', o.revocationEndpoint),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (server as Record<string, unknown>)[k] = v;
  const method = o.clientAuth ?? (o.clientSecret === undefined ? 'none' : 'basic');
  const auth =
    method === 'none' ? oidc.None() : method === 'post' ? oidc.ClientSecretPost(o.clientSecret ?? '') : oidc.ClientSecretBasic(o.clientSecret ?? '');
  const config = new oidc.Configuration(server, o.clientId, undefined, auth);
  if (new URL(token).protocol === 'http:') oidc.allowInsecureRequests(config);
  if (o.fetch !== undefined) config[oidc.customFetch] = o.fetch as never;
  return config;
}

/** Turns an openid-client failure into a MailError (EGRANT for a refused grant). */
export function toGrantError(err: unknown, account: string, what: string): MailError {
  if (err instanceof MailError) return err;
  const e = err as { error?: unknown; status?: unknown; code?: unknown };
  if (err instanceof oidc.ResponseBodyError && (e.error === 'invalid_grant' || e.error === 'unauthorized_client')) {
    return new MailError('EGRANT', `the OAuth 2 grant of the ${account} mailbox was refused (${String(e.error)}: revoked or expired): ${loginHint(account)}`, {
      account,
      // what tells a refused grant (isRefusedGrant) from one that is missing or unreadable
      originalCode: String(e.error),
      cause: err,
    });
  }
  if (err instanceof oidc.ResponseBodyError && e.error === 'invalid_client') {
    return new MailError('ECONFIG', `the token endpoint refused the client id or secret of the ${account} mailbox: check its OAuth keys in repos.env`, {
      account,
      cause: err,
    });
  }
  const status = typeof e.status === 'number' ? e.status : undefined;
  const temp = status === undefined || status >= 500 || status === 429;
  return new MailError(temp ? 'ECONNECTION' : 'EGRANT', `${what} for the ${account} mailbox failed${status ? ` (HTTP ${status})` : ''}`, {
    account,
    cause: err,
    ...(status === undefined ? {} : { responseCode: status }),
  });
}
