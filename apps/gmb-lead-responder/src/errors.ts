/**
 * The one error class of the lead responder. Foreign errors (MailError, ClaudeError,
 * CredentialsError) are kept as `cause`; callers branch on `code`, never on message text.
 */

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

  constructor(code: LeadErrorCode, message: string, context: LeadErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.path = context.path;
    this.pid = context.pid;
    this.lead = context.lead;
  }
}

/** Type guard, optionally for one code. */
export function isLeadError(err: unknown, code?: LeadErrorCode): err is LeadError {
  return err instanceof LeadError && (code === undefined || err.code === code);
}
