/**
 * The last steps of the digest command: the run report printed on stdout (one line, or one
 * JSON object with --json), and anything thrown mapped to its exit code with @jobs/core's
 * exitCodeOf (every error class of the suite carries its `exitCode`).
 */
import { failureJson } from '@jobs/core/cli';
import { type ExitCode, exitCodeOf } from '@jobs/core/exit-code';
import type { Logger } from '@jobs/core/logger';
import { isCredentialsError } from '@jobs/credentials/errors';
import { MailError } from '@jobs/mail/errors';
import { summaryLine } from '../report.ts';
import type { RunReport } from '../types.ts';
import type { Out } from './deps.ts';

/**
 * The --json report: RunReport with its documented field names (`messages`: read, `quarantined`:
 * the count of `unreadable`), and `claudePath`, who paid for the summaries.
 */
export function reportJson(report: RunReport, paidBy: 'api' | 'subscription' | null): Record<string, unknown> {
  const { messagesRead, unreadableCount, ...rest } = report;
  return { ...rest, messages: messagesRead, quarantined: unreadableCount, claudePath: paidBy };
}

/** Prints the report; `paidBy` says who paid for the summaries (API-equivalent USD on the subscription). */
export function printReport(out: Out, report: RunReport, paidBy: 'api' | 'subscription' | null, json: boolean): void {
  if (json) {
    out.write(`${JSON.stringify(reportJson(report, paidBy))}\n`);
    return;
  }
  out.write(`${summaryLine(report)}${paidBy === 'subscription' ? ' (Claude on the subscription: API-equivalent USD, not billed)' : ''}\n`);
  if (report.htmlPath) out.write(`HTML digest written to ${report.htmlPath}\n`);
}

/**
 * Logs and prints a failed run; returns its exit code. A configuration report is printed as it
 * is; under --json the failure is also one JSON object on stdout (`json` holds that stream).
 */
export function fail(err: unknown, log: Logger, say: (s: string) => void, json?: { out: Out; redact: (s: string) => string }): ExitCode {
  const code = exitCodeOf(err);
  if (json) json.out.write(failureJson(err, code, json.redact));
  if (isCredentialsError(err)) {
    say(err.message);
    return code;
  }
  log.error({ err }, 'digest run failed');
  const detail = err instanceof MailError ? ` (${err.code})` : '';
  say(`digest failed${detail}: ${err instanceof Error ? err.message : String(err)}`);
  return code;
}
