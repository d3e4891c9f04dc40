/**
 * main(argv, deps): the digest command without `process`, as a list of steps: parse the flags
 * (exit 2), read the process settings and repos.env (exit 78 before any network I/O), build the
 * source, the Claude client (with the cost ledger, app `digest`) and the SMTP sender, run, print
 * the run summary on stdout (one line, or one JSON object with --json), and map errors to exit
 * codes: 0 ok, 1 failure, 2 usage, 78 configuration. Logs are JSON lines on stderr, redacted.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { failureJson } from '@jobs/core/cli';
import { EXIT } from '@jobs/core/exit-code';
import { createLogger, type Logger } from '@jobs/core/logger';
import { type DigestFlags, HELP, parseFlags, parseSince } from './args.ts';
import { ownAddresses, parseSourceSpec } from './config.ts';
import type { MainDeps } from './edge/deps.ts';
import { fail, printReport } from './edge/outcome.ts';
import { type Setup, setup, stderrStream } from './edge/setup.ts';
import { buildClaude, buildSender, buildSource, type DigestMailbox, resolveMailbox } from './edge/transports.ts';
import { DigestError } from './errors.ts';
import { ttyProgress } from './report.ts';
import { runDigest } from './run.ts';
import * as z from 'zod';

export type { MainDeps, Out } from './edge/deps.ts';

const FIRST_RUN_WINDOW_MS = 24 * 3_600_000;

/** Parses and checks the flags; throws on a usage error. */
function readFlags(argv: readonly string[], now: number): { flags: DigestFlags; since: Date | undefined } {
  const flags = parseFlags(argv);
  if (flags.source !== undefined && !parseSourceSpec(flags.source)) {
    throw new DigestError('EUSAGE', `--source must be imap or maildir:PATH, got ${JSON.stringify(flags.source)}`, { option: 'source' });
  }
  return { flags, since: flags.help || flags.since === undefined ? undefined : parseSince(flags.since, now) };
}

/** Runs the digest command; resolves with the exit code (never rejects). */
export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  // A run parses each schema once or twice: zod's compiled fast path costs more than it saves
  // (its code generation is about 1 MB of a short run's peak RSS).
  z.config({ jitless: true });
  const now = deps.now ?? Date.now;
  const say = (s: string) => deps.stderr.write(`${s}\n`);
  let parsed: ReturnType<typeof readFlags>;
  try {
    parsed = readFlags(argv, now());
  } catch (err) {
    say(err instanceof Error ? err.message : String(err));
    if (argv.includes('--json')) deps.stdout.write(failureJson(err, EXIT.usage));
    return EXIT.usage;
  }
  const { flags, since } = parsed;
  if (flags.help) {
    deps.stdout.write(HELP);
    return EXIT.ok;
  }

  let log: Logger = createLogger({ stream: stderrStream(deps), level: 'silent' });
  let redact = (t: string) => t;
  // what the owner's notice of a refused OAuth 2 grant needs, once known
  let ready: Setup | undefined;
  let mailbox: DigestMailbox;
  try {
    const s = await setup(flags, deps);
    log = s.log;
    redact = s.redact;
    ready = s;
    mailbox = await resolveMailbox(s, !flags.dryRun, now);
    const source = await buildSource(s, mailbox, deps.sleep);
    const { claude, noClaudeReason, paidBy } = buildClaude(s, flags, { now, parentEnv: deps.env, ...(deps.sleep ? { sleep: deps.sleep } : {}) }, say);
    const sender = buildSender(s, flags.dryRun, mailbox);
    const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
    const outPath = flags.out ?? (flags.dryRun ? join(tmpdir(), `digest-${stamp}-${s.runId.slice(0, 8)}.html`) : undefined);
    // Progress is a diagnostic: stderr, when that is a terminal, so stdout stays the report.
    const progress = deps.stderr.isTTY ? ttyProgress((t) => deps.stderr.write(t), deps.stderr.columns) : undefined;

    const report = await runDigest(
      { source, claude, sender, logger: log, now, ...(progress ? { progress } : {}) },
      {
        runId: s.runId,
        from: s.env.DIGEST_FROM ?? 'digest@localhost.invalid',
        to: s.env.DIGEST_TO ?? 'owner@localhost.invalid',
        ownAddresses: ownAddresses(s.env),
        // Unset: the system's zone, resolved by runDigest only when it renders (Intl loads ICU's data).
        timeZone: s.env.DIGEST_TIMEZONE,
        since,
        firstRunSince: new Date(now() - FIRST_RUN_WINDOW_MS),
        dryRun: flags.dryRun,
        outPath,
        ...(noClaudeReason ? { noClaudeReason } : {}),
        batch: flags.batch && s.runtime.JOBS_CLAUDE_PATH === 'api' ? { deadlineMs: s.env.DIGEST_BATCH_DEADLINE_MINUTES * 60_000 } : undefined,
      },
    );
    printReport(deps.stdout, report, paidBy, flags.json);
    return EXIT.ok;
  } catch (err) {
    const code = fail(err, log, say, flags.json ? { out: deps.stdout, redact } : undefined);
    // Loaded only on a failure: a run with nothing to do never loads the alert channel.
    if (ready && !flags.dryRun) await (await import('./edge/grant-notice.ts')).tellOwnerOfRefusedGrant(err, ready, mailbox, now);
    return code;
  }
}
