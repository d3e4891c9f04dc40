/**
 * The one error class of the cost CLI, and the exit code each failure maps to. Errors of the
 * packages underneath (CredentialsError, MailError, LedgerError) are classified by their `code`
 * in `exitCodeOf`, never by message text.
 */
import { isCredentialsError } from '@jobs/credentials/errors';
import { LedgerError } from '@jobs/ledger/errors';
import { MailError } from '@jobs/mail/errors';

/** Stable codes. */
export type CostErrorCode =
  /** A flag or argument is missing or malformed (exit 2). */
  | 'EUSAGE'
  /** The budget notice could not be sent (exit 1). */
  | 'ENOTIFY';

/** A failure of the cost CLI. */
export class CostError extends Error {
  override readonly name = 'CostError';
  readonly code: CostErrorCode;
  /** The flag concerned, for EUSAGE. */
  readonly flag: string | undefined;
  constructor(code: CostErrorCode, message: string, context: { flag?: string; cause?: unknown } = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.flag = context.flag;
  }
}

/** A usage error naming the flag and the value it got. */
export function usageError(flag: string, value: unknown, expected: string): CostError {
  return new CostError('EUSAGE', `${flag}: got ${JSON.stringify(value)}; expected ${expected}.`, { flag });
}

/** Exit codes: 0 ok, 1 failure, 2 usage, 78 configuration. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

/** The exit code for anything thrown. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CostError) return err.code === 'EUSAGE' ? EXIT.usage : EXIT.failure;
  if (isCredentialsError(err)) return err.exitCode;
  if (err instanceof MailError && (err.code === 'ECONFIG' || err.code === 'EGRANT')) return EXIT.config;
  if (err instanceof LedgerError && err.code === 'EOPTION') return EXIT.usage;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return EXIT.usage;
  return EXIT.failure;
}
