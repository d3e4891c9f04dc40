/**
 * The one error class of @jobs/ledger. Every failure carries a stable `code`; classify on it,
 * never on the message text. Context fields name the file, field or line, never row values
 * beyond what the ledger itself holds (which is no secret: redaction happens before a row is built).
 * Each error carries the process `exitCode` its code maps to: EOPTION (a refused option, often
 * a flag a CLI passed through) is usage, 2; the others 1.
 */
import { type ExitCode, exitCodeFor } from '@jobs/core/exit-code';

/** Stable failure codes. */
export type LedgerErrorCode =
  /** An option passed to a function of this package is invalid (the message names it and its value). */
  | 'EOPTION'
  /** A row does not match the ledger contract (the message names the field). */
  | 'EROW'
  /** The ledger file or its directory could not be created or written. */
  | 'EWRITE'
  /** The ledger file exists but could not be read. */
  | 'EREAD';

const KINDS = { usage: ['EOPTION'] } as const satisfies Record<string, readonly LedgerErrorCode[]>;

/** Context fields a LedgerError may carry. */
export interface LedgerErrorContext {
  /** The ledger file concerned. */
  path?: string;
  /** The option that was refused, for `EOPTION`. */
  option?: string;
  /** The row field that failed validation, for `EROW`. */
  field?: string;
  /** Bytes actually written by a short write, for `EWRITE`. */
  bytesWritten?: number;
  cause?: unknown;
}

/** A failure of the cost ledger. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly code: LedgerErrorCode;
  readonly path: string | undefined;
  readonly option: string | undefined;
  readonly field: string | undefined;
  readonly bytesWritten: number | undefined;
  /** The process exit status this failure maps to (read by @jobs/core's exitCodeOf). */
  readonly exitCode: ExitCode;

  constructor(code: LedgerErrorCode, message: string, context: LedgerErrorContext = {}) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = code;
    this.path = context.path;
    this.option = context.option;
    this.field = context.field;
    this.bytesWritten = context.bytesWritten;
    this.exitCode = exitCodeFor(code, KINDS);
  }
}

/** An `EOPTION` error whose message names the option and the value it got. */
export function optionError(option: string, value: unknown, expected: string): LedgerError {
  return new LedgerError('EOPTION', `Invalid option ${option}: got ${describe(value)}; expected ${expected}.`, {
    option,
  });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
