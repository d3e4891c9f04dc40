/**
 * The error class of `mailbox`. Like every error of the suite it carries its `exitCode` (EUSAGE:
 * 2, ECONFIG: 78, else 1), so @jobs/core's exitCodeOf maps it, and the errors of the packages
 * underneath, by their own exit codes: a missing or refused grant (EGRANT) and a bad key
 * (ECONFIG) are configuration, a refused login or a server that does not answer is a failure.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Stable codes of this app's own errors. */
export type MailboxErrorCode = 'EUSAGE' | 'ECONFIG' | 'ELOGIN';

/** A failure of the mailbox CLI. */
export class MailboxError extends Error {
  override readonly name = 'MailboxError';
  readonly code: MailboxErrorCode;
  /** The process exit code for this error: 2 for EUSAGE, 78 for ECONFIG, else 1. */
  readonly exitCode: ExitCode;
  constructor(code: MailboxErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCodeFor(code, { config: ['ECONFIG'], usage: ['EUSAGE'] });
  }
}
