/**
 * What nodemailer's SMTPConnection.login() takes for a token login. Its XOAUTH2 code asks an
 * `oauth2` object for the token (`getToken(isRetry, cb)`) and, when the server answers the
 * first token with a 334 error challenge, asks again with `isRetry` true before giving up: we
 * map that to one forced refresh, so an access token that expired early costs one retry, not
 * the send. No token HTTP happens here; the source does it.
 */
import type { AccessTokenSource } from './token-source.ts';

/** The duck-typed generator nodemailer calls. */
export interface NodemailerTokenGenerator {
  options: { user: string };
  getToken(isRetry: boolean, callback: (err: Error | null, token?: string) => void): void;
  buildXOAuth2Token(accessToken: string): string;
}

/**
 * SMTPConnection.login() credentials for a token login. The first token is taken here, before
 * nodemailer sees the source: nodemailer rewrites an error from getToken() into its own EAUTH,
 * which would turn a missing or revoked grant (EGRANT, a configuration error) into a refused login.
 */
export async function smtpTokenLogin(
  user: string,
  tokens: AccessTokenSource,
): Promise<{ user: string; method: 'XOAUTH2'; oauth2: NodemailerTokenGenerator }> {
  let first: string | undefined = await tokens.accessToken();
  const oauth2: NodemailerTokenGenerator = {
    options: { user },
    getToken(isRetry, callback) {
      if (!isRetry && first !== undefined) {
        const token = first;
        first = undefined;
        callback(null, token);
        return;
      }
      tokens.accessToken(isRetry ? { forceRefresh: true } : {}).then(
        (token) => callback(null, token),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
    // SASL XOAUTH2 initial response: user=<user>^Aauth=Bearer <token>^A^A
    buildXOAuth2Token(accessToken) {
      return Buffer.from(`user=${user}\x01auth=Bearer ${accessToken}\x01\x01`, 'utf8').toString('base64');
    },
  };
  return { user, method: 'XOAUTH2', oauth2 };
}
