/**
 * The digest's repos.env keys (a zod schema for @jobs/credentials' loadScope) and the run
 * settings resolved from them and the flags (flags win). Which keys are required depends on the
 * run: IMAP keys only for the IMAP source, SMTP keys and DIGEST_FROM/TO only when sending.
 */
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import type { MailboxSettings } from '@jobs/mail/auth/mailbox-login';
import * as z from 'zod';

const TLS = z.enum(['tls', 'starttls', 'none']);
const port = z.coerce.number().int().min(1).max(65535);
const email = z.string().regex(/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/, 'must be a plain address like name@example.com');

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Where the digest reads mail when DIGEST_SOURCE is not set. */
export const DEFAULT_SOURCE = 'maildir:~/Maildir';

/** Every key the digest reads from repos.env, with its default. */
export const DIGEST_KEYS = {
  DIGEST_SOURCE: z.string().regex(/^(imap|maildir:.+)$/, 'must be imap or maildir:PATH').default(DEFAULT_SOURCE),
  IMAP_HOST: z.string().min(1).optional(),
  IMAP_PORT: port.optional(),
  IMAP_TLS: TLS.default('tls'),
  IMAP_USER: z.string().min(1).optional(),
  IMAP_PASSWORD: z.string().min(1).optional(),
  /** Provider preset (gmail, google-workspace, microsoft365, outlook, fastmail, icloud, generic). */
  IMAP_PROVIDER: z.string().min(1).optional(),
  /** password | oauth2 (a grant from `pnpm mailbox login digest`). */
  IMAP_AUTH: z.enum(['password', 'oauth2']).optional(),
  SMTP_AUTH: z.enum(['password', 'oauth2']).optional(),
  IMAP_OAUTH_CLIENT_SECRET: z.string().min(1).optional(),
  /**
   * A Google Workspace service account's JSON key file (domain-wide delegation): IMAP and SMTP
   * tokens for IMAP_USER with no grant and no person at renewal. Relative to repos.env's folder;
   * mode 0600. The path is not a secret; the file is.
   */
  IMAP_OAUTH_SERVICE_ACCOUNT_FILE: z.string().min(1).optional().meta({ secret: false }),
  /** Scope asked with the service account. Default https://mail.google.com/. */
  IMAP_OAUTH_SCOPE: z.string().min(1).optional().meta({ secret: false }),
  IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  IMAP_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(60),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: port.optional(),
  SMTP_TLS: TLS.default('starttls'),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  DIGEST_FROM: email.optional(),
  DIGEST_TO: email.optional(),
  DIGEST_OWN_ADDRESSES: z.string().optional(),
  DIGEST_TIMEZONE: z.string().refine(validZone, 'must be an IANA time zone like America/New_York').optional(),
  DIGEST_MODEL: z.string().min(1).default(DEFAULT_MODEL),
  DIGEST_BUDGET_USD: z.coerce.number().positive().max(100).default(0.05),
  DIGEST_BATCH_DEADLINE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  DIGEST_PARSE_WORKERS: z.string().regex(/^(auto|[0-9]|1[0-6])$/, 'must be auto or a number of parse worker threads from 0 to 16').default('auto'),
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url().optional(),
  /**
   * The suite's alert webhook (farm's key): a refused OAuth 2 grant is told there, once a day,
   * since the digest's own mail may need the grant that was refused. Its token is a secret.
   */
  ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).meta({ secret: true }).optional(),
};

/** What the schema needs to know about the run. */
export interface SchemaContext {
  /** `--source` when given (wins over DIGEST_SOURCE). */
  readonly source?: string | undefined;
  /** False on a dry run: SMTP keys are then optional. */
  readonly sending: boolean;
}

/** The repos.env schema for one run (see the module comment). */
export function digestSchema(ctx: SchemaContext) {
  let schema = z.object(DIGEST_KEYS);
  const need = (key: keyof typeof DIGEST_KEYS, why: string, applies: (v: Record<string, unknown>) => boolean) => {
    // `when`: checked even when other keys are malformed, so every problem is reported at once.
    schema = schema.refine((v) => !applies(v) || v[key] !== undefined, { path: [key], message: `required ${why}`, when: () => true });
  };
  const imap = (v: Record<string, unknown>) => (ctx.source ?? v.DIGEST_SOURCE) === 'imap';
  // With a provider preset or OAuth 2, host and login are judged by resolveMailboxLogin (@jobs/mail).
  const plain = (v: Record<string, unknown>) => !usesMailboxLogin(v);
  need('IMAP_USER', 'for the imap source', imap);
  for (const key of ['IMAP_HOST', 'IMAP_PASSWORD'] as const) need(key, 'for the imap source', (v) => imap(v) && plain(v));
  if (ctx.sending) {
    for (const key of ['DIGEST_FROM', 'DIGEST_TO'] as const) need(key, 'to send the digest', () => true);
    need('SMTP_HOST', 'to send the digest', plain);
    need('SMTP_PASSWORD', 'with SMTP_USER', (v) => plain(v) && v.SMTP_USER !== undefined);
    need('SMTP_USER', 'with SMTP_PASSWORD', (v) => plain(v) && v.SMTP_PASSWORD !== undefined);
  }
  return schema;
}

/** The validated keys. */
export type DigestEnv = z.output<ReturnType<typeof digestSchema>>;

/** A source spec: `imap`, or a Maildir path (`~` expanded, made absolute). */
export type SourceSpec = { readonly kind: 'imap' } | { readonly kind: 'maildir'; readonly path: string };

/** Parses `imap` / `maildir:PATH`; null when malformed. */
export function parseSourceSpec(spec: string, options: { home?: string; cwd?: string } = {}): SourceSpec | null {
  if (spec === 'imap') return { kind: 'imap' };
  if (!spec.startsWith('maildir:') || spec.length <= 'maildir:'.length) return null;
  let path = spec.slice('maildir:'.length);
  if (path === '~' || path.startsWith('~/')) path = (options.home ?? homedir()) + path.slice(1);
  return { kind: 'maildir', path: isAbsolute(path) ? path : resolve(options.cwd ?? process.cwd(), path) };
}

/** The owner's addresses: DIGEST_TO, IMAP_USER when it is an address, DIGEST_OWN_ADDRESSES. */
export function ownAddresses(env: DigestEnv): string[] {
  const list = [env.DIGEST_TO, env.IMAP_USER?.includes('@') ? env.IMAP_USER : undefined, ...(env.DIGEST_OWN_ADDRESSES ?? '').split(',')];
  return [...new Set(list.map((a) => a?.trim().toLowerCase() ?? '').filter((a) => a !== ''))];
}

/** DIGEST_PARSE_WORKERS as a pool size: undefined for `auto` (the pool decides from the cores). */
export function parseWorkers(env: Pick<DigestEnv, 'DIGEST_PARSE_WORKERS'>): number | undefined {
  return env.DIGEST_PARSE_WORKERS === 'auto' ? undefined : Number(env.DIGEST_PARSE_WORKERS);
}

/** True when the mailbox keys ask for a provider preset or OAuth 2 (else the plain keys as before). */
export function usesMailboxLogin(v: Record<string, unknown>): boolean {
  return v.IMAP_PROVIDER !== undefined || v.IMAP_AUTH === 'oauth2' || v.SMTP_AUTH === 'oauth2' || v.IMAP_OAUTH_SERVICE_ACCOUNT_FILE !== undefined;
}

/**
 * The digest's mailbox for resolveMailboxLogin: a key's TLS counts only with its HOST (else the
 * preset's); a service account key file is taken from `envDir` (repos.env's folder) when relative.
 */
export function digestMailbox(env: DigestEnv, stateDir: string, sending: boolean, envDir: string): MailboxSettings {
  return {
    account: 'digest',
    provider: env.IMAP_PROVIDER,
    imapKeyPrefix: 'IMAP_',
    smtpKeyPrefix: 'SMTP_',
    imap: { host: env.IMAP_HOST, port: env.IMAP_PORT, tls: env.IMAP_HOST ? env.IMAP_TLS : undefined, user: env.IMAP_USER, password: env.IMAP_PASSWORD, auth: env.IMAP_AUTH },
    smtp: !sending ? undefined : { host: env.SMTP_HOST, port: env.SMTP_PORT, tls: env.SMTP_HOST ? env.SMTP_TLS : undefined, user: env.SMTP_USER, password: env.SMTP_PASSWORD, auth: env.SMTP_AUTH },
    clientSecret: env.IMAP_OAUTH_CLIENT_SECRET,
    serviceAccount: env.IMAP_OAUTH_SERVICE_ACCOUNT_FILE === undefined ? undefined : { file: env.IMAP_OAUTH_SERVICE_ACCOUNT_FILE, baseDir: envDir, scope: env.IMAP_OAUTH_SCOPE },
    stateDir,
  };
}
