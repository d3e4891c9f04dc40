/**
 * The clients of a digest run, built from the checked settings: the mail source (Maildir or
 * IMAP), the Claude client (through @jobs/claude's jobClaude: API key, subscription CLI, or
 * none and the extractive summarizer), and the SMTP sender (none on a dry run). Both mail
 * clients' options come from @jobs/mail's one mapping (imapOptionsFrom / smtpOptionsFrom), fed
 * the plain keys or the login resolveMailboxLogin resolved (preset, grant, service account).
 *
 * Each client's module loads when it is first needed: the IMAP client when the source is
 * built, the SDK (or the CLI transport) when there is mail to summarize, nodemailer when the
 * digest is sent. A scheduled run with no new mail in its Maildir loads none of them.
 */
import { dirname } from 'node:path';
import type { ClaudeClient } from '@jobs/claude/client';
import { jobClaude } from '@jobs/claude/job-client';
import { createLedger, resolveLedgerPath } from '@jobs/ledger/ledger';
import type { resolveMailboxLogin } from '@jobs/mail/auth/mailbox-login';
import type { SmtpSenderOptions } from '@jobs/mail/smtp';
import { imapOptionsFrom, smtpOptionsFrom } from '@jobs/mail/transport-settings';
import type { DigestFlags } from '../args.ts';
import { digestMailbox, parseWorkers, usesMailboxLogin } from '../config.ts';
import type { DigestSender } from '../run.ts';
import type { MailSource } from '../source/types.ts';
import type { Setup } from './setup.ts';

/**
 * SMTP connect, greeting and socket timeout. The digest has no key for it: one message to one
 * server, and a minute covers a slow submission server.
 */
const SMTP_TIMEOUT_SECONDS = 60;

/** A provider preset or OAuth 2 login, resolved by @jobs/mail (a token refresh may reach the provider); undefined for plain keys. */
export type DigestMailbox = Awaited<ReturnType<typeof resolveMailboxLogin>> | undefined;

/** Resolves IMAP_PROVIDER / IMAP_AUTH / SMTP_AUTH; every token learned is redacted from then on. */
export async function resolveMailbox(s: Setup, sending: boolean, now: () => number): Promise<DigestMailbox> {
  if (!usesMailboxLogin(s.env) || (s.spec.kind === 'maildir' && !sending)) return undefined;
  const { resolveMailboxLogin } = await import('@jobs/mail/auth/mailbox-login');
  return resolveMailboxLogin(digestMailbox(s.env, s.stateDir, sending, dirname(s.envFile)), { onSecret: (t) => s.tokens.add(t), now });
}

/** The mail source the spec names; both kinds parse in the same pool (DIGEST_PARSE_WORKERS). */
export async function buildSource(s: Setup, mailbox: DigestMailbox, sleep?: (ms: number) => Promise<void>): Promise<MailSource> {
  const workers = parseWorkers(s.env);
  const pool = workers === undefined ? {} : { pool: { size: workers } };
  if (s.spec.kind === 'maildir') {
    const { createMaildirSource } = await import('../source/maildir.ts');
    return createMaildirSource({ path: s.spec.path, stateDir: s.stateDir, logger: s.log, ...pool });
  }
  const { createDigestImapSource } = await import('../source/imap.ts');
  const e = s.env;
  const extra = { mailbox: e.IMAP_MAILBOX, logger: s.log, ...(sleep ? { sleep } : {}) };
  const imap = mailbox
    ? imapOptionsFrom({ ...mailbox.imap, timeoutSeconds: e.IMAP_TIMEOUT_SECONDS }, extra)
    : imapOptionsFrom({ host: e.IMAP_HOST!, port: e.IMAP_PORT, tls: e.IMAP_TLS, user: e.IMAP_USER!, password: e.IMAP_PASSWORD!, timeoutSeconds: e.IMAP_TIMEOUT_SECONDS }, extra);
  return createDigestImapSource({ stateDir: s.stateDir, imap, ...pool });
}

/** The Claude side of a run: the client (null: extractive), why there is none, and who pays. */
export interface DigestClaude {
  /** Loads and builds the client when the run first has threads to summarize. */
  readonly claude: (() => Promise<ClaudeClient>) | null;
  readonly noClaudeReason?: 'no-api-key' | 'no-llm';
  /** `api` bills the key; `subscription` records the API equivalent. Null without a client. */
  readonly paidBy: 'api' | 'subscription' | null;
}

/** Picks the transport (see @jobs/claude/job-client); `say` tells the user when there is no key. */
export function buildClaude(s: Setup, flags: DigestFlags, deps: { now: () => number; sleep?: (ms: number) => Promise<void>; parentEnv: Readonly<Record<string, string | undefined>> }, say: (line: string) => void): DigestClaude {
  if (flags.noLlm) return { claude: null, noClaudeReason: 'no-llm', paidBy: null };
  const subscription = s.runtime.JOBS_CLAUDE_PATH === 'subscription';
  if (subscription && flags.batch) s.log.warn({ claudePath: 'subscription' }, 'the subscription has no Message Batches: --batch ignored, sending direct calls');
  const chosen = jobClaude({
    runtime: s.runtime,
    parentEnv: deps.parentEnv,
    apiKey: s.env.ANTHROPIC_API_KEY,
    keyFile: s.envFile,
    baseURL: s.env.ANTHROPIC_BASE_URL,
    app: 'digest',
    job: flags.batch && !subscription ? 'digest-batch' : 'digest',
    runId: s.runId,
    budgetUsd: s.runtime.JOBS_RUN_BUDGET_USD ?? s.env.DIGEST_BUDGET_USD,
    model: s.env.DIGEST_MODEL,
    ledger: createLedger({ path: resolveLedgerPath({ costLedger: s.runtime.COST_LEDGER, stateDir: s.stateDir }), logger: s.log, instance: s.runtime.JOBS_INSTANCE }),
    redact: s.redact,
    logger: s.log,
    now: deps.now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
  });
  const load = chosen.load;
  if (load === null) {
    say(`No ANTHROPIC_API_KEY in ${s.envFile}: using the extractive summarizer.`);
    return { claude: null, noClaudeReason: 'no-api-key', paidBy: null };
  }
  return { claude: async () => (await load())(), paidBy: chosen.path };
}

/** The SMTP sender's options: from the resolved provider login, else from the SMTP_* keys. */
export function senderOptions(s: Setup, mailbox: DigestMailbox): SmtpSenderOptions {
  const e = s.env;
  if (mailbox?.smtp) return smtpOptionsFrom({ ...mailbox.smtp, timeoutSeconds: SMTP_TIMEOUT_SECONDS }, { logger: s.log });
  return smtpOptionsFrom(
    { host: e.SMTP_HOST!, port: e.SMTP_PORT, tls: e.SMTP_TLS, user: e.SMTP_USER, password: e.SMTP_PASSWORD, timeoutSeconds: SMTP_TIMEOUT_SECONDS },
    { logger: s.log },
  );
}

/** The SMTP sender; null on a dry run (nothing is sent). nodemailer loads at the first send. */
export function buildSender(s: Setup, dryRun: boolean, mailbox: DigestMailbox): DigestSender | null {
  if (dryRun) return null;
  let made: Promise<DigestSender> | undefined;
  return {
    send(message) {
      made ??= import('@jobs/mail/smtp').then(({ createSmtpSender }) => createSmtpSender(senderOptions(s, mailbox)));
      return made.then((sender) => sender.send(message));
    },
  };
}
