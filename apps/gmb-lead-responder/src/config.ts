/**
 * The repos.env keys of the lead responder (zod schema for @jobs/credentials' loadScope).
 * Every key, its meaning and its default are listed in README.md.
 */
import type { MailboxSettings } from '@jobs/mail/auth/mailbox-login';
import * as z from 'zod';
import { AUTHSERV_PRESETS, type AuthTrust } from './auth-results.ts';
import { LeadError } from './errors.ts';

/** Same key values as the digest's IMAP_TLS / SMTP_TLS: implicit TLS, STARTTLS required, or none (loopback tests). */
const tls = z.enum(['tls', 'starttls', 'none']);
const seconds = z.coerce.number().positive().max(600);
const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const address = z.email().transform((v) => v.toLowerCase());

/** Every key of repos.env, before the rules that tie keys together. */
const leadKeys = z.object({
  ANTHROPIC_API_KEY: z.string().min(1),
  ANTHROPIC_BASE_URL: z.url().optional(),
  LEAD_MODEL: z.string().min(1).optional(),
  CLAUDE_MODEL: z.string().min(1).optional(),
  CLAUDE_FALLBACK_MODEL: z.string().min(1).optional(),
  LEAD_BUDGET_USD: z.coerce.number().positive().max(100).default(0.5),

  LEAD_PROFILE_PATH: z.string().min(1),
  LEAD_RULES_PATH: z.string().min(1),
  LEAD_ADDRESS: address,
  LEAD_FROM_NAME: z.string().min(1).max(100).optional(),
  LEAD_OWNER_ADDRESS: address,
  LEAD_MAX_PER_SENDER_PER_DAY: positiveInt.optional(),
  LEAD_MAX_REPLIES_PER_DAY: positiveInt.default(50),
  LEAD_MAIL_PROVIDER: z.enum(['gmail', 'microsoft365', 'other']).optional(),
  LEAD_AUTHSERV_ID: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, 'the authserv-id of your receiving server, e.g. mx.google.com')
    .optional(),
  LEAD_KEYWORD: z
    .string()
    .regex(/^[A-Za-z0-9$_.\-+]{1,64}$/, 'an IMAP keyword: 1-64 of A-Z a-z 0-9 $ _ . - +')
    .default('$LeadAnswered'),
  LEAD_TIMEZONE: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone such as America/New_York')
    .optional(),
  LEAD_MAX_AGE_HOURS: positiveInt.default(72),
  LEAD_JOURNAL_RETENTION_DAYS: positiveInt.default(30),
  LEAD_WATCH_POLL_SECONDS: positiveInt.default(60),
  /** Keys the owner's approval tokens (approval/token.ts); unset: held drafts are approved by hand in Drafts. */
  LEAD_APPROVAL_SECRET: z.string().min(32, 'at least 32 random characters, e.g. from `openssl rand -base64 32`').optional(),
  LEAD_APPROVAL_EXPIRY_HOURS: positiveInt.max(24 * 30).default(72),
  LEAD_APPROVAL_REMIND_HOURS: positiveInt.max(24 * 30).default(24),

  /** With LEAD_IMAP_PROVIDER the preset gives host, port and TLS (this key still wins). */
  LEAD_IMAP_HOST: z.string().min(1).optional(),
  LEAD_IMAP_PORT: port.optional(),
  LEAD_IMAP_TLS: tls.default('tls'),
  LEAD_IMAP_USER: z.string().min(1),
  /** Required unless LEAD_IMAP_AUTH=oauth2 (a grant from `pnpm mailbox login lead`). */
  LEAD_IMAP_PASSWORD: z.string().min(1).optional(),
  /** gmail, google-workspace, microsoft365, outlook, fastmail, icloud, generic. */
  LEAD_IMAP_PROVIDER: z.string().min(1).optional(),
  LEAD_IMAP_AUTH: z.enum(['password', 'oauth2']).optional(),
  LEAD_SMTP_AUTH: z.enum(['password', 'oauth2']).optional(),
  LEAD_IMAP_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  /** A Workspace service account's key file (domain-wide delegation) instead of a grant; relative to repos.env's folder; mode 0600. */
  LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE: z.string().min(1).optional().meta({ secret: false }),
  /** Scope asked with the service account. Default https://mail.google.com/. */
  LEAD_IMAP_OAUTH_SCOPE: z.string().min(1).optional().meta({ secret: false }),
  LEAD_IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  LEAD_IMAP_SENT_FOLDER: z.string().min(1).optional(),
  LEAD_IMAP_DRAFTS_FOLDER: z.string().min(1).optional(),
  LEAD_IMAP_TIMEOUT_SECONDS: seconds.default(30),

  LEAD_SMTP_HOST: z.string().min(1).optional(),
  LEAD_SMTP_PORT: port.optional(),
  LEAD_SMTP_TLS: tls.default('starttls'),
  LEAD_SMTP_USER: z.string().min(1).optional(),
  LEAD_SMTP_PASSWORD: z.string().min(1).optional(),
  LEAD_SMTP_TIMEOUT_SECONDS: seconds.default(30),

  /**
   * The suite's alert webhook (farm's key): a refused OAuth 2 grant is told there, once a day,
   * since the job's own mail may need the grant that was refused. Its token is a secret.
   */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).meta({ secret: true }).optional(),
});

/**
 * Without a provider preset or OAuth 2 the plain keys are required, as before. `when`: checked
 * even when other keys are malformed, so every problem is reported at once.
 */
function withMailboxRules<T extends z.ZodType<object>>(keys: T): T {
  const needs = (v: object, key: string) => usesMailboxLogin(v as Parameters<typeof usesMailboxLogin>[0]) || (v as Record<string, unknown>)[key] !== undefined;
  return keys
    .refine((v: object) => needs(v, 'LEAD_IMAP_HOST'), { path: ['LEAD_IMAP_HOST'], message: 'required (or set LEAD_IMAP_PROVIDER)', when: () => true })
    .refine((v: object) => needs(v, 'LEAD_IMAP_PASSWORD'), {
      path: ['LEAD_IMAP_PASSWORD'],
      message: 'required (or LEAD_IMAP_AUTH=oauth2 after `pnpm mailbox login lead`)',
      when: () => true,
    })
    .refine((v: object) => needs(v, 'LEAD_SMTP_HOST'), { path: ['LEAD_SMTP_HOST'], message: 'required (or set LEAD_IMAP_PROVIDER)', when: () => true });
}

/** The schema loadScope validates repos.env against (the API path: ANTHROPIC_API_KEY required). */
export const configSchema = withMailboxRules(leadKeys);

/** The same on the subscription path, where no API key is needed (the CLI must never see one). */
export const subscriptionConfigSchema = withMailboxRules(leadKeys.extend({ ANTHROPIC_API_KEY: z.string().min(1).optional() }));

/** The validated keys. */
export type LeadConfig = z.output<typeof configSchema>;

/**
 * Values no draft may contain: every secret of the file, plus the app's non-secret values
 * that identify the setup (hosts, user names) when long enough to be meaningful.
 */
export function forbiddenValues(config: LeadConfig, secrets: readonly string[]): string[] {
  const identifying = [config.LEAD_IMAP_HOST, config.LEAD_IMAP_USER, config.LEAD_SMTP_HOST, config.LEAD_SMTP_USER, config.ANTHROPIC_BASE_URL];
  return [...new Set([...secrets, ...identifying.filter((v): v is string => typeof v === 'string' && v.length >= 6)])];
}

/**
 * Whose Authentication-Results to trust: LEAD_AUTHSERV_ID, else the preset of
 * LEAD_MAIL_PROVIDER (gmail: mx.google.com; microsoft365: the topmost header, which its
 * servers write without an id), else none.
 */
export function authTrustOf(config: Pick<LeadConfig, 'LEAD_AUTHSERV_ID' | 'LEAD_MAIL_PROVIDER'>): AuthTrust | null {
  if (config.LEAD_AUTHSERV_ID) return { authservId: config.LEAD_AUTHSERV_ID };
  return (config.LEAD_MAIL_PROVIDER && AUTHSERV_PRESETS[config.LEAD_MAIL_PROVIDER]) || null;
}

/**
 * Checks between keys (the schema checks each alone). The journal keeps settled leads for
 * LEAD_JOURNAL_RETENTION_DAYS: that window must cover every message a run may still answer
 * (LEAD_MAX_AGE_HOURS) plus the cap's day, or a lead dropped from the journal could be answered
 * again. Throws LeadError ECONFIG (exit 78).
 */
export function checkConfig(config: LeadConfig): void {
  const days = config.LEAD_JOURNAL_RETENTION_DAYS;
  if (days * 24 < config.LEAD_MAX_AGE_HOURS + 24) {
    throw new LeadError(
      'ECONFIG',
      `LEAD_JOURNAL_RETENTION_DAYS=${days} is too short for LEAD_MAX_AGE_HOURS=${config.LEAD_MAX_AGE_HOURS}: set it to at least ${Math.ceil((config.LEAD_MAX_AGE_HOURS + 24) / 24)} days in repos.env`,
    );
  }
}

/** True when the keys ask for a provider preset or OAuth 2 (resolved by @jobs/mail's resolveMailboxLogin). */
export function usesMailboxLogin(config: {
  LEAD_IMAP_PROVIDER?: string | undefined; LEAD_IMAP_AUTH?: string | undefined; LEAD_SMTP_AUTH?: string | undefined; LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE?: string | undefined;
}): boolean {
  return config.LEAD_IMAP_PROVIDER !== undefined || config.LEAD_IMAP_AUTH === 'oauth2' || config.LEAD_SMTP_AUTH === 'oauth2' || config.LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE !== undefined;
}

/** The responder's mailbox for resolveMailboxLogin: a key's TLS counts only with its HOST; a relative key file is taken from `envDir`. */
export function leadMailbox(config: LeadConfig, stateDir: string, envDir: string): MailboxSettings {
  return {
    account: 'lead',
    provider: config.LEAD_IMAP_PROVIDER,
    imapKeyPrefix: 'LEAD_IMAP_',
    smtpKeyPrefix: 'LEAD_SMTP_',
    imap: {
      host: config.LEAD_IMAP_HOST, port: config.LEAD_IMAP_PORT, tls: config.LEAD_IMAP_HOST ? config.LEAD_IMAP_TLS : undefined,
      user: config.LEAD_IMAP_USER, password: config.LEAD_IMAP_PASSWORD, auth: config.LEAD_IMAP_AUTH,
    },
    smtp: {
      host: config.LEAD_SMTP_HOST, port: config.LEAD_SMTP_PORT, tls: config.LEAD_SMTP_HOST ? config.LEAD_SMTP_TLS : undefined,
      user: config.LEAD_SMTP_USER, password: config.LEAD_SMTP_PASSWORD, auth: config.LEAD_SMTP_AUTH,
    },
    clientSecret: config.LEAD_IMAP_OAUTH_CLIENT_SECRET,
    serviceAccount:
      config.LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE === undefined
        ? undefined
        : { file: config.LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE, baseDir: envDir, scope: config.LEAD_IMAP_OAUTH_SCOPE },
    stateDir,
  };
}
