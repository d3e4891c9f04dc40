/**
 * Options of startOAuthServer() and the oidc-provider configuration built from them.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Configuration } from 'oidc-provider';
import { TestkitError } from '../errors.ts';
import type { OAuthStore } from './oauth-adapter.ts';
import type { ServiceAccount } from './oauth-jwt-bearer.ts';

/** Options of startOAuthServer(). Every field is optional. */
export interface OAuthServerOptions {
  /** The account sign-in approves and seedGrant() uses. Default `test`. */
  user?: string;
  /** Client id of the mailbox CLI. Default `mailbox-cli`. */
  clientId?: string;
  /** Access-token lifetime. Default 3600 s. */
  accessTokenTtlSeconds?: number;
  /** Refresh-token lifetime. Default 14 days. */
  refreshTokenTtlSeconds?: number;
  /** Rotate refresh tokens on every use (Microsoft's habit). Default true; false keeps one for life (Google's). */
  rotateRefreshTokens?: boolean;
  /** Scopes the server knows. Default imap smtp offline_access. */
  scopes?: readonly string[];
  /** Wait before answering each token request (makes two concurrent refreshes overlap). Default 0. */
  tokenDelayMs?: number;
  /** Listen address, loopback only. Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
}

/** What the server file hands the config builder. */
export interface ConfigContext {
  client: { id: string; secret: string };
  resourceServer: { id: string; secret: string };
  store: OAuthStore;
  accounts: Map<string, ServiceAccount>;
}

/** JWT bearer grant type (RFC 7523), used by Google service accounts. */
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** Client id service-account assertions are sent under. */
export const SERVICE_CLIENT_ID = 'service-account';
const DEVICE_CODE = 'urn:ietf:params:oauth:grant-type:device_code';

function seconds(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value <= 0) {
    throw new TestkitError('ECONFIG', `startOAuthServer: option ${name} must be a positive integer, got ${value}`, {
      option: name,
    });
  }
  return value;
}

function page(ctx: { body: unknown }, inner: string): void {
  ctx.body = `<!DOCTYPE html><html><body>${inner}</body></html>`;
}

/** The oidc-provider configuration (plus the scope list). */
export function buildProviderConfig(o: OAuthServerOptions, c: ConfigContext): Configuration & { scopes: string[] } {
  const accessTtl = seconds('accessTokenTtlSeconds', o.accessTokenTtlSeconds, 3600);
  const refreshTtl = seconds('refreshTokenTtlSeconds', o.refreshTokenTtlSeconds, 14 * 86_400);
  const rotate = o.rotateRefreshTokens ?? true;
  const scopes = [...(o.scopes ?? ['imap', 'smtp', 'offline_access'])];
  return {
    adapter: c.store.adapterClass() as unknown as Configuration['adapter'],
    clients: [
      {
        client_id: c.client.id,
        client_secret: c.client.secret,
        application_type: 'native',
        // Loopback redirects match on any port (RFC 8252 §7.3), as Google's installed apps do.
        redirect_uris: ['http://127.0.0.1/'],
        response_types: ['code'],
        grant_types: ['authorization_code', 'refresh_token', DEVICE_CODE, JWT_BEARER],
        token_endpoint_auth_method: 'client_secret_basic',
      },
      {
        // Service accounts authenticate with their signed assertion, not a client secret.
        client_id: SERVICE_CLIENT_ID,
        application_type: 'native',
        redirect_uris: [],
        response_types: [],
        grant_types: [JWT_BEARER],
        token_endpoint_auth_method: 'none',
      },
      {
        client_id: c.resourceServer.id,
        client_secret: c.resourceServer.secret,
        redirect_uris: [],
        response_types: [],
        grant_types: [],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    scopes,
    // A fresh signing key per server (ID tokens are not used, but the provider wants one of its own).
    jwks: { keys: [{ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' }] },
    cookies: { keys: [randomBytes(24).toString('base64url')] },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        userCodeInputSource: async (ctx, form) => page(ctx, form),
        userCodeConfirmSource: async (ctx, form) => page(ctx, form),
        successSource: async (ctx) => page(ctx, '<p>Sign-in Success</p>'),
      },
      // Only the resource-server client (dovecot, the SMTP harness) and the token's own client may ask.
      introspection: {
        enabled: true,
        allowedPolicy: async (_ctx, client, token) => client.clientId === c.resourceServer.id || token.clientId === client.clientId,
      },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
    },
    ttl: {
      AccessToken: accessTtl,
      RefreshToken: refreshTtl,
      AuthorizationCode: 60,
      DeviceCode: 600,
      Grant: refreshTtl,
      Interaction: 600,
      Session: 3600,
    },
    rotateRefreshToken: () => rotate,
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ sub }) }),
    interactions: { url: async (_ctx, interaction) => `/interaction/${interaction.uid}` },
  };
}
