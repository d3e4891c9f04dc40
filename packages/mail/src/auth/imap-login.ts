/**
 * The `auth` option of one ImapFlow client, built at each connect: a password, or an access
 * token asked of the source just then (so a reconnect an hour into a run logs in with a
 * token that is valid now, not the one the run started with).
 */
import { MailError } from '../errors.ts';
import type { AccessTokenSource, TokenMechanism } from './token-source.ts';

/** What ImapFlow takes as `auth`. */
export type ImapFlowAuth =
  | { user: string; pass: string }
  | { user: string; accessToken: string; loginMethod?: TokenMechanism };

/** The login part of the IMAP options. */
export interface ImapLoginOptions {
  readonly user: string;
  readonly password?: string | undefined;
  readonly tokens?: AccessTokenSource | undefined;
  readonly tokenMechanism?: TokenMechanism | undefined;
}

/** Checks that exactly one way in is given. */
export function checkImapLogin(o: ImapLoginOptions): void {
  const hasPassword = typeof o.password === 'string' && o.password.length > 0;
  const hasTokens = o.tokens !== undefined;
  if (hasPassword === hasTokens) {
    throw new MailError('ECONFIG', 'IMAP options: give either password or tokens (an OAuth 2 access-token source), not both or neither');
  }
  if (hasTokens && typeof o.tokens?.accessToken !== 'function') {
    throw new MailError('ECONFIG', 'IMAP option tokens must have an accessToken() method');
  }
}

/** ImapFlow's `auth` for the next connect. */
export async function imapFlowAuth(o: ImapLoginOptions, forceRefresh = false): Promise<ImapFlowAuth> {
  if (o.tokens === undefined) return { user: o.user, pass: o.password ?? '' };
  const accessToken = await o.tokens.accessToken(forceRefresh ? { forceRefresh: true } : {});
  // imapflow picks XOAUTH2 unless told; OAUTHBEARER only when the caller asks for it.
  return { user: o.user, accessToken, ...(o.tokenMechanism === 'OAUTHBEARER' ? { loginMethod: 'OAUTHBEARER' } : {}) };
}
