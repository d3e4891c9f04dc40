/**
 * The ledger row: the DESIGN.md "Cost ledger" contract, one JSON object per line. Tools outside
 * the repo read these files, so field names and types here change only with a note on the issue.
 */
import { LedgerError } from './errors.ts';

/** Billing paths: `api` and `remote` are billed API dollars; `subscription` is plan usage. */
export const LEDGER_PATHS = ['api', 'subscription', 'remote'] as const;
/** How a call ended. */
export const OUTCOMES = ['ok', 'error', 'budget_refused'] as const;

/** A billing path. */
export type LedgerPath = (typeof LEDGER_PATHS)[number];
/** A call outcome. */
export type Outcome = (typeof OUTCOMES)[number];

/** One ledger row (the contract fields exactly, plus optional extras). */
export interface LedgerRow {
  /** When the call finished, ISO 8601. */
  ts: string;
  run_id: string;
  app: string;
  job: string;
  /** Where in the code the call was made (a stable name chosen by the caller). */
  call_site: string;
  path: LedgerPath;
  host: string;
  /** The model that actually served the call. */
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /**
   * Dollars; `null` when unknown (a model missing from the pricing table), never 0 for unknown.
   * For `path: 'subscription'` it is what the same tokens would have cost on the API.
   */
  usd: number | null;
  latency_ms: number;
  attempts: number;
  outcome: Outcome;
  request_id: string | null;
  /** Why the call took this route (farm routing), when known. */
  reason?: string;
  /** The failure's stable code, for `outcome: 'error'`. */
  error_code?: string;
  /** The jobs-file instance the row's run belongs to (one mailbox or client), when there is one. */
  instance?: string;
  /**
   * The API message ids (`msg_...`) of the requests this row covers, for a `claude` CLI run:
   * Claude Code logs the same responses in its session logs, and reports count each once.
   */
  message_ids?: string[];
}

type Check = (v: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const strOrNull: Check = (v) => v === null || typeof v === 'string';
const count: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 0;
const nonNegative: Check = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const oneOf =
  (values: readonly string[]): Check =>
  (v) =>
    typeof v === 'string' && values.includes(v);
// ISO 8601 with a time and a zone, as Date#toISOString writes it (other offsets accepted too).
const ISO_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isoTs: Check = (v) => typeof v === 'string' && ISO_TS.test(v) && Number.isFinite(Date.parse(v));

/** Contract fields in contract order (also the order rows are written in), with their checks. */
const FIELDS: ReadonlyArray<readonly [keyof LedgerRow, Check, string]> = [
  ['ts', isoTs, 'an ISO 8601 timestamp with a zone'],
  ['run_id', str, 'a string'],
  ['app', str, 'a string'],
  ['job', str, 'a string'],
  ['call_site', str, 'a string'],
  ['path', oneOf(LEDGER_PATHS), LEDGER_PATHS.join(' | ')],
  ['host', str, 'a string'],
  ['model', str, 'a string'],
  ['input_tokens', count, 'a non-negative integer'],
  ['output_tokens', count, 'a non-negative integer'],
  ['cache_creation_input_tokens', count, 'a non-negative integer'],
  ['cache_read_input_tokens', count, 'a non-negative integer'],
  ['usd', (v) => v === null || nonNegative(v), 'a non-negative number or null'],
  ['latency_ms', nonNegative, 'a non-negative number'],
  ['attempts', count, 'a non-negative integer'],
  ['outcome', oneOf(OUTCOMES), OUTCOMES.join(' | ')],
  ['request_id', strOrNull, 'a string or null'],
];
const OPTIONAL: ReadonlyArray<keyof LedgerRow> = ['reason', 'error_code', 'instance'];

/**
 * Checks every field of a would-be row and returns a clean copy holding only the contract fields
 * (and `reason` / `error_code` / `instance` when they are strings, `message_ids` when an array of strings). Unknown fields are dropped, so a reader
 * tolerates rows from a newer writer and a writer never leaks a stray property into the file.
 * @throws LedgerError `EROW` naming the first field that is missing or of the wrong type.
 */
export function validateRow(value: unknown): LedgerRow {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LedgerError('EROW', 'A ledger row must be a JSON object.');
  }
  const v = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [field, check, expected] of FIELDS) {
    if (!check(v[field])) {
      const got = field in v ? typeof v[field] : 'nothing';
      throw new LedgerError('EROW', `Ledger row field ${field} must be ${expected}; got ${got}.`, { field });
    }
    out[field] = v[field];
  }
  for (const field of OPTIONAL) {
    if (v[field] === undefined) continue;
    if (typeof v[field] !== 'string') {
      throw new LedgerError('EROW', `Ledger row field ${field} must be a string when present.`, { field });
    }
    out[field] = v[field];
  }
  if (v.message_ids !== undefined) {
    if (!Array.isArray(v.message_ids) || !v.message_ids.every((id) => typeof id === 'string')) {
      throw new LedgerError('EROW', 'Ledger row field message_ids must be an array of strings when present.', { field: 'message_ids' });
    }
    out.message_ids = [...v.message_ids];
  }
  return out as unknown as LedgerRow;
}

/**
 * Parses one ledger line into a checked row.
 * @throws LedgerError `EROW` when the line is not JSON or a field is wrong (the cause holds the JSON error).
 */
export function parseRow(line: string): LedgerRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    throw new LedgerError('EROW', 'A ledger line is not valid JSON (a torn write or a stray edit).', { cause });
  }
  return validateRow(value);
}

/** One row as its ledger line: contract field order, no newline inside, newline at the end. */
export function serializeRow(row: LedgerRow): string {
  return `${JSON.stringify(validateRow(row))}\n`;
}
