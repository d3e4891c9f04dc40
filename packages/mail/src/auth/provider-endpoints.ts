/**
 * The OAuth 2 endpoints and scopes of each kind of provider. Google: the installed-app flow
 * (authorization code + PKCE, loopback redirect) and `https://mail.google.com/`, the one scope
 * Gmail's IMAP and SMTP take. Microsoft: the v2.0 endpoints of a tenant (`organizations`,
 * `consumers`, `common` or a tenant id), the device-code flow, and the IMAP and SMTP scopes of
 * outlook.office.com with offline_access; Microsoft has no revocation endpoint for them.
 * Generic: whatever repos.env says.
 */
import { MailError } from '../errors.ts';
import type { OAuthKind } from '../providers/presets.ts';

/** Endpoints and scope of one provider app. */
export interface ProviderEndpoints {
  readonly issuer: string | undefined;
  readonly authorizationEndpoint: string | undefined;
  readonly tokenEndpoint: string;
  readonly deviceAuthorizationEndpoint: string | undefined;
  readonly revocationEndpoint: string | undefined;
  readonly scope: string;
  /** How `mailbox login` gets the first grant. */
  readonly flow: 'pkce' | 'device';
}

/** What repos.env may override or must give (generic). */
export interface EndpointOverrides {
  readonly tenant?: string | undefined;
  readonly tokenUrl?: string | undefined;
  readonly authUrl?: string | undefined;
  readonly deviceUrl?: string | undefined;
  readonly revokeUrl?: string | undefined;
  readonly scope?: string | undefined;
}

/** Google's scope for IMAP and SMTP (full mail access; Gmail takes no narrower one for IMAP). */
export const GOOGLE_MAIL_SCOPE = 'https://mail.google.com/';
/** Microsoft's scopes for IMAP and SMTP AUTH, plus a refresh token. */
export const MICROSOFT_MAIL_SCOPE = 'https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send offline_access';

/** The endpoints for `kind`, overrides applied. */
export function providerEndpoints(kind: OAuthKind, o: EndpointOverrides = {}, keyPrefix = 'IMAP_'): ProviderEndpoints {
  if (kind === 'google') {
    return {
      issuer: 'https://accounts.google.com',
      authorizationEndpoint: o.authUrl ?? 'https://accounts.google.com/o/oauth2/v2/auth',
      tokenEndpoint: o.tokenUrl ?? 'https://oauth2.googleapis.com/token',
      deviceAuthorizationEndpoint: undefined,
      revocationEndpoint: o.revokeUrl ?? 'https://oauth2.googleapis.com/revoke',
      scope: o.scope ?? GOOGLE_MAIL_SCOPE,
      flow: o.deviceUrl === undefined ? 'pkce' : 'device',
    };
  }
  if (kind === 'microsoft') {
    const tenant = o.tenant ?? 'organizations';
    if (!/^[A-Za-z0-9.-]{1,100}$/.test(tenant)) {
      throw new MailError('ECONFIG', `${keyPrefix}OAUTH_TENANT must be a tenant id, a domain, organizations, consumers or common, got ${JSON.stringify(tenant)}`);
    }
    const base = `https://login.microsoftonline.com/${tenant}`;
    return {
      issuer: `${base}/v2.0`,
      authorizationEndpoint: o.authUrl ?? `${base}/oauth2/v2.0/authorize`,
      tokenEndpoint: o.tokenUrl ?? `${base}/oauth2/v2.0/token`,
      deviceAuthorizationEndpoint: o.deviceUrl ?? `${base}/oauth2/v2.0/devicecode`,
      revocationEndpoint: o.revokeUrl,
      scope: o.scope ?? MICROSOFT_MAIL_SCOPE,
      flow: 'device',
    };
  }
  if (o.tokenUrl === undefined) {
    throw new MailError('ECONFIG', `${keyPrefix}OAUTH_TOKEN_URL is required for a generic OAuth 2 provider`);
  }
  if (o.authUrl === undefined && o.deviceUrl === undefined) {
    throw new MailError('ECONFIG', `a generic OAuth 2 provider needs ${keyPrefix}OAUTH_DEVICE_URL (device code) or ${keyPrefix}OAUTH_AUTH_URL (browser login)`);
  }
  return {
    issuer: undefined,
    authorizationEndpoint: o.authUrl,
    tokenEndpoint: o.tokenUrl,
    deviceAuthorizationEndpoint: o.deviceUrl,
    revocationEndpoint: o.revokeUrl,
    scope: o.scope ?? 'offline_access',
    flow: o.deviceUrl !== undefined ? 'device' : 'pkce',
  };
}
