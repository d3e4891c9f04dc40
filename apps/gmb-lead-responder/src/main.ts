/**
 * The CLI's logic, callable in-process: `main(argv, deps)` parses the flags, loads repos.env
 * (exit 78 before any network I/O when a key is missing), takes the run lock, builds the
 * clients, runs once or watches, prints the summary and returns the exit code.
 */
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { CLI_AUTH_ALLOW, CLI_QUIET_ENV, createClaudeCliClient } from '@jobs/claude/cli-client';
import { type ClaudeClient, createClaudeClient } from '@jobs/claude/client';
import { childEnv } from '@jobs/credentials/child-env';
import { isCredentialsError } from '@jobs/credentials/errors';
import { createLogger } from '@jobs/credentials/logger';
import { SecretSet } from '@jobs/credentials/secret-set';
import { imapSourceLogin, resolveMailboxLogin, smtpSenderLogin } from '@jobs/mail/auth/mailbox-login';
import { MailError } from '@jobs/mail/errors';
import { loadScope } from '@jobs/credentials/scope';
import { createLedger, defaultStateDir, resolveLedgerPath } from '@jobs/ledger/ledger';
import { createCheckpointStore } from '@jobs/mail/checkpoint';
import { createImapSource, type ImapSourceOptions } from '@jobs/mail/imap';
import { createSmtpSender, type SmtpSenderOptions } from '@jobs/mail/smtp';
import { z } from 'zod';
import { type CliArgs, HELP, parseCli, UsageError } from './cli-args.ts';
import { compactJournal, type CompactResult } from './compact.ts';
import { checkConfig, configSchema, forbiddenValues, type LeadConfig, leadMailbox, usesMailboxLogin } from './config.ts';
import type { ResponderDeps, Settings } from './context.ts';
import { isLeadError, LeadError } from './errors.ts';
import { dailyClaude } from './internal/daily-claude.ts';
import { openJournal } from './journal.ts';
import { acquireRunLock, type RunLock } from './lock.ts';
import { loadProfile } from './profile.ts';
import { newReport, type RunReport, summaryLine } from './report.ts';
import { loadRules } from './rules.ts';
import { runResponder, watchResponder } from './run.ts';

/** What main needs from the process; tests pass their own. */
export interface MainDeps {
  /**
   * The environment to read REPOS_ENV, JOBS_STATE_DIR and COST_LEDGER from, and the Claude path:
   * JOBS_CLAUDE_PATH=subscription (set by `farm run-job --path subscription`) drafts through the
   * `claude` CLI (JOBS_CLAUDE_BIN, else FARM_CLAUDE_BIN, else `claude` on PATH) on the owner's
   * login, with no API key; anything else (unset, api, remote) uses the API key from repos.env.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: { write(s: string): boolean; isTTY?: boolean };
  readonly stderr: { write(s: string): boolean };
  readonly cwd: string;
  readonly home: string;
  /** Where repos.env is looked for last. */
  readonly workspaceRoot: string;
  readonly now?: () => number;
  readonly pid?: number;
  /** Ends --watch. */
  readonly signal?: AbortSignal;
  /** Overrides merged into the IMAP and SMTP options (tests: short backoffs). */
  readonly imapOptions?: Partial<ImapSourceOptions>;
  readonly smtpOptions?: Partial<SmtpSenderOptions>;
}

function relativeTo(base: string, p: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}

function exitCodeOf(err: LeadError): number {
  return err.code === 'ECONFIG' ? 78 : 1;
}

/** Runs the CLI; resolves with the exit code. Never throws. */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      deps.stderr.write(`lead-responder: ${err.message}\n\n${HELP}\n`);
      return 2;
    }
    throw err;
  }
  if (args.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  const mode: RunReport['mode'] = args.dryRun ? 'dry-run' : args.approve ? 'approve' : 'send';
  const now = deps.now ?? Date.now;
  const runId = randomUUID();
  const claudePath = deps.env.JOBS_CLAUDE_PATH === 'subscription' ? 'subscription' : 'api';
  // The summary says who paid: on the subscription, `usd` is what the API would have charged.
  const summary = (r: RunReport): string =>
    args.json ? JSON.stringify({ ...r, claudePath }) : `${summaryLine(r)}${claudePath === 'subscription' ? ' (Claude on the subscription: API-equivalent USD, not billed)' : ''}`;
  // On the subscription the key is not needed (the CLI must never see one): not required there.
  const schema = claudePath === 'subscription' ? configSchema.extend({ ANTHROPIC_API_KEY: z.string().min(1).optional() }) : configSchema;

  let scope: Awaited<ReturnType<typeof loadScope<typeof configSchema>>>;
  try {
    // The cast: ANTHROPIC_API_KEY may be absent on the subscription, where it is never read.
    scope = (await loadScope({ schema, envFile: args.envFile, reposEnvVar: deps.env.REPOS_ENV, workspaceRoot: deps.workspaceRoot, cwd: deps.cwd })) as typeof scope;
  } catch (err) {
    if (isCredentialsError(err)) {
      deps.stderr.write(`lead-responder: ${err.message}\n`);
      return err.exitCode;
    }
    throw err;
  }
  const config: LeadConfig = scope.values;
  const tokens = new SecretSet();
  const logger = createLogger({ redact: (line) => tokens.redact(scope.redact(line)), stream: deps.stderr, base: { app: 'lead-responder', runId } });
  const fail = (err: unknown, report: RunReport | undefined): number => {
    const e = err as LeadError;
    const r = report ?? newReport(mode);
    r.error ??= { code: isLeadError(e) ? e.code : 'EUNKNOWN', message: scope.redact(e.message ?? String(e)) };
    logger.error({ err: e, code: r.error.code }, 'run stopped');
    deps.stderr.write(`lead-responder: ${scope.redact(r.error.message)}\n`);
    deps.stdout.write(`${summary(r)}\n`);
    return isLeadError(e) ? exitCodeOf(e) : 1;
  };

  const envDir = dirname(scope.file);
  let lock: RunLock | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  try {
    checkConfig(config);
    const [profile, rules] = await Promise.all([
      loadProfile(relativeTo(envDir, config.LEAD_PROFILE_PATH)),
      loadRules(relativeTo(envDir, config.LEAD_RULES_PATH)),
    ]);
    const stateDir = defaultStateDir({ env: deps.env, home: deps.home });
    const appDir = join(stateDir, 'lead-responder');
    await mkdir(appDir, { recursive: true, mode: 0o700 });
    if (mode !== 'dry-run') lock = await acquireRunLock(join(appDir, 'run.lock'), { now, ...(deps.pid ? { pid: deps.pid } : {}) });
    if (lock?.tookOverFrom) logger.warn({ pid: lock.tookOverFrom }, 'took over the run lock of a run that is no longer alive');
    const journalPath = join(appDir, 'journal.jsonl');
    let compaction: CompactResult | null = null;
    if (lock) {
      // under the lock and before the journal is opened: no other writer, no open handle
      try {
        compaction = await compactJournal(journalPath, { now, retentionMs: config.LEAD_JOURNAL_RETENTION_DAYS * 24 * 3600_000 });
        if (compaction.compacted) logger.info({ ...compaction }, 'journal compacted');
      } catch (err) {
        // the old journal is intact or the new one complete: the run can go on
        logger.warn({ err }, 'journal compaction failed: the journal is unchanged or fully replaced; the run goes on');
      }
    }
    const journal = await openJournal(journalPath, { now, readOnly: mode === 'dry-run' });
    closers.push(() => journal.close());
    const checkpoints = await createCheckpointStore({ stateDir, name: `lead-responder-${config.LEAD_IMAP_MAILBOX.replace(/[^A-Za-z0-9._-]/g, '_')}` });
    const ledger = createLedger({ path: resolveLedgerPath({ costLedger: deps.env.COST_LEDGER, stateDir }), logger });
    const model = config.LEAD_MODEL ?? config.CLAUDE_MODEL ?? 'claude-haiku-5-5';
    const job = args.watch ? 'watch' : mode;
    let makeClaude: () => ClaudeClient;
    if (claudePath === 'subscription') {
      const { env: cliEnv, removed } = childEnv('subscription', {
        parentEnv: deps.env,
        allow: CLI_AUTH_ALLOW,
        set: { ...CLI_QUIET_ENV, ...(config.ANTHROPIC_BASE_URL ? { ANTHROPIC_BASE_URL: config.ANTHROPIC_BASE_URL } : {}) },
      });
      if (removed.length > 0) logger.warn({ removed }, 'not passed to claude: these would move billing off the subscription');
      const bin = deps.env.JOBS_CLAUDE_BIN || deps.env.FARM_CLAUDE_BIN || 'claude';
      logger.info({ claudePath, bin }, 'drafting on the subscription (claude -p, no API key): ledger USD is the API equivalent, not billed');
      makeClaude = () =>
        createClaudeCliClient({
          env: cliEnv,
          bin,
          app: 'lead-responder',
          job,
          runId,
          budgetUsd: config.LEAD_BUDGET_USD,
          ledger,
          model,
          ...(config.CLAUDE_FALLBACK_MODEL ? { fallbackModel: config.CLAUDE_FALLBACK_MODEL } : {}),
          reason: 'JOBS_CLAUDE_PATH=subscription',
          redact: scope.redact,
          logger,
          now,
        });
    } else {
      makeClaude = () =>
        createClaudeClient({
          apiKey: config.ANTHROPIC_API_KEY,
          keyFile: scope.file,
          ...(config.ANTHROPIC_BASE_URL ? { baseURL: config.ANTHROPIC_BASE_URL } : {}),
          app: 'lead-responder',
          job,
          runId,
          budgetUsd: config.LEAD_BUDGET_USD,
          ledger,
          model,
          ...(config.CLAUDE_FALLBACK_MODEL ? { fallbackModel: config.CLAUDE_FALLBACK_MODEL } : {}),
          redact: scope.redact,
          logger,
          now,
        });
    }
    const timeout = config.LEAD_IMAP_TIMEOUT_SECONDS * 1000;
    // A provider preset or OAuth 2: host, TLS, login and the provider's habits from @jobs/mail.
    const mailbox = usesMailboxLogin(config)
      ? await resolveMailboxLogin(leadMailbox(config, stateDir), { onSecret: (t) => tokens.add(t), now }).catch((err: unknown) => {
          if (err instanceof MailError && (err.code === 'ECONFIG' || err.code === 'EGRANT')) throw new LeadError('ECONFIG', err.message, { cause: err });
          throw err;
        })
      : undefined;
    const imap = createImapSource({
      ...(mailbox
        ? imapSourceLogin(mailbox.imap)
        : {
            host: config.LEAD_IMAP_HOST!,
            ...(config.LEAD_IMAP_PORT ? { port: config.LEAD_IMAP_PORT } : {}),
            secure: config.LEAD_IMAP_TLS === 'tls',
            ...(config.LEAD_IMAP_TLS === 'starttls' ? { requireStartTls: true } : config.LEAD_IMAP_TLS === 'none' ? { requireStartTls: false } : {}),
            user: config.LEAD_IMAP_USER,
            password: config.LEAD_IMAP_PASSWORD!,
          }),
      mailbox: config.LEAD_IMAP_MAILBOX,
      folders: {
        ...(config.LEAD_IMAP_SENT_FOLDER ? { sent: config.LEAD_IMAP_SENT_FOLDER } : {}),
        ...(config.LEAD_IMAP_DRAFTS_FOLDER ? { drafts: config.LEAD_IMAP_DRAFTS_FOLDER } : {}),
      },
      connectionTimeoutMs: timeout,
      greetingTimeoutMs: timeout,
      socketTimeoutMs: timeout,
      lockTimeoutMs: timeout,
      logger,
      ...deps.imapOptions,
    });
    closers.unshift(() => imap.close());
    const smtpTimeout = config.LEAD_SMTP_TIMEOUT_SECONDS * 1000;
    const smtp = createSmtpSender({
      ...(mailbox?.smtp
        ? smtpSenderLogin(mailbox.smtp)
        : {
            host: config.LEAD_SMTP_HOST!,
            ...(config.LEAD_SMTP_PORT ? { port: config.LEAD_SMTP_PORT } : {}),
            secure: config.LEAD_SMTP_TLS === 'tls',
            requireTls: config.LEAD_SMTP_TLS === 'starttls',
            ...(config.LEAD_SMTP_USER && config.LEAD_SMTP_PASSWORD ? { user: config.LEAD_SMTP_USER, password: config.LEAD_SMTP_PASSWORD } : {}),
          }),
      connectionTimeoutMs: smtpTimeout,
      greetingTimeoutMs: smtpTimeout,
      socketTimeoutMs: smtpTimeout,
      logger,
      now,
      ...deps.smtpOptions,
    });
    const allowed = new Set([...rules.draft.allowedEmailAddresses, config.LEAD_ADDRESS]);
    const settings: Settings = {
      leadAddress: config.LEAD_ADDRESS,
      fromName: config.LEAD_FROM_NAME,
      ownerAddress: config.LEAD_OWNER_ADDRESS,
      keyword: config.LEAD_KEYWORD,
      maxPerSenderPerDay: config.LEAD_MAX_PER_SENDER_PER_DAY ?? rules.maxRepliesPerSenderPerDay,
      timeZone: config.LEAD_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      maxAgeMs: config.LEAD_MAX_AGE_HOURS * 3600_000,
      forbiddenValues: forbiddenValues(config, scope.secrets).filter((v) => !allowed.has(v.toLowerCase())),
      filesSentItself: mailbox?.preset.filesSentItself ?? false,
    };
    const responderDeps: ResponderDeps = {
      imap,
      smtp,
      claude: args.watch ? dailyClaude(makeClaude, now, settings.timeZone) : makeClaude(),
      journal,
      checkpoints,
      profile,
      rules,
      settings,
      logger,
      now,
      print: (line) => {
        if (!args.json) deps.stdout.write(`${line}\n`);
      },
    };
    if (args.watch) {
      logger.info({ mailbox: config.LEAD_IMAP_MAILBOX, mode }, 'watching for leads');
      await watchResponder(responderDeps, {
        mode,
        ...(deps.signal ? { signal: deps.signal } : {}),
        pollIntervalMs: config.LEAD_WATCH_POLL_SECONDS * 1000,
        onPass: (r) => {
          if (r.messages > 0 || r.recovered > 0 || r.error) deps.stdout.write(`${summary(r)}\n`);
        },
      });
      return 0;
    }
    const report = await runResponder(responderDeps, { mode, compaction });
    deps.stdout.write(`${summary(report)}\n`);
    return 0;
  } catch (err) {
    return fail(err, (err as { report?: RunReport }).report);
  } finally {
    for (const close of closers) await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
    await lock?.release();
  }
}
