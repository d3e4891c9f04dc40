/**
 * The one error class of the cost CLI. Like every error class of the suite it carries the
 * `exitCode` its code maps to (EUSAGE 2, ECONFIG 78, else 1), so `main` maps anything thrown
 * (this, CredentialsError, LedgerError, ClaudeError) with @jobs/core's exitCodeOf.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Stable codes. */
export type CostErrorCode =
  /** A flag or argument is missing or malformed (exit 2). */
  | 'EUSAGE'
  /** A repos.env setting the command needs is unusable, e.g. the SMTP settings of the notice (exit 78). */
  | 'ECONFIG'
  /** The budget notice could not be sent (exit 1). */
  | 'ENOTIFY';

const KINDS = { config: ['ECONFIG'], usage: ['EUSAGE'] } as const satisfies Record<string, readonly CostErrorCode[]>;

/** A failure of the cost CLI. */
export class CostError extends Error {
  override readonly name = 'CostError';
  readonly code: CostErrorCode;
  /** The process exit status this failure maps to. */
  readonly exitCode: ExitCode;
  /** The flag concerned, for EUSAGE. */
  readonly flag: string | undefined;
  constructor(code: CostErrorCode, message: string, context: { flag?: string; cause?: unknown } = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.exitCode = exitCodeFor(code, KINDS);
    this.flag = context.flag;
  }
}

/** A usage error naming the flag and the value it got. */
export function usageError(flag: string, value: unknown, expected: string): CostError {
  return new CostError('EUSAGE', `${flag}: got ${JSON.stringify(value)}; expected ${expected}.`, { flag });
}
