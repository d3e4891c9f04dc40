/**
 * The run's clients and settings, built from the checked configuration: Claude through the
 * suite's job transport choice (jobClaude: the API key from repos.env, or the `claude` CLI on
 * the subscription), IMAP and SMTP through @jobs/mail's transport settings, and the responder's
 * settings (limits, time zone, the values a draft must never contain).
 */
import { dirname } from 'node:path';
import type { ClaudeClient } from '@jobs/claude/client';
import { jobClaude } from '@jobs/claude/job-client';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import type { Logger } from '@jobs/core/logger';
import type { RuntimeEnv } from '@jobs/credentials/runtime-env';
import type { Scope } from '@jobs/credentials/scope';
import type { Ledger } from '@jobs/ledger/ledger';
import { createImapSource, type ImapSource, type ImapSourceOptions } from '@jobs/mail/imap';
import { createSmtpSender, type SmtpSender, type SmtpSenderOptions } from '@jobs/mail/smtp';
import { imapOptionsFrom, smtpOptionsFrom } from '@jobs/mail/transport-settings';
import { resolveMailboxLogin } from '@jobs/mail/auth/mailbox-login';
import { MailError } from '@jobs/mail/errors';
import { authTrustOf, forbiddenValues, type LeadConfig, leadMailbox, usesMailboxLogin } from './config.ts';
import type { Settings } from './context.ts';
import { LeadError } from './errors.ts';
import type { LeadRules } from './rules.ts';

/** What building the clients needs. */
export interface ClientInputs {
  readonly scope: Scope<LeadConfig>;
  readonly runtime: RuntimeEnv;
  readonly parentEnv: Readonly<Record<string, string | undefined>>;
  readonly job: string;
  readonly runId: string;
  readonly ledger: Ledger;
  readonly logger: Logger;
  readonly now: () => number;
  /** Test overrides merged into the IMAP and SMTP options. */
  readonly imapOptions?: Partial<ImapSourceOptions> | undefined;
  readonly smtpOptions?: Partial<SmtpSenderOptions> | undefined;
}

/** A Claude client factory (call again for a fresh budget); throws LeadError ECONFIG without a key. */
export async function makeClaude(i: ClientInputs): Promise<() => ClaudeClient> {
  const c = i.scope.values;
  const claude = jobClaude({
    runtime: i.runtime,
    parentEnv: i.parentEnv,
    apiKey: c.ANTHROPIC_API_KEY,
    keyFile: i.scope.file,
    baseURL: c.ANTHROPIC_BASE_URL,
    app: 'lead-responder',
    job: i.job,
    runId: i.runId,
    budgetUsd: i.runtime.JOBS_RUN_BUDGET_USD ?? c.LEAD_BUDGET_USD,
    model: c.LEAD_MODEL ?? c.CLAUDE_MODEL ?? DEFAULT_MODEL,
    fallbackModel: c.CLAUDE_FALLBACK_MODEL,
    ledger: i.ledger,
    redact: i.scope.redact,
    logger: i.logger,
    now: i.now,
  });
  if (!claude.load) throw new LeadError('ECONFIG', `ANTHROPIC_API_KEY is not set in ${i.scope.file}: set it, or run on the subscription`);
  return claude.load();
}

/** The IMAP source and the SMTP sender of the leads mailbox. */
/** A provider preset or OAuth 2 login resolved by @jobs/mail; undefined for plain keys. */
export type LeadMailbox = Awaited<ReturnType<typeof resolveMailboxLogin>> | undefined;

/**
 * Resolves LEAD_IMAP_PROVIDER / LEAD_IMAP_AUTH / LEAD_SMTP_AUTH / LEAD_IMAP_OAUTH_SERVICE_ACCOUNT_FILE
 * (a token refresh may reach the provider; a relative key file is taken from `envFile`'s folder);
 * every token learned goes to `onSecret` for redaction. A missing or revoked grant, or a key file
 * others can read, is a configuration error naming the fix (exit 78).
 */
export async function resolveLeadMailbox(config: LeadConfig, stateDir: string, onSecret: (t: string) => void, now: () => number, envFile: string): Promise<LeadMailbox> {
  if (!usesMailboxLogin(config)) return undefined;
  try {
    return await resolveMailboxLogin(leadMailbox(config, stateDir, dirname(envFile)), { onSecret, now });
  } catch (err) {
    if (err instanceof MailError && (err.code === 'ECONFIG' || err.code === 'EGRANT')) throw new LeadError('ECONFIG', err.message, { cause: err });
    throw err;
  }
}

/** The IMAP source and SMTP sender, from the keys or from a resolved provider login. */
export function makeMail(i: ClientInputs, mailbox: LeadMailbox): { imap: ImapSource; smtp: SmtpSender } {
  const c = i.scope.values;
  const imapExtra = {
    mailbox: c.LEAD_IMAP_MAILBOX,
    folders: { ...(c.LEAD_IMAP_SENT_FOLDER ? { sent: c.LEAD_IMAP_SENT_FOLDER } : {}), ...(c.LEAD_IMAP_DRAFTS_FOLDER ? { drafts: c.LEAD_IMAP_DRAFTS_FOLDER } : {}) },
    logger: i.logger,
  };
  // One mapping (@jobs/mail/transport-settings) for the plain keys and for a resolved provider login.
  const imapServer = mailbox
    ? mailbox.imap
    : { host: c.LEAD_IMAP_HOST ?? '', port: c.LEAD_IMAP_PORT, tls: c.LEAD_IMAP_TLS, user: c.LEAD_IMAP_USER, password: c.LEAD_IMAP_PASSWORD ?? '' };
  const imap = createImapSource({ ...imapOptionsFrom({ ...imapServer, timeoutSeconds: c.LEAD_IMAP_TIMEOUT_SECONDS }, imapExtra), ...i.imapOptions });
  const smtp = createSmtpSender(leadSmtpOptions(i, mailbox));
  return { imap, smtp };
}

/** The SMTP sender's options, from the keys or from a resolved provider login. */
export function leadSmtpOptions(i: ClientInputs, mailbox: LeadMailbox): SmtpSenderOptions {
  const c = i.scope.values;
  const smtpServer = mailbox?.smtp
    ? mailbox.smtp
    : { host: c.LEAD_SMTP_HOST ?? '', port: c.LEAD_SMTP_PORT, tls: c.LEAD_SMTP_TLS, user: c.LEAD_SMTP_USER, password: c.LEAD_SMTP_PASSWORD };
  return { ...smtpOptionsFrom({ ...smtpServer, timeoutSeconds: c.LEAD_SMTP_TIMEOUT_SECONDS }, { logger: i.logger, now: i.now }), ...i.smtpOptions };
}

/** The responder's settings from repos.env and the rules. */
export function settingsFrom(c: LeadConfig, rules: LeadRules, secrets: readonly string[], mailbox: LeadMailbox): Settings {
  const allowed = new Set([...rules.draft.allowedEmailAddresses, c.LEAD_ADDRESS]);
  return {
    leadAddress: c.LEAD_ADDRESS,
    fromName: c.LEAD_FROM_NAME,
    ownerAddress: c.LEAD_OWNER_ADDRESS,
    keyword: c.LEAD_KEYWORD,
    maxPerSenderPerDay: c.LEAD_MAX_PER_SENDER_PER_DAY ?? rules.maxRepliesPerSenderPerDay,
    maxRepliesPerDay: c.LEAD_MAX_REPLIES_PER_DAY,
    authTrust: authTrustOf(c),
    // Gmail and Microsoft 365 file SMTP-submitted mail into Sent themselves: no second copy.
    filesSentItself: mailbox?.preset.filesSentItself ?? false,
    timeZone: c.LEAD_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    maxAgeMs: c.LEAD_MAX_AGE_HOURS * 3600_000,
    forbiddenValues: forbiddenValues(c, secrets).filter((v) => !allowed.has(v.toLowerCase())),
    approval: c.LEAD_APPROVAL_SECRET
      ? { secret: c.LEAD_APPROVAL_SECRET, expiryMs: c.LEAD_APPROVAL_EXPIRY_HOURS * 3600_000, remindMs: c.LEAD_APPROVAL_REMIND_HOURS * 3600_000 }
      : null,
  };
}
