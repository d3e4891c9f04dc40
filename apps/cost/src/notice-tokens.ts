/**
 * The OAuth 2 token source of the budget notice, which goes through the digest's SMTP login:
 * the digest's Workspace service account (IMAP_OAUTH_SERVICE_ACCOUNT_FILE: JWT bearer for
 * SMTP_USER, no grant, no person), else the digest's stored grant (`pnpm mailbox login digest`);
 * none for a password or no login. A missing, loose or malformed key file is a MailError ECONFIG.
 */
import { dirname } from 'node:path';
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { createGrantTokenSource } from '@jobs/mail/auth/grant-token-source';
import { serviceAccountFileTokenSource } from '@jobs/mail/auth/service-account-file';
import type { AccessTokenSource } from '@jobs/mail/auth/token-source';
import { type NotifyConfig, notifyUsesOAuth } from './config.ts';

/** Tokens for the notice's SMTP login, or undefined when it logs in with a password or not at all. */
export async function noticeTokens(config: NotifyConfig, o: { envFile: string; stateDir: string; now?: () => number }): Promise<AccessTokenSource | undefined> {
  if (!notifyUsesOAuth(config) || config.SMTP_USER === undefined) return undefined;
  if (config.IMAP_OAUTH_SERVICE_ACCOUNT_FILE !== undefined) {
    return serviceAccountFileTokenSource({
      path: config.IMAP_OAUTH_SERVICE_ACCOUNT_FILE,
      baseDir: dirname(o.envFile),
      keyName: 'IMAP_OAUTH_SERVICE_ACCOUNT_FILE',
      scope: config.IMAP_OAUTH_SCOPE,
      subject: config.SMTP_USER,
      account: 'digest',
      ...(o.now ? { now: o.now } : {}),
    });
  }
  return createGrantTokenSource({ store: createGrantStore({ stateDir: o.stateDir }), account: 'digest', client: { clientSecret: config.IMAP_OAUTH_CLIENT_SECRET } });
}
