/**
 * The responder's entry points for the CLI and the tests: one run (recovery, then one pass)
 * and watch mode (IDLE plus a timer, a pass after each wake-up). Both return or emit a
 * RunReport; errors that stop a run are LeadErrors with a code the CLI maps to an exit code.
 */
import { isMailError } from '@jobs/mail/errors';
import { createCtx, type Ctx, type ResponderDeps } from './context.ts';
import { isLeadError, LeadError } from './errors.ts';
import { resolveFolders } from './folders.ts';
import { runPass } from './pass.ts';
import { settleAll } from './approval/act.ts';
import { recover } from './recover.ts';
import { newReport, type RunReport } from './report.ts';

export type { ResponderDeps, Settings, Logger } from './context.ts';
export type { RunReport, Outcome } from './report.ts';

/** Options of a run. */
export interface RunOptions {
  /** send (default), approve (drafts only, owner notice) or dry-run (no change at all). */
  readonly mode?: RunReport['mode'];
  /** What the journal compaction before the run did (goes into the report). */
  readonly compaction?: RunReport['compaction'];
}

/** Turns what stopped a run into a LeadError (IMAP and SMTP errors by their code). */
export function toLeadError(err: unknown): LeadError {
  if (isLeadError(err)) return err;
  if (isMailError(err)) {
    if (err.code === 'EAUTH') {
      return new LeadError('EAUTH', `the mail server refused the login: check the IMAP/SMTP user and password in repos.env (${err.message})`, {
        cause: err,
      });
    }
    if (err.code === 'ESTATE') return new LeadError('ESTATE', err.message, { cause: err, path: err.path });
    // a missing, unreadable or refused OAuth 2 grant: configuration (78), the message names the login command
    if (err.code === 'EGRANT') return new LeadError('ECONFIG', err.message, { cause: err });
    return new LeadError('EIMAP', `the mailbox could not be worked (${err.code}): ${err.message}`, { cause: err });
  }
  return new LeadError('EIMAP', `the run stopped on an unexpected error: ${(err as Error)?.message ?? String(err)}`, { cause: err });
}

async function onePass(ctx: Ctx, withRecovery: boolean): Promise<void> {
  try {
    await resolveFolders(ctx);
    if (withRecovery) await recover(ctx);
    await settleAll(ctx);
    await runPass(ctx);
  } catch (err) {
    const e = toLeadError(err);
    ctx.report.error = { code: e.code, message: e.message };
    throw e;
  }
}

/**
 * One run: recovery of the journal's unfinished leads, then one pass over new mail. Resolves
 * with the report; rejects with a LeadError whose `report` property holds what was done.
 */
export async function runResponder(deps: ResponderDeps, options: RunOptions = {}): Promise<RunReport> {
  const report = newReport(options.mode ?? 'send');
  report.compaction = options.compaction ?? null;
  const ctx = createCtx(deps, report.mode, report);
  if (!deps.settings.authTrust && deps.rules.sources.length > 0) {
    deps.logger.warn(
      { sources: deps.rules.sources.map((s) => s.id) },
      'notifications are trusted on their From header alone, which anyone can forge: set LEAD_MAIL_PROVIDER or LEAD_AUTHSERV_ID in repos.env',
    );
  }
  try {
    await onePass(ctx, true);
  } catch (err) {
    throw Object.assign(err as LeadError, { report });
  }
  return report;
}

/** Options of watch mode. */
export interface WatchRunOptions extends RunOptions {
  readonly signal?: AbortSignal;
  /** STATUS check interval (IDLE can stop delivering silently). Default 60 000. */
  readonly pollIntervalMs?: number;
  /** Called with each pass's report. */
  readonly onPass?: (report: RunReport) => void;
}

/**
 * Watch mode: stays connected, runs a pass whenever IDLE reports mail, the timer sees UIDNEXT
 * move, or the connection was rebuilt. A pass that fails on the mailbox (dropped connection,
 * timeout) is logged and the watcher reconnects; auth and state errors end the watch.
 */
export async function watchResponder(deps: ResponderDeps, options: WatchRunOptions = {}): Promise<void> {
  const mode = options.mode ?? 'send';
  let first = true;
  const events = deps.imap.watch({
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
  });
  try {
    for await (const event of events) {
      const report = newReport(mode);
      const ctx = createCtx(deps, mode, report);
      try {
        await onePass(ctx, first);
        first = false;
      } catch (err) {
        const e = err as LeadError;
        if (e.code === 'EAUTH' || e.code === 'ESTATE' || e.code === 'ECONFIG') throw Object.assign(e, { report });
        deps.logger.warn({ err: e, wake: event.reason }, 'watch pass failed: retrying on the next wake-up');
      } finally {
        options.onPass?.(report);
      }
    }
  } catch (err) {
    throw toLeadError(err);
  }
}
