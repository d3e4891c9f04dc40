/**
 * A job's OAuth 2 app: its provider's endpoints (preset, overridden by repos.env) and its
 * client, as an openid-client Configuration. Shared by login and logout.
 */
import { oauthConfiguration } from '@jobs/mail/auth/oauth-client';
import { type ProviderEndpoints, providerEndpoints } from '@jobs/mail/auth/provider-endpoints';
import { type ProviderPreset, providerPreset } from '@jobs/mail/providers';
import type * as oidc from 'openid-client';
import { JOBS, type JobName, type MailboxKeys, oauthSettings } from './config.ts';
import { MailboxError } from './errors.ts';

/** The job's provider, endpoints, client and mail user. */
export interface OAuthApp {
  readonly preset: ProviderPreset;
  readonly endpoints: ProviderEndpoints;
  readonly config: oidc.Configuration;
  readonly clientId: string;
  readonly user: string;
}

/** Builds the job's OAuth app; ECONFIG naming the missing key. */
export function oauthApp(values: MailboxKeys, job: JobName, fetchImpl?: typeof fetch): OAuthApp {
  const prefix = JOBS[job].imap;
  const preset = providerPreset(String(values[`${prefix}PROVIDER`] ?? 'generic'), `${prefix}PROVIDER`);
  if (preset.oauth === undefined) {
    throw new MailboxError('ECONFIG', `${preset.label} takes no OAuth 2 login from this suite: use an app password in ${prefix}PASSWORD with ${prefix}AUTH=password`);
  }
  const o = oauthSettings(values, job);
  if (o.clientId === undefined) {
    throw new MailboxError('ECONFIG', `${prefix}OAUTH_CLIENT_ID is not set: register an app with ${preset.label} (see docs/providers) and put its client id there`);
  }
  const user = values[`${prefix}USER`];
  if (typeof user !== 'string') throw new MailboxError('ECONFIG', `${prefix}USER is not set: the mailbox address to log in as`);
  const endpoints = providerEndpoints(preset.oauth, o, prefix);
  const config = oauthConfiguration({
    issuer: o.issuer ?? endpoints.issuer,
    tokenEndpoint: endpoints.tokenEndpoint,
    authorizationEndpoint: endpoints.authorizationEndpoint,
    deviceAuthorizationEndpoint: endpoints.deviceAuthorizationEndpoint,
    revocationEndpoint: endpoints.revocationEndpoint,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    // Google's installed apps send their (not really secret) secret in the body.
    clientAuth: preset.oauth === 'google' && o.clientSecret !== undefined ? 'post' : undefined,
    fetch: fetchImpl,
  });
  return { preset, endpoints, config, clientId: o.clientId, user };
}
