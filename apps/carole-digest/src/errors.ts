/**
 * The one error class of the digest. Foreign errors (MailError, ClaudeError, CredentialsError)
 * keep their own class and are mapped to exit codes in main.ts; DigestError covers what the
 * digest itself decides is wrong.
 */

/** Every code a DigestError can carry. */
export type DigestErrorCode =
  /** A command-line option is missing or malformed (exit 2). */
  | 'EUSAGE'
  /** A repos.env value or an option of runDigest is inconsistent (exit 78). */
  | 'ECONFIG'
  /** The mail source failed (connection, timeout, mailbox). */
  | 'ESOURCE'
  /** The digest could not be sent; the checkpoint was left where it was. */
  | 'ESEND'
  /** A state file (checkpoint, output file) could not be read or written. */
  | 'ESTATE'
  /** The run took longer than its overall deadline. */
  | 'ETIMEOUT';

/** Exit code of each DigestError code. */
export const EXIT_CODES: Readonly<Record<DigestErrorCode, number>> = Object.freeze({
  EUSAGE: 2,
  ECONFIG: 78,
  ESOURCE: 1,
  ESEND: 1,
  ESTATE: 1,
  ETIMEOUT: 1,
});

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

  constructor(code: DigestErrorCode, message: string, context: DigestErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.option = context.option;
    this.path = context.path;
    this.source = context.source;
    this.durationMs = context.durationMs;
  }

  /** The process exit code for this error. */
  get exitCode(): number {
    return EXIT_CODES[this.code];
  }
}

/** Type guard, optionally for one code. */
export function isDigestError(err: unknown, code?: DigestErrorCode): err is DigestError {
  return err instanceof DigestError && (code === undefined || err.code === code);
}
