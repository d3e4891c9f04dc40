/**
 * What a run prints: the summary line (or its JSON with `--json`) saying who paid for Claude,
 * and, when a run stops, its error on stderr (redacted), in the report and in the log.
 */
import type { Logger } from '@jobs/core/logger';
import { isLeadError } from './errors.ts';
import { newReport, type RunReport, summaryLine } from './report.ts';

/** Where output goes. */
export interface OutputStreams {
  readonly stdout: { write(s: string): boolean };
  readonly stderr: { write(s: string): boolean };
}

/** The run's printer. */
export interface RunOutput {
  /** Prints a report's summary. */
  summary(report: RunReport): void;
  /** A progress line (not with --json). */
  line(text: string): void;
  /** Records and prints why the run stopped. */
  failed(err: unknown, report: RunReport | undefined): void;
}

/** A printer for `--json` or text; on the subscription, `usd` is what the API would have charged. */
export function runOutput(
  o: OutputStreams & { json: boolean; claudePath: 'api' | 'subscription'; mode: RunReport['mode']; redact: (s: string) => string; logger: Logger },
): RunOutput {
  const summary = (r: RunReport) => {
    const text = o.json
      ? JSON.stringify({ ...r, claudePath: o.claudePath })
      : `${summaryLine(r)}${o.claudePath === 'subscription' ? ' (Claude on the subscription: API-equivalent USD, not billed)' : ''}`;
    o.stdout.write(`${text}\n`);
  };
  return {
    summary,
    line(text) {
      if (!o.json) o.stdout.write(`${text}\n`);
    },
    failed(err, report) {
      const r = report ?? newReport(o.mode);
      const message = err instanceof Error ? err.message : String(err);
      r.error ??= { code: isLeadError(err) ? err.code : 'EUNKNOWN', message: o.redact(message) };
      o.logger.error({ err, code: r.error.code }, 'run stopped');
      o.stderr.write(`lead-responder: ${o.redact(r.error.message)}\n`);
      summary(r);
    },
  };
}
