/**
 * The repos.env keys of `cost check --notify` (and nothing else of this app reads repos.env).
 * The SMTP_* keys are the ones every job that sends mail uses; COST_ALERT_* are this job's own.
 */
import * as z from 'zod';


/** repos.env keys for the budget notice. */
export const notifySchema = z
  .object({
    /** The SMTP server's host name. */
    SMTP_HOST: z.string().min(1),
    /** Default 465 with SMTP_TLS=tls, else 587. */
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /**
     * `tls` (implicit, 465), `starttls` (required), `none` (loopback test servers only): the
     * same key and values as the digest's, so one SMTP block in repos.env serves both.
     */
    SMTP_TLS: z.enum(['tls', 'starttls', 'none']).default('starttls'),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASSWORD: z.string().min(1).optional(),
    /** password, or oauth2: AUTH XOAUTH2 with the digest's grant (`pnpm mailbox login digest`). */
    SMTP_AUTH: z.enum(['password', 'oauth2']).optional(),
    /** The digest's OAuth client secret, for refreshing that grant. */
    IMAP_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
    /**
     * The digest's Workspace service account key file: with it the notice is sent with a token
     * for SMTP_USER from the service account (JWT bearer), no grant. Relative to repos.env's folder; mode 0600.
     */
    IMAP_OAUTH_SERVICE_ACCOUNT_FILE: z.string().min(1).optional().meta({ secret: false }),
    /** Scope asked with the service account. Default https://mail.google.com/. */
    IMAP_OAUTH_SCOPE: z.string().min(1).optional().meta({ secret: false }),
    /** Who gets the notice (the owner). */
    COST_ALERT_TO: z.email(),
    /** Its sender. Default: COST_ALERT_TO. */
    COST_ALERT_FROM: z.email().optional(),
    /** Also POST the notice here (JSON: Slack incoming webhook, ntfy...); its token makes it a secret. */
    ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).meta({ secret: true }).optional(),
  })
  .refine((v) => !notifyUsesOAuth(v) || v.SMTP_USER !== undefined, {
    message: 'SMTP_AUTH=oauth2 needs SMTP_USER (the mailbox the digest grant or service account is for)',
    path: ['SMTP_USER'],
  })
  .refine((v) => notifyUsesOAuth(v) || (v.SMTP_USER === undefined) === (v.SMTP_PASSWORD === undefined), {
    message: 'SMTP_USER and SMTP_PASSWORD go together: set both or neither',
    path: ['SMTP_PASSWORD'],
  });

/**
 * True when the notice logs in with OAuth 2: SMTP_AUTH=oauth2, or a service account key file
 * and no SMTP_PASSWORD (as the digest decides for the same keys).
 */
export function notifyUsesOAuth(v: { SMTP_AUTH?: string | undefined; SMTP_PASSWORD?: string | undefined; IMAP_OAUTH_SERVICE_ACCOUNT_FILE?: string | undefined }): boolean {
  return v.SMTP_AUTH === 'oauth2' || (v.SMTP_AUTH === undefined && v.IMAP_OAUTH_SERVICE_ACCOUNT_FILE !== undefined && v.SMTP_PASSWORD === undefined);
}

/** The parsed keys. */
export type NotifyConfig = z.output<typeof notifySchema>;
