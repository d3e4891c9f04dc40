/**
 * The one error class of @jobs/farm. Every failure has a stable `code`; the CLI turns
 * `exitCode` into the process exit status (1 failure, 2 usage, 78 configuration).
 * Context fields never hold a secret.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Stable failure codes; classify on these, never on the message text. */
export type FarmErrorCode =
  /** Bad command line (exit 2). */
  | 'EUSAGE'
  /** Bad or missing configuration (exit 78). */
  | 'ECONFIG'
  /** The CLI's first system event reported an API key source other than the expected one. */
  | 'EAPIKEY_SOURCE'
  /** The CLI's env or settings would bill someone other than the subscription: not started, no ledger row. */
  | 'EAUTH_PATH'
  /** No stream event for the watchdog's interval: the process group was killed. */
  | 'ESTALL'
  /** The project is busy (another run holds its lock) and waiting was not allowed or timed out. */
  | 'ELOCKED'
  /** The CLI is not logged in (subscription path). */
  | 'ENOT_LOGGED_IN'
  /** The subscription's rate limit rejected the run. */
  | 'ERATE_LIMITED'
  /** The CLI exited without a result event. */
  | 'ENO_RESULT'
  /** The CLI could not be started or ended in error. */
  | 'ECLI'
  /** The task ran and ended with an error outcome (max turns, budget, execution error). */
  | 'EOUTCOME'
  /** A call through the API client failed. */
  | 'EAPI'
  /** The remote worker could not be reached or failed. */
  | 'ESSH'
  /** The queue (Redis/BullMQ) failed. */
  | 'EQUEUE'
  /** A job child process failed. */
  | 'EJOB'
  /** The task would exceed its budget or the daily API budget. */
  | 'EBUDGET';

const KINDS = { config: ['ECONFIG'], usage: ['EUSAGE'] } as const satisfies Record<string, readonly FarmErrorCode[]>;

/** Context a FarmError may carry (never secrets). */
export interface FarmErrorContext {
  cause?: unknown;
  project?: string;
  path?: string;
  exitCode?: number | null;
  signal?: string | null;
  durationMs?: number;
  option?: string;
  apiKeySource?: string;
}

/** The error every module of @jobs/farm throws. */
export class FarmError extends Error {
  override name = 'FarmError';
  readonly code: FarmErrorCode;
  /** The process exit status this failure maps to. */
  readonly exitCode: ExitCode;
  readonly context: Omit<FarmErrorContext, 'cause'>;

  constructor(code: FarmErrorCode, message: string, context: FarmErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.exitCode = exitCodeFor(code, KINDS);
    const { cause: _cause, ...rest } = context;
    this.context = rest;
  }
}

/** True when `err` is a FarmError (also across duplicated module instances). */
export function isFarmError(err: unknown): err is FarmError {
  return err instanceof FarmError || (err instanceof Error && err.name === 'FarmError' && typeof (err as { code?: unknown }).code === 'string');
}
