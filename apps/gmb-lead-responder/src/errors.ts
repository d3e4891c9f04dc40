/**
 * The one error class of the lead responder. Foreign errors (MailError, ClaudeError,
 * CredentialsError) are kept as `cause`; callers branch on `code`, never on message text.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Every code a LeadError carries. */
export type LeadErrorCode =
  /** The profile or rules file is missing or malformed, or an option is wrong. Exit 78. */
  | 'ECONFIG'
  /** Another run holds the run lock. */
  | 'ELOCKED'
  /** IMAP or SMTP refused the credentials: the run stops. */
  | 'EAUTH'
  /** The mailbox could not be read (timeout, lost connection); nothing unanswered was marked. */
  | 'EIMAP'
  /** The journal or another state file could not be read or written. */
  | 'ESTATE'
  /** The run's Claude budget is spent; the remaining leads wait for the next run. */
  | 'EBUDGET';

/** Context fields; never secrets, never message bodies. */
export interface LeadErrorContext {
  readonly path?: string | undefined;
  readonly pid?: number | undefined;
  readonly lead?: string | undefined;
  readonly cause?: unknown;
}

/** An error of the lead responder, with a stable `code`. */
export class LeadError extends Error {
  override readonly name = 'LeadError';
  readonly code: LeadErrorCode;
  readonly path: string | undefined;
  readonly pid: number | undefined;
  readonly lead: string | undefined;
  /** 78 for ECONFIG, else 1 (see @jobs/core/exit-code). */
  readonly exitCode: ExitCode;

  constructor(code: LeadErrorCode, message: string, context: LeadErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.path = context.path;
    this.pid = context.pid;
    this.lead = context.lead;
    this.exitCode = exitCodeFor(code, { config: ['ECONFIG'] });
  }
}

/** Type guard, optionally for one code. */
export function isLeadError(err: unknown, code?: LeadErrorCode): err is LeadError {
  return err instanceof LeadError && (code === undefined || err.code === code);
}
