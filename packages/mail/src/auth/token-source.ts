/**
 * Where a mail client gets its OAuth 2 access token. The IMAP connection asks at each connect
 * and reconnect, the SMTP sender at each session: a fresh token is taken every time, never one
 * kept from the start of the run. `forceRefresh` is asked once after the server refused the
 * token it was just given (it expired early, or was revoked and replaced).
 */

/** Gives an access token for one mailbox. */
export interface AccessTokenSource {
  /** A token valid for a while; with `forceRefresh` a new one from the token endpoint. */
  accessToken(options?: { forceRefresh?: boolean }): Promise<string>;
}

/** SASL mechanism for a token login. XOAUTH2 is what Gmail and Microsoft 365 take; OAUTHBEARER is RFC 7628. */
export type TokenMechanism = 'XOAUTH2' | 'OAUTHBEARER';

/** How a mail client logs in: a password, or an access token from a source. */
export type MailLogin =
  | { readonly user: string; readonly password: string }
  | { readonly user: string; readonly tokens: AccessTokenSource; readonly mechanism?: TokenMechanism };

/** True for a token login. */
export function isTokenLogin(login: MailLogin): login is Extract<MailLogin, { tokens: AccessTokenSource }> {
  return 'tokens' in login;
}

/** A source that always gives the same token (tests, and a token passed in by hand). */
export function fixedTokenSource(token: string): AccessTokenSource {
  return { accessToken: async () => token };
}
