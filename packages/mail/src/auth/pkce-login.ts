/**
 * The installed-app flow Google wants: authorization code with PKCE (S256) and a loopback
 * redirect (`http://127.0.0.1:PORT/`, any free port). The browser brings the code back to a
 * one-request server; on a headless VM, whose loopback no browser can reach, the person pastes
 * the URL the browser ended on instead. Either way the `state` must be this login's: a
 * different one is refused (it belongs to another login, or to someone else).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import { MailError } from '../errors.ts';
import { toGrantError } from './oauth-client.ts';

type Tokens = oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers;

/** A login in progress. */
export interface PkceLogin {
  /** The URL the person opens. */
  readonly url: string;
  readonly redirectUri: string;
  /** Resolves with the URL the browser was redirected to (this login's state only). */
  waitForRedirect(): Promise<string>;
  /** Checks `redirectUrl`'s state and trades its code for tokens. */
  complete(redirectUrl: string): Promise<Tokens>;
  close(): Promise<void>;
}

const PAGE = '<!DOCTYPE html><html><body><p>Mailbox login received. You can close this window.</p></body></html>';

/** Starts a login: listens on a free loopback port and builds the authorization URL. */
export async function startPkceLogin(
  config: oidc.Configuration,
  o: { scope: string; account: string; extraParams?: Record<string, string> },
): Promise<PkceLogin> {
  const verifier = oidc.randomPKCECodeVerifier();
  const challenge = await oidc.calculatePKCECodeChallenge(verifier);
  const state = oidc.randomState();
  let arrived: (url: string) => void = () => {};
  const redirect = new Promise<string>((resolve) => {
    arrived = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', redirectUri);
    if (url.searchParams.get('state') !== state) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('This is not the login this command started.\n');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    arrived(url.href);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const redirectUri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope: o.scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...o.extraParams,
  });
  return {
    url: url.href,
    redirectUri,
    waitForRedirect: () => redirect,
    async complete(redirectUrl) {
      let back: URL;
      try {
        back = new URL(redirectUrl.trim());
      } catch {
        throw new MailError('EGRANT', 'the pasted text is not a URL: paste the whole address the browser ended on', { account: o.account });
      }
      if (back.searchParams.get('state') !== state) {
        throw new MailError('EGRANT', 'the pasted URL belongs to another login (its state differs): paste the address from this login', { account: o.account });
      }
      return oidc.authorizationCodeGrant(config, back, { pkceCodeVerifier: verifier, expectedState: state }).catch((err: unknown) => {
        throw toGrantError(err, o.account, 'trading the login code for tokens');
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
