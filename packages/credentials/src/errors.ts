/**
 * The one error class of @jobs/credentials. Every failure carries a stable `code`;
 * configuration problems carry `exitCode` 78 (EX_CONFIG from sysexits.h), which the
 * apps' CLIs use as their process exit code. No field ever holds a secret value.
 */

/** Stable failure codes; classify on these, never on the message text. */
export type CredentialsErrorCode =
  /** The env file has missing or malformed keys, or lines that do not parse. */
  | 'ECONFIG'
  /** No env file at any of the places looked at. */
  | 'ENOFILE'
  /** The env file is readable or writable by group or others. */
  | 'EPERM_FILE'
  /** The env file is tracked by git. */
  | 'ETRACKED'
  /** The env file exists but could not be read (not a regular file, I/O error). */
  | 'EREAD'
  /** `childEnv('api')` was asked for without an API key. */
  | 'EMISSING_KEY'
  /** An option passed to a function of this package is invalid. */
  | 'EOPTION';

/** EX_CONFIG from sysexits.h: "something was found in an unconfigured or misconfigured state". */
export const EXIT_CONFIG = 78;

/** One problem with one key (or one line) of an env file. Never holds the value. */
export interface KeyIssue {
  /** The key, or `line N` for a line that does not parse. */
  key: string;
  /** `missing`, `malformed` or `syntax`. */
  kind: 'missing' | 'malformed' | 'syntax';
  /** What is wrong, in words; never the value. */
  problem: string;
}

/** Context fields a CredentialsError may carry. */
export interface CredentialsErrorContext {
  /** The env file concerned, when there is one. */
  file?: string;
  /** Every key problem found, for `ECONFIG`. */
  issues?: readonly KeyIssue[];
  /** The file mode as an octal string (`644`), for `EPERM_FILE`. */
  mode?: string;
  /** The places looked at, for `ENOFILE`. */
  lookedAt?: readonly string[];
  /** The option that was refused, for `EOPTION`. */
  option?: string;
  cause?: unknown;
}

/** Codes that are the operator's configuration, hence exit 78. */
const CONFIG_CODES: ReadonlySet<CredentialsErrorCode> = new Set([
  'ECONFIG',
  'ENOFILE',
  'EPERM_FILE',
  'ETRACKED',
  'EREAD',
]);

/** The error every function of this package throws. */
export class CredentialsError extends Error {
  override name = 'CredentialsError';
  readonly code: CredentialsErrorCode;
  /** 78 for configuration problems, 1 for programming errors (`EOPTION`, `EMISSING_KEY`). */
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly issues: readonly KeyIssue[];
  readonly mode: string | undefined;
  readonly lookedAt: readonly string[];
  readonly option: string | undefined;

  constructor(code: CredentialsErrorCode, message: string, context: CredentialsErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.exitCode = CONFIG_CODES.has(code) ? EXIT_CONFIG : 1;
    this.file = context.file;
    this.issues = Object.freeze([...(context.issues ?? [])]);
    this.mode = context.mode;
    this.lookedAt = Object.freeze([...(context.lookedAt ?? [])]);
    this.option = context.option;
  }
}

/** True when `err` is a CredentialsError (also across duplicated module instances). */
export function isCredentialsError(err: unknown): err is CredentialsError {
  return (
    err instanceof CredentialsError ||
    (err instanceof Error && err.name === 'CredentialsError' && typeof (err as { code?: unknown }).code === 'string')
  );
}
