/**
 * The CLI's logic, callable in-process: `main(argv, deps)` parses the flags, reads the process
 * settings and repos.env (exit 78 before any network I/O when a key is missing), opens the state
 * (run lock, compaction, journal), builds the clients, runs once or watches, prints the summary
 * and returns the exit code. Each step lives in its own file; this is the list of steps.
 */
import { randomUUID } from 'node:crypto';
import { exitCodeOf } from '@jobs/core/exit-code';
import { createLogger } from '@jobs/core/logger';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { SecretSet } from '@jobs/credentials/secret-set';
import { createLedger, defaultStateDir, resolveLedgerPath } from '@jobs/ledger/ledger';
import type { ImapSourceOptions } from '@jobs/mail/imap';
import type { SmtpSenderOptions } from '@jobs/mail/smtp';
import { HELP, parseCli, UsageError } from './cli-args.ts';
import { type ClientInputs, makeClaude, makeMail, resolveLeadMailbox, settingsFrom } from './clients.ts';
import { tellOwnerOfRefusedGrant } from './grant-notice.ts';
import { dailyClaude } from './internal/daily-claude.ts';
import { loadLeadFiles, loadLeadScope } from './load-config.ts';
import { type LeadState, openLeadState } from './open-state.ts';
import { runOutput } from './output.ts';
import type { RunReport } from './report.ts';
import { runResponder, watchResponder } from './run.ts';

/** What main needs from the process; tests pass their own. */
export interface MainDeps {
  /**
   * The parent environment: REPOS_ENV, JOBS_STATE_DIR, COST_LEDGER, LOG_LEVEL and the Claude path
   * (JOBS_CLAUDE_PATH=subscription, set by `farm run-job --path subscription`, drafts through the
   * `claude` CLI, JOBS_CLAUDE_BIN else FARM_CLAUDE_BIN else `claude`, on the owner's login with no
   * API key), all checked by @jobs/credentials/runtime-env; the CLI's environment is built from it.
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

/** Runs the CLI; resolves with the exit code. Never throws. */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  let args: ReturnType<typeof parseCli>;
  try {
    args = parseCli(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.stderr.write(`lead-responder: ${err.message}\n\n${HELP}\n`);
    return 2;
  }
  if (args.help) {
    deps.stdout.write(`${HELP}\n`);
    return 0;
  }
  let loaded: [ReturnType<typeof readRuntimeEnv>, Awaited<ReturnType<typeof loadLeadScope>>];
  try {
    const runtime = readRuntimeEnv(deps.env);
    const source = { envFile: args.envFile, reposEnv: runtime.REPOS_ENV, workspaceRoot: deps.workspaceRoot, cwd: deps.cwd };
    loaded = [runtime, await loadLeadScope(source, runtime.JOBS_CLAUDE_PATH)];
  } catch (err) {
    deps.stderr.write(`lead-responder: ${err instanceof Error ? err.message : String(err)}\n`);
    return exitCodeOf(err);
  }
  const [runtime, scope] = loaded;
  const config = scope.values;
  const mode: RunReport['mode'] = args.dryRun ? 'dry-run' : args.approve ? 'approve' : 'send';
  const now = deps.now ?? Date.now;
  const runId = randomUUID();
  // repos.env's secrets and every OAuth 2 token learned during the run are redacted.
  const tokens = new SecretSet();
  const redact = (line: string) => tokens.redact(scope.redact(line));
  const logger = createLogger({ level: runtime.LOG_LEVEL, redact, stream: deps.stderr, base: { app: 'lead-responder', runId } });
  const out = runOutput({ ...deps, json: args.json, claudePath: runtime.JOBS_CLAUDE_PATH, mode, redact, logger });
  let state: LeadState | undefined;
  // what a refused OAuth 2 grant's notice to the owner needs, once known
  let grantNotice: Omit<Parameters<typeof tellOwnerOfRefusedGrant>[1], 'mailbox'> | undefined;
  let mailbox: Awaited<ReturnType<typeof resolveLeadMailbox>>;
  const closers: Array<() => Promise<unknown>> = [];
  try {
    const { profile, rules } = await loadLeadFiles(config, scope.file);
    const stateDir = defaultStateDir({ env: { JOBS_STATE_DIR: runtime.JOBS_STATE_DIR }, home: deps.home });
    state = await openLeadState(stateDir, config, { mode, now, logger, pid: deps.pid });
    const ledger = createLedger({ path: resolveLedgerPath({ costLedger: runtime.COST_LEDGER, stateDir }), logger, instance: runtime.JOBS_INSTANCE });
    const job = args.watch ? 'watch' : mode;
    const inputs: ClientInputs = { scope, runtime, parentEnv: deps.env, job, runId, ledger, logger, now, imapOptions: deps.imapOptions, smtpOptions: deps.smtpOptions };
    const claude = await makeClaude(inputs);
    grantNotice = { inputs, stateDir, timeZone: config.LEAD_TIMEZONE ?? Intl.DateTimeFormat().resolvedOptions().timeZone, logger };
    mailbox = await resolveLeadMailbox(config, stateDir, (t) => tokens.add(t), now, scope.file);
    const { imap, smtp } = makeMail(inputs, mailbox);
    closers.push(() => imap.close());
    const settings = settingsFrom(config, rules, scope.secrets, mailbox);
    const { journal, checkpoints } = state;
    const claudeClient = args.watch ? dailyClaude(claude, now, settings.timeZone) : claude();
    const responder = { imap, smtp, claude: claudeClient, journal, checkpoints, profile, rules, settings, logger, now, redact, print: out.line };
    if (args.watch) {
      logger.info({ mailbox: config.LEAD_IMAP_MAILBOX, mode }, 'watching for leads');
      const pollIntervalMs = config.LEAD_WATCH_POLL_SECONDS * 1000;
      const onPass = (r: RunReport) => (r.messages > 0 || r.recovered > 0 || r.error ? out.summary(r) : undefined);
      await watchResponder(responder, { mode, ...(deps.signal ? { signal: deps.signal } : {}), pollIntervalMs, onPass });
      return 0;
    }
    out.summary(await runResponder(responder, { mode, compaction: state.compaction }));
    return 0;
  } catch (err) {
    out.failed(err, (err as { report?: RunReport }).report);
    if (grantNotice && mode !== 'dry-run') await tellOwnerOfRefusedGrant(err, { ...grantNotice, mailbox });
    return exitCodeOf(err);
  } finally {
    for (const close of closers) await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
    await state?.close();
  }
}
