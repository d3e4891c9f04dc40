/**
 * The one error class of @jobs/mail. Foreign errors (imapflow, nodemailer, node:fs) are turned
 * into a MailError where they enter the package, classified by their `code`, `responseCode` or
 * `command`, never by their message text. Each carries the process `exitCode` its code means
 * (ECONFIG: 78, else 1), read by @jobs/core's exitCodeOf.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/**
 * Every code a MailError can carry. Callers branch on `retryable` rather than on a list of
 * codes where they can; `EUNKNOWN_DELIVERY` is the one that needs its own branch.
 */
export type MailErrorCode =
  /** An option was missing or malformed when a client was built. */
  | 'ECONFIG'
  /** The server refused the credentials (IMAP LOGIN/AUTHENTICATE or SMTP AUTH). Final: stop the run. */
  | 'EAUTH'
  /** A connect, greeting or socket inactivity timeout. Temporary. */
  | 'ETIMEOUT'
  /** The connection could not be opened or was lost. Temporary. */
  | 'ECONNECTION'
  /** The server answered with a temporary failure (SMTP 4xx, IMAP throttling). Retry later. */
  | 'ETEMP'
  /** The SMTP server refused the message for good (5xx). Do not retry the same message. */
  | 'EPERM_SMTP'
  /**
   * The connection dropped (or timed out) after the message body was handed to the SMTP server
   * but before its reply: the message may or may not have been accepted. Never resend blindly.
   */
  | 'EUNKNOWN_DELIVERY'
  /** Another run holds the run lock, or an IMAP mailbox lock was not granted in time. */
  | 'ELOCKED'
  /** The mailbox UIDVALIDITY changed under an operation that relied on the old UIDs. */
  | 'EUIDVALIDITY'
  /** A mailbox (or a special-use folder such as \Sent) does not exist. */
  | 'ENOMAILBOX'
  /** The IMAP server refused a command (NO/BAD) for another reason. */
  | 'EIMAP'
  /** The server does not support what was asked (a keyword without `\*` in PERMANENTFLAGS, ...). */
  | 'EUNSUPPORTED'
  /** A state file (checkpoint, journal, lock) could not be read or written. */
  | 'ESTATE'
  /** A message exceeded a size cap. */
  | 'ETOOBIG'
  /**
   * An OAuth 2 grant is missing, unreadable, readable by others, or was refused by the token
   * endpoint (`invalid_grant`: revoked or expired). A configuration error: run `pnpm mailbox login <job>`.
   */
  | 'EGRANT';

/** Context fields a MailError may carry. Never secrets: no passwords, no message bodies. */
export interface MailErrorContext {
  /** SMTP or IMAP command in flight (`DATA`, `RCPT TO`, `FETCH`, ...). */
  readonly command?: string | undefined;
  /** SMTP reply code (451, 535, ...). */
  readonly responseCode?: number | undefined;
  /** The code the foreign error had (`ECONNECTION`, `NoConnection`, `ENOENT`, ...). */
  readonly originalCode?: string | undefined;
  /** Mailbox path involved. */
  readonly mailbox?: string | undefined;
  /** File path involved (state files). */
  readonly path?: string | undefined;
  /** The Message-ID involved (an outgoing message for EUNKNOWN_DELIVERY). */
  readonly messageId?: string | undefined;
  /** How long the failed operation ran. */
  readonly durationMs?: number | undefined;
  /** The mailbox a grant belongs to (`digest`, `lead`, `notify`), for EGRANT. */
  readonly account?: string | undefined;
}

const RETRYABLE: ReadonlySet<MailErrorCode> = new Set<MailErrorCode>([
  'ETIMEOUT',
  'ECONNECTION',
  'ETEMP',
  'ELOCKED',
]);

/** An error raised by @jobs/mail, with a stable `code` and context fields. */
export class MailError extends Error {
  override readonly name = 'MailError';
  readonly code: MailErrorCode;
  readonly command: string | undefined;
  readonly responseCode: number | undefined;
  readonly originalCode: string | undefined;
  readonly mailbox: string | undefined;
  readonly path: string | undefined;
  readonly messageId: string | undefined;
  readonly durationMs: number | undefined;
  /** The process exit code for this error: 78 for ECONFIG and EGRANT (log in again), else 1. */
  readonly exitCode: ExitCode;
  readonly account: string | undefined;

  constructor(
    code: MailErrorCode,
    message: string,
    options: MailErrorContext & { readonly cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.command = options.command;
    this.responseCode = options.responseCode;
    this.originalCode = options.originalCode;
    this.mailbox = options.mailbox;
    this.path = options.path;
    this.messageId = options.messageId;
    this.durationMs = options.durationMs;
    this.exitCode = exitCodeFor(code, { config: ['ECONFIG', 'EGRANT'] });
    this.account = options.account;
  }

  /**
   * True when the same operation may succeed later without anyone changing anything
   * (timeouts, dropped connections, 4xx). False for EAUTH, EPERM_SMTP and, on purpose,
   * EUNKNOWN_DELIVERY: a resend could deliver the message twice.
   */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

/** Type guard for MailError, optionally for one code. */
export function isMailError(err: unknown, code?: MailErrorCode): err is MailError {
  return err instanceof MailError && (code === undefined || err.code === code);
}
