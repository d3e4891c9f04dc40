/**
 * A real OAuth 2 authorization server for tests: oidc-provider (the certified OpenID provider
 * for Node) on a free loopback port, in memory, with the grants a mailbox login uses:
 * authorization code with PKCE, device code (RFC 8628), refresh tokens rotated on every use
 * (a reused one revokes the whole grant, as Microsoft and oidc-provider do), token
 * introspection (RFC 7662) for dovecot and the SMTP harness, and revocation (RFC 7009).
 * Access tokens are opaque and live `accessTokenTtlSeconds`; `expireAccessTokens()` ends them
 * at once. Interactions (sign-in and consent) are approved for `user` by the server itself;
 * the test plays the person's browser with `approveDevice()` / `approveAuthorization()`.
 *
 * @example
 * await using as = await startOAuthServer({ accessTokenTtlSeconds: 60 });
 * const tokens = await as.seedGrant();   // a refresh token as if someone had logged in
 * // dovecot: startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } })
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import Provider from 'oidc-provider';
import { TestkitError } from './errors.ts';
import { OAuthStore } from './internal/oauth-adapter.ts';
import { OAuthBrowser } from './internal/oauth-browser.ts';
import { handleInteraction } from './internal/oauth-interaction.ts';
import { registerJwtBearer, type ServiceAccount } from './internal/oauth-jwt-bearer.ts';
import { buildProviderConfig, SERVICE_CLIENT_ID, type OAuthServerOptions } from './internal/oauth-options.ts';
import { seedGrant } from './internal/oauth-seed.ts';

export type { OAuthServerOptions } from './internal/oauth-options.ts';
export type { ServiceAccount } from './internal/oauth-jwt-bearer.ts';
export { OAuthBrowser } from './internal/oauth-browser.ts';

/** A token-endpoint outcome, in order (for counting refreshes and failures). */
export interface TokenEvent {
  grantType: string;
  ok: boolean;
  error?: string;
}

/** Tokens handed out by seedGrant(). */
export interface SeededTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

/** A running authorization server. */
export interface OAuthServer {
  /** `http://127.0.0.1:PORT` (also the issuer). */
  readonly url: string;
  readonly tokenEndpoint: string;
  readonly authorizationEndpoint: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly revocationEndpoint: string;
  readonly introspectionEndpoint: string;
  /** The introspection endpoint with the resource-server client's credentials in it (dovecot's form). */
  readonly introspectionUrl: string;
  /** The client the mailbox CLI uses (confidential: secret_post/basic; PKCE still required). */
  readonly client: { id: string; secret: string };
  /** Client id a service account's JWT-bearer request is sent under (no secret). */
  readonly serviceClientId: string;
  /** Resource server (dovecot, SMTP harness) credentials for introspection. */
  readonly resourceServer: { id: string; secret: string };
  /** The account interactions approve. */
  readonly user: string;
  /** Token-endpoint outcomes so far. */
  readonly tokenEvents: TokenEvent[];
  /** Introspection calls answered (by anyone) so far, with their verdict. */
  readonly introspections: { active: boolean }[];
  /** Raw rows of the in-memory store (for assertions). */
  readonly store: OAuthStore;
  /** A grant and its tokens for `user` as if they had logged in (for tests that skip the flow). */
  seedGrant(opts?: { user?: string; scope?: string }): Promise<SeededTokens>;
  /** Ends every access token (of one user) now; returns how many. */
  expireAccessTokens(user?: string): number;
  /** Revokes every token of every grant (a user who removed the app's access). */
  revokeAll(): Promise<void>;
  /** Plays the person: opens the verification URL, enters `userCode`, confirms. */
  approveDevice(userCode: string): Promise<OAuthBrowser>;
  /**
   * Plays the person: opens the authorization URL and follows redirects, loopback redirect
   * included; with `stopAt`, stops before opening a URL that starts with it (the address a
   * person on a headless VM copies from the browser's bar) and returns it unopened.
   */
  approveAuthorization(url: string, opts?: { stopAt?: string }): Promise<{ url: string; status: number; body: string; browser: OAuthBrowser }>;
  /** RFC 7662 verdict for a token, as the resource-server client sees it. */
  introspect(token: string): Promise<Record<string, unknown>>;
  /** Registers a service account allowed the JWT-bearer grant (domain-wide delegation). */
  addServiceAccount(account: ServiceAccount): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<OAuthServer> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    throw new TestkitError('ECONFIG', `startOAuthServer: option host must be loopback, got ${JSON.stringify(host)}`, {
      option: 'host',
    });
  }
  const user = options.user ?? 'test';
  const client = { id: options.clientId ?? 'mailbox-cli', secret: `cs-${randomBytes(12).toString('base64url')}` };
  const resourceServer = { id: 'mail-server', secret: `rs-${randomBytes(12).toString('base64url')}` };
  const store = new OAuthStore();
  const sockets = new Set<Socket>();
  const http = createServer();
  http.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = http.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  const accounts = new Map<string, ServiceAccount>();
  const config = buildProviderConfig(options, { client, resourceServer, store, accounts });
  const provider = new Provider(url, config);
  const tokenEvents: TokenEvent[] = [];
  const introspections: { active: boolean }[] = [];
  provider.on('grant.success', (ctx) => tokenEvents.push({ grantType: String(ctx.oidc.params?.grant_type), ok: true }));
  provider.on('grant.error', (ctx, err) =>
    tokenEvents.push({ grantType: String(ctx.oidc.params?.grant_type), ok: false, error: String((err as { error?: string }).error) }),
  );
  registerJwtBearer(provider, accounts);
  provider.use(async (ctx, next) => {
    if (ctx.path === '/token' && (options.tokenDelayMs ?? 0) > 0) await new Promise((r) => setTimeout(r, options.tokenDelayMs));
    await next();
    if (ctx.path === '/token/introspection' && ctx.status === 200) {
      introspections.push({ active: (ctx.body as { active?: boolean }).active === true });
    }
  });
  const callback = provider.callback();
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/interaction/')) {
      handleInteraction(provider, req, res, user).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    callback(req, res);
  });

  const introspect = async (token: string): Promise<Record<string, unknown>> => {
    const basic = Buffer.from(`${resourceServer.id}:${resourceServer.secret}`).toString('base64');
    const res = await fetch(`${url}/token/introspection`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }),
    });
    return (await res.json()) as Record<string, unknown>;
  };

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      http.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    return closed;
  };
  return {
    url,
    tokenEndpoint: `${url}/token`,
    authorizationEndpoint: `${url}/auth`,
    deviceAuthorizationEndpoint: `${url}/device/auth`,
    revocationEndpoint: `${url}/token/revocation`,
    introspectionEndpoint: `${url}/token/introspection`,
    introspectionUrl: `http://${resourceServer.id}:${resourceServer.secret}@${host}:${port}/token/introspection`,
    client,
    serviceClientId: SERVICE_CLIENT_ID,
    resourceServer,
    user,
    tokenEvents,
    introspections,
    store,
    seedGrant: (opts = {}) => seedGrant(provider, { clientId: client.id, user: opts.user ?? user, scope: opts.scope ?? config.scopes.join(' ') }),
    expireAccessTokens: (who) => store.expireAccessTokens(who),
    revokeAll: async () => {
      for (const grant of store.list('Grant')) await provider.Grant.adapter.revokeByGrantId(String(grant.jti));
      for (const [key] of store.rows) if (key.startsWith('Grant:')) store.rows.delete(key);
    },
    approveDevice: async (userCode) => {
      const browser = new OAuthBrowser();
      const entry = await browser.open(`${url}/device?user_code=${encodeURIComponent(userCode)}`);
      const confirm = await browser.submit(entry);
      const done = await browser.submit(confirm, { confirm: 'yes' });
      if (done.status !== 200 || !/success/i.test(done.body)) {
        throw new TestkitError('ECONFIG', `approveDevice: the server did not accept ${userCode}: ${done.body.slice(0, 300)}`);
      }
      return browser;
    },
    approveAuthorization: async (authUrl, opts = {}) => {
      const browser = new OAuthBrowser();
      return { ...(await browser.open(authUrl, undefined, 20, opts.stopAt)), browser };
    },
    introspect,
    addServiceAccount: (account) => accounts.set(account.clientEmail, account),
    close,
    [Symbol.asyncDispose]: close,
  };
}
