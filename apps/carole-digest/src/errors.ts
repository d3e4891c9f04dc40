/**
 * The one error class of the digest. Foreign errors (MailError, ClaudeError, CredentialsError)
 * keep their own class; each carries an `exitCode`, which main.ts reads with @jobs/core's
 * exitCodeOf. DigestError covers what the digest itself decides is wrong.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Every code a DigestError can carry. */
export type DigestErrorCode =
  /** A command-line option is missing or malformed (exit 2). */
  | 'EUSAGE'
  /** A repos.env value or an option of runDigest is inconsistent (exit 78). */
  | 'ECONFIG'
  /** The digest could not be sent; the checkpoint was left where it was. */
  | 'ESEND'
  /** A state file (checkpoint, output file) could not be read or written. */
  | 'ESTATE';

/** Context fields; never secrets, never message content. */
export interface DigestErrorContext {
  readonly option?: string | undefined;
  readonly path?: string | undefined;
  readonly source?: string | undefined;
  readonly durationMs?: number | undefined;
  readonly cause?: unknown;
}

/** An error of the digest app, with a stable `code`. */
export class DigestError extends Error {
  override readonly name = 'DigestError';
  readonly code: DigestErrorCode;
  readonly option: string | undefined;
  readonly path: string | undefined;
  readonly source: string | undefined;
  readonly durationMs: number | undefined;
  /** The process exit code: 2 for EUSAGE, 78 for ECONFIG, else 1. */
  readonly exitCode: ExitCode;

  constructor(code: DigestErrorCode, message: string, context: DigestErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.option = context.option;
    this.path = context.path;
    this.source = context.source;
    this.durationMs = context.durationMs;
    this.exitCode = exitCodeFor(code, { config: ['ECONFIG'], usage: ['EUSAGE'] });
  }
}

/** Type guard, optionally for one code. */
export function isDigestError(err: unknown, code?: DigestErrorCode): err is DigestError {
  return err instanceof DigestError && (code === undefined || err.code === code);
}
