/**
 * The repos.env keys of one job's mailbox, as `mailbox` reads them: the job's IMAP_* and
 * SMTP_* keys (LEAD_IMAP_* and LEAD_SMTP_* for the lead responder) and the OAuth keys this
 * command adds. Everything is optional here; what a combination lacks is said by
 * resolveMailboxLogin (@jobs/mail), naming both ways in.
 */
import type { MailboxSettings } from '@jobs/mail/auth/mailbox-login';
import type { EndpointOverrides } from '@jobs/mail/auth/provider-endpoints';
import * as z from 'zod';

/** The jobs that have a mailbox, and their key prefixes. */
export const JOBS = {
  digest: { imap: 'IMAP_', smtp: 'SMTP_' },
  lead: { imap: 'LEAD_IMAP_', smtp: 'LEAD_SMTP_' },
} as const;
export type JobName = keyof typeof JOBS;

const tls = z.enum(['tls', 'starttls', 'none']).optional();
const auth = z.enum(['password', 'oauth2']).optional();
const port = z.coerce.number().int().min(1).max(65535).optional();
const text = z.string().min(1).optional();
const url = z.string().min(1).optional().meta({ secret: false });

function keys(p: { imap: string; smtp: string }) {
  return {
    [`${p.imap}HOST`]: text, [`${p.imap}PORT`]: port, [`${p.imap}TLS`]: tls, [`${p.imap}USER`]: text,
    [`${p.imap}PASSWORD`]: text, [`${p.imap}PROVIDER`]: text, [`${p.imap}AUTH`]: auth,
    [`${p.imap}OAUTH_CLIENT_ID`]: text, [`${p.imap}OAUTH_CLIENT_SECRET`]: text, [`${p.imap}OAUTH_TENANT`]: text,
    [`${p.imap}OAUTH_ISSUER`]: url, [`${p.imap}OAUTH_TOKEN_URL`]: url, [`${p.imap}OAUTH_AUTH_URL`]: url,
    [`${p.imap}OAUTH_DEVICE_URL`]: url, [`${p.imap}OAUTH_REVOKE_URL`]: url, [`${p.imap}OAUTH_SCOPE`]: text,
    [`${p.imap}OAUTH_SERVICE_ACCOUNT_FILE`]: text,
    [`${p.smtp}HOST`]: text, [`${p.smtp}PORT`]: port, [`${p.smtp}TLS`]: tls, [`${p.smtp}USER`]: text,
    [`${p.smtp}PASSWORD`]: text, [`${p.smtp}AUTH`]: auth,
  };
}

/** Every key `mailbox` reads (both jobs). */
export const mailboxSchema = z.object({ ...keys(JOBS.digest), ...keys(JOBS.lead) });
export type MailboxKeys = Record<string, string | number | undefined>;

/** OAuth client settings of one job. */
export interface OAuthSettings extends EndpointOverrides {
  readonly clientId: string | undefined;
  readonly clientSecret: string | undefined;
  readonly issuer: string | undefined;
}

/** True when any key of the job is set (doctor checks only configured jobs). */
export function jobConfigured(values: MailboxKeys, job: JobName): boolean {
  const p = JOBS[job];
  return values[`${p.imap}HOST`] !== undefined || values[`${p.imap}PROVIDER`] !== undefined;
}

/** The job's OAuth client keys. */
export function oauthSettings(values: MailboxKeys, job: JobName): OAuthSettings {
  const p = JOBS[job].imap;
  const s = (k: string) => values[`${p}${k}`] as string | undefined;
  return {
    clientId: s('OAUTH_CLIENT_ID'), clientSecret: s('OAUTH_CLIENT_SECRET'), issuer: s('OAUTH_ISSUER'),
    tenant: s('OAUTH_TENANT'), tokenUrl: s('OAUTH_TOKEN_URL'), authUrl: s('OAUTH_AUTH_URL'),
    deviceUrl: s('OAUTH_DEVICE_URL'), revokeUrl: s('OAUTH_REVOKE_URL'), scope: s('OAUTH_SCOPE'),
  };
}

/**
 * The settings resolveMailboxLogin takes, for one job. A service account key file is named
 * here and read (0600 checked) by resolveMailboxLogin; a relative path is taken from `envDir`,
 * the repos.env file's folder, as the jobs do.
 */
export function mailboxSettings(values: MailboxKeys, job: JobName, stateDir: string, envDir: string): MailboxSettings {
  const p = JOBS[job];
  const v = (k: string) => values[k] as string | undefined;
  const n = (k: string) => values[k] as number | undefined;
  const server = (prefix: string) => ({
    host: v(`${prefix}HOST`), port: n(`${prefix}PORT`), tls: v(`${prefix}TLS`) as 'tls' | 'starttls' | 'none' | undefined,
    user: v(`${prefix}USER`), password: v(`${prefix}PASSWORD`), auth: v(`${prefix}AUTH`) as 'password' | 'oauth2' | undefined,
  });
  const saFile = v(`${p.imap}OAUTH_SERVICE_ACCOUNT_FILE`);
  return {
    account: job,
    provider: v(`${p.imap}PROVIDER`),
    imapKeyPrefix: p.imap,
    smtpKeyPrefix: p.smtp,
    imap: server(p.imap),
    smtp: v(`${p.smtp}HOST`) !== undefined || v(`${p.imap}PROVIDER`) !== undefined ? server(p.smtp) : undefined,
    clientSecret: v(`${p.imap}OAUTH_CLIENT_SECRET`),
    serviceAccount: saFile === undefined ? undefined : { file: saFile, baseDir: envDir, scope: v(`${p.imap}OAUTH_SCOPE`) },
    stateDir,
  };
}
