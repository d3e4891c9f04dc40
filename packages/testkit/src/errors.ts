/**
 * Errors of the mail harnesses (dovecot, SMTP capture, IMAP proxies, corpus loader).
 * The Anthropic simulator has its own class in anthropic-simulator/errors.ts.
 */

/** Stable error codes. */
export type TestkitErrorCode =
  /** An option has a wrong type or value; the message names the option and the value. */
  | 'ECONFIG'
  /** The dovecot binary (or doveadm) is not installed. */
  | 'EDOVECOT_MISSING'
  /** dovecot did not start (bad config, port taken on every retry, or no greeting in time). */
  | 'EDOVECOT_START'
  /** A doveadm command failed; `command` and `exitCode` say which and how. */
  | 'EDOVEADM'
  /** An IMAP command of the harness itself (THREAD) failed or got an unexpected reply. */
  | 'EIMAP'
  /** A wait helper ran out of time. */
  | 'ETIMEOUT'
  /** The harness was used after close(). */
  | 'ECLOSED'
  /** The SpamAssassin corpus package is missing or not in the expected shape. */
  | 'ECORPUS';

/** Context fields an error may carry (never secrets). */
export interface TestkitErrorContext {
  cause?: unknown;
  option?: string;
  command?: string;
  exitCode?: number | null;
  durationMs?: number;
}

/** The one error class the mail harnesses throw. */
export class TestkitError extends Error {
  override name = 'TestkitError';
  readonly code: TestkitErrorCode;
  /** The option at fault, for ECONFIG. */
  readonly option: string | undefined;
  /** The external command that failed, for EDOVEADM / EDOVECOT_START. */
  readonly command: string | undefined;
  /** Exit code of that command, when it exited. */
  readonly exitCode: number | null | undefined;
  /** How long the failed operation took or waited. */
  readonly durationMs: number | undefined;

  constructor(code: TestkitErrorCode, message: string, ctx: TestkitErrorContext = {}) {
    super(message, ctx.cause === undefined ? undefined : { cause: ctx.cause });
    this.code = code;
    this.option = ctx.option;
    this.command = ctx.command;
    this.exitCode = ctx.exitCode;
    this.durationMs = ctx.durationMs;
  }
}
