/**
 * main(argv, deps): the digest command without `process`. Parses flags, loads repos.env (exit
 * 78 before any network I/O when keys are missing or malformed), builds the source, the Claude
 * client (with the cost ledger, app `digest`) and the SMTP sender, runs, prints the run summary
 * (one line, or one JSON object with --json) on stdout, and maps errors to exit codes:
 * 0 ok, 1 failure, 2 usage, 78 configuration. Logs are JSON lines on stderr, redacted.
 */
import { randomUUID } from 'node:crypto';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_AUTH_ALLOW, CLI_QUIET_ENV, createClaudeCliClient } from '@jobs/claude/cli-client';
import { type ClaudeClient, createClaudeClient } from '@jobs/claude/client';
import { ClaudeError } from '@jobs/claude/errors';
import { childEnv } from '@jobs/credentials/child-env';
import { isCredentialsError } from '@jobs/credentials/errors';
import { createLogger } from '@jobs/credentials/logger';
import { loadScope } from '@jobs/credentials/scope';
import { createLedger, defaultStateDir, resolveLedgerPath } from '@jobs/ledger/ledger';
import { MailError } from '@jobs/mail/errors';
import { imapSourceLogin, resolveMailboxLogin, smtpSenderLogin } from '@jobs/mail/auth/mailbox-login';
import { createSmtpSender } from '@jobs/mail/smtp';
import { SecretSet } from '@jobs/credentials/secret-set';
import { HELP, parseFlags, parseSince } from './args.ts';
import { type DigestEnv, digestMailbox, digestSchema, ownAddresses, parseSourceSpec, parseWorkers, usesMailboxLogin } from './config.ts';
import { DigestError } from './errors.ts';
import { summaryLine, ttyProgress } from './report.ts';
import { runDigest } from './run.ts';
import { createDigestImapSource } from './source/imap.ts';
import { createMaildirSource } from './source/maildir.ts';
import type { MailSource } from './source/types.ts';

/** A writable the CLI prints to. */
export interface Out {
  write(s: string): void;
  readonly isTTY?: boolean | undefined;
  /** Terminal width, when a TTY: progress lines are cut to fit so `\r` redraws one line. */
  readonly columns?: number | undefined;
}

/** What main needs from the process. */
export interface MainDeps {
  /**
   * The parent's environment: REPOS_ENV, JOBS_STATE_DIR, COST_LEDGER, HOME, LOG_LEVEL, and the
   * Claude path: JOBS_CLAUDE_PATH=subscription (set by `farm run-job --path subscription`)
   * summarizes through the `claude` CLI (JOBS_CLAUDE_BIN, else FARM_CLAUDE_BIN, else `claude` on
   * PATH) on the owner's login, no API key; its env is childEnv('subscription') of this one.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: Out;
  readonly stderr: Out;
  /** Where repos.env is looked for last. */
  readonly workspaceRoot: string;
  readonly cwd: string;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const FIRST_RUN_WINDOW_MS = 24 * 3_600_000;

/** Runs the digest command; resolves with the exit code (never rejects). */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  const now = deps.now ?? Date.now;
  const say = (s: string) => deps.stderr.write(`${s}\n`);
  let flags: ReturnType<typeof parseFlags>;
  let since: Date | undefined;
  try {
    flags = parseFlags(argv);
    if (flags.help) {
      deps.stdout.write(HELP);
      return 0;
    }
    since = flags.since === undefined ? undefined : parseSince(flags.since, now());
    if (flags.source !== undefined && !parseSourceSpec(flags.source)) {
      throw new DigestError('EUSAGE', `--source must be imap or maildir:PATH, got ${JSON.stringify(flags.source)}`, { option: 'source' });
    }
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    return 2;
  }

  let log = createLogger({ stream: { write: (s: string) => deps.stderr.write(s) } as unknown as NodeJS.WritableStream, level: 'silent' });
  try {
    const scope = await loadScope({
      schema: digestSchema({ source: flags.source, sending: !flags.dryRun }),
      envFile: flags.envFile,
      reposEnvVar: deps.env.REPOS_ENV || undefined,
      workspaceRoot: deps.workspaceRoot,
      cwd: deps.cwd,
    });
    const env: DigestEnv = scope.values;
    const level = (deps.env.LOG_LEVEL as 'debug' | 'info' | 'warn' | 'error' | 'silent' | undefined) ?? 'info';
    const tokens = new SecretSet();
    log = createLogger({ level, redact: (line) => tokens.redact(scope.redact(line)), stream: { write: (s: string) => deps.stderr.write(s) } as unknown as NodeJS.WritableStream, base: { app: 'digest' } });
    const home = deps.env.HOME || homedir();
    const stateDir = defaultStateDir({ env: deps.env as Record<string, string | undefined>, home });
    const runId = randomUUID();
    const spec = parseSourceSpec(flags.source ?? env.DIGEST_SOURCE, { home, cwd: deps.cwd });
    if (!spec) throw new DigestError('ECONFIG', `DIGEST_SOURCE must be imap or maildir:PATH`, { option: 'DIGEST_SOURCE' });
    const timeZone = env.DIGEST_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const timeoutMs = env.IMAP_TIMEOUT_SECONDS * 1000;
    const workers = parseWorkers(env);
    // A provider preset or OAuth 2: host, TLS and login (password or token source) from @jobs/mail.
    const mailbox = usesMailboxLogin(env) ? await resolveMailboxLogin(digestMailbox(env, stateDir, !flags.dryRun), { onSecret: (t) => tokens.add(t), now }) : undefined;

    const source: MailSource =
      spec.kind === 'maildir'
        ? createMaildirSource({ path: spec.path, stateDir })
        : createDigestImapSource({
            stateDir,
            ...(workers === undefined ? {} : { pool: { size: workers } }),
            imap: {
              ...(mailbox
                ? imapSourceLogin(mailbox.imap)
                : {
                    host: env.IMAP_HOST!,
                    user: env.IMAP_USER!,
                    password: env.IMAP_PASSWORD!,
                    secure: env.IMAP_TLS === 'tls',
                    ...(env.IMAP_TLS === 'starttls' ? { requireStartTls: true } : env.IMAP_TLS === 'none' ? { requireStartTls: false } : {}),
                    ...(env.IMAP_PORT ? { port: env.IMAP_PORT } : {}),
                  }),
              mailbox: env.IMAP_MAILBOX,
              connectionTimeoutMs: timeoutMs,
              greetingTimeoutMs: timeoutMs,
              socketTimeoutMs: timeoutMs,
              lockTimeoutMs: timeoutMs,
              logger: log,
              ...(deps.sleep ? { sleep: deps.sleep } : {}),
            },
          });

    let claude: ClaudeClient | null = null;
    let noClaudeReason: 'no-api-key' | 'no-llm' | undefined;
    const claudePath = deps.env.JOBS_CLAUDE_PATH === 'subscription' ? 'subscription' : 'api';
    if (flags.noLlm) noClaudeReason = 'no-llm';
    else if (claudePath === 'subscription') {
      // The owner's plan pays: no API key is needed, and none may reach the CLI.
      const cli = childEnv('subscription', {
        parentEnv: deps.env,
        allow: CLI_AUTH_ALLOW,
        set: { ...CLI_QUIET_ENV, ...(env.ANTHROPIC_BASE_URL ? { ANTHROPIC_BASE_URL: env.ANTHROPIC_BASE_URL } : {}) },
      });
      if (cli.removed.length > 0) log.warn({ removed: cli.removed }, 'not passed to claude: these would move billing off the subscription');
      const bin = deps.env.JOBS_CLAUDE_BIN || deps.env.FARM_CLAUDE_BIN || 'claude';
      if (flags.batch) log.warn({ claudePath }, 'the subscription has no Message Batches: --batch ignored, sending direct calls');
      log.info({ claudePath, bin }, 'summarizing on the subscription (claude -p, no API key): ledger USD is the API equivalent, not billed');
      claude = createClaudeCliClient({
        env: cli.env,
        bin,
        app: 'digest',
        job: 'digest',
        runId,
        budgetUsd: env.DIGEST_BUDGET_USD,
        model: env.DIGEST_MODEL,
        ledger: createLedger({ path: resolveLedgerPath({ costLedger: deps.env.COST_LEDGER, stateDir }), logger: log }),
        reason: 'JOBS_CLAUDE_PATH=subscription',
        redact: scope.redact,
        logger: log,
        now,
      });
    } else if (!env.ANTHROPIC_API_KEY) {
      noClaudeReason = 'no-api-key';
      say(`No ANTHROPIC_API_KEY in ${scope.file}: using the extractive summarizer.`);
    } else {
      const ledger = createLedger({ path: resolveLedgerPath({ costLedger: deps.env.COST_LEDGER, stateDir }), logger: log });
      claude = createClaudeClient({
        apiKey: env.ANTHROPIC_API_KEY,
        keyFile: scope.file,
        ...(env.ANTHROPIC_BASE_URL ? { baseURL: env.ANTHROPIC_BASE_URL } : {}),
        app: 'digest',
        job: flags.batch ? 'digest-batch' : 'digest',
        runId,
        budgetUsd: env.DIGEST_BUDGET_USD,
        model: env.DIGEST_MODEL,
        ledger,
        redact: scope.redact,
        logger: log,
        ...(deps.sleep ? { sleep: deps.sleep } : {}),
        now,
      });
    }

    const sender = flags.dryRun
      ? null
      : mailbox?.smtp
        ? createSmtpSender({ ...smtpSenderLogin(mailbox.smtp), logger: log })
        : createSmtpSender({
            host: env.SMTP_HOST!,
            secure: env.SMTP_TLS === 'tls',
            requireTls: env.SMTP_TLS === 'starttls',
            ...(env.SMTP_PORT ? { port: env.SMTP_PORT } : {}),
            ...(env.SMTP_USER && env.SMTP_PASSWORD ? { user: env.SMTP_USER, password: env.SMTP_PASSWORD } : {}),
            logger: log,
          });
    const outPath = flags.out ?? (flags.dryRun ? join(tmpdir(), `digest-${new Date(now()).toISOString().replace(/[:.]/g, '-')}-${runId.slice(0, 8)}.html`) : undefined);
    const progress = deps.stdout.isTTY && !flags.json ? ttyProgress((s) => deps.stdout.write(s), deps.stdout.columns) : undefined;

    const report = await runDigest(
      { source, claude, sender, logger: log, now, ...(progress ? { progress } : {}) },
      {
        runId,
        from: env.DIGEST_FROM ?? 'digest@localhost.invalid',
        to: env.DIGEST_TO ?? 'owner@localhost.invalid',
        ownAddresses: ownAddresses(env),
        timeZone,
        since,
        firstRunSince: new Date(now() - FIRST_RUN_WINDOW_MS),
        dryRun: flags.dryRun,
        outPath,
        ...(noClaudeReason ? { noClaudeReason } : {}),
        batch: flags.batch && claudePath === 'api' ? { deadlineMs: env.DIGEST_BATCH_DEADLINE_MINUTES * 60_000 } : undefined,
      },
    );
    // Who paid for the summaries: `usd` is billed on 'api', the API equivalent on 'subscription'.
    const paidBy = claude === null ? null : claudePath;
    if (flags.json) deps.stdout.write(`${JSON.stringify({ ...report, claudePath: paidBy })}\n`);
    else {
      deps.stdout.write(`${summaryLine(report)}${paidBy === 'subscription' ? ' (Claude on the subscription: API-equivalent USD, not billed)' : ''}\n`);
      if (report.htmlPath) deps.stdout.write(`HTML digest written to ${report.htmlPath}\n`);
    }
    return 0;
  } catch (err) {
    return fail(err, log, say);
  }
}

/** Maps an error to its exit code, after logging it. */
function fail(err: unknown, log: { error(obj: object, msg?: string): void }, say: (s: string) => void): number {
  if (isCredentialsError(err)) {
    say(err.message);
    return err.exitCode;
  }
  let code = 1;
  if (err instanceof DigestError) code = err.exitCode;
  else if (err instanceof MailError && (err.code === 'ECONFIG' || err.code === 'EGRANT')) code = 78;
  else if (err instanceof ClaudeError && err.code === 'ECONFIG') code = 78;
  log.error({ err }, 'digest run failed');
  const detail = err instanceof MailError ? ` (${err.code})` : '';
  say(`digest failed${detail}: ${err instanceof Error ? err.message : String(err)}`);
  return code;
}
