/**
 * Exit codes of `mailbox`: 0 ok, 1 failure, 2 usage, 78 configuration. Errors of the packages
 * underneath are classified by `code`, never by message text: a missing or refused grant
 * (EGRANT) and a bad key (ECONFIG) are configuration, a refused login or a server that does
 * not answer is a failure.
 */
import { isCredentialsError } from '@jobs/credentials/errors';
import { MailError } from '@jobs/mail/errors';

/** Stable codes of this app's own errors. */
export type MailboxErrorCode = 'EUSAGE' | 'ECONFIG' | 'ELOGIN';

/** A failure of the mailbox CLI. */
export class MailboxError extends Error {
  override readonly name = 'MailboxError';
  readonly code: MailboxErrorCode;
  constructor(code: MailboxErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Exit codes. */
export const EXIT = { ok: 0, failure: 1, usage: 2, config: 78 } as const;

/** The exit code for anything thrown. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof MailboxError) return err.code === 'EUSAGE' ? EXIT.usage : err.code === 'ECONFIG' ? EXIT.config : EXIT.failure;
  if (isCredentialsError(err)) return err.exitCode;
  if (err instanceof MailError && (err.code === 'ECONFIG' || err.code === 'EGRANT')) return EXIT.config;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return EXIT.usage;
  return EXIT.failure;
}
