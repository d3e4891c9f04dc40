/**
 * The suite's one logger: one JSON object per line on a stream (stderr by default, so stdout
 * stays data), every line passed through a redactor (a Scope's `redact` from
 * @jobs/credentials). It implements the subset of pino the suite uses, so a pino instance can
 * stand in for it and the other way round. Every package and app takes this `Logger` type.
 */
import type { Writable } from 'node:stream';

/** Replaces every secret value found in a string. */
export type Redactor = (text: string) => string;

/** The logger every package of the suite accepts (a pino-compatible subset). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Levels, lowest first; `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** Every level name, for option and environment checks (`LOG_LEVEL`). */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

const LEVELS: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: Infinity };

/** Options of createLogger. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /** Applied to every string value and to the whole line (a Scope's `redact`). Default: none. */
  redact?: Redactor;
  /** Where lines go. Default `process.stderr`. */
  stream?: Pick<Writable, 'write'>;
  /** Fields added to every line, e.g. `{ app, job, runId }`. */
  base?: Record<string, unknown>;
  /** Clock for the `time` field. Default `() => new Date()`. */
  now?: () => Date;
}

/** A Logger that can also make a child with extra bound fields. */
export interface JsonLogger extends Logger {
  child(bindings: Record<string, unknown>): JsonLogger;
}

/** A logger that drops everything: the default wherever a logger is optional. */
export const noopLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });

/** Turns an Error into plain fields, as pino's `err` serializer does, following `cause`. */
function serializeError(err: Error, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  for (const [k, v] of Object.entries(err)) out[k] = v instanceof Error ? serializeError(v, depth + 1) : v;
  if (err.cause !== undefined) {
    out.cause = err.cause instanceof Error && depth < 5 ? serializeError(err.cause, depth + 1) : err.cause;
  }
  return out;
}

/** JSON that survives what a log call may carry: bigint, cycles, errors nested anywhere. */
function toJson(record: unknown): string {
  const seen = new WeakSet<object>();
  return JSON.stringify(record, (_key, value: unknown) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return serializeError(value);
    if (value !== null && typeof value === 'object') {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  });
}

/** Builds a JSON-lines logger. Checks its options up front. */
export function createLogger(options: LoggerOptions = {}): JsonLogger {
  const level = options.level ?? 'info';
  if (!Object.hasOwn(LEVELS, level)) {
    throw new TypeError(`createLogger: option level must be one of ${Object.keys(LEVELS).join(', ')}, got ${JSON.stringify(level)}`);
  }
  const stream = options.stream ?? process.stderr;
  if (typeof stream.write !== 'function') throw new TypeError('createLogger: option stream must have a write() method');
  const redact: Redactor = options.redact ?? ((s) => s);
  const now = options.now ?? (() => new Date());
  return build(LEVELS[level], stream, redact, now, options.base ?? {});
}

function build(
  threshold: number,
  stream: Pick<Writable, 'write'>,
  redact: Redactor,
  now: () => Date,
  base: Record<string, unknown>,
): JsonLogger {
  const write = (name: Exclude<LogLevel, 'silent'>, obj: object | string, msg?: string): void => {
    if (LEVELS[name] < threshold) return;
    // pino also accepts a bare message string; so do we.
    const fields = typeof obj === 'string' ? {} : obj instanceof Error ? { err: obj } : obj;
    const message = typeof obj === 'string' ? obj : msg;
    const record = { level: name, time: now().toISOString(), ...base, ...fields, ...(message === undefined ? {} : { msg: message }) };
    // Redact the values first (a secret inside a nested JSON string), then the whole line
    // (a secret in an error message only escaped once serialized).
    const line = redact(toJson(redactStrings(JSON.parse(toJson(record)), redact)));
    stream.write(`${line}\n`);
  };
  return {
    debug: (obj, msg) => write('debug', obj, msg),
    info: (obj, msg) => write('info', obj, msg),
    warn: (obj, msg) => write('warn', obj, msg),
    error: (obj, msg) => write('error', obj, msg),
    child: (bindings) => build(threshold, stream, redact, now, { ...base, ...bindings }),
  };
}

/** Applies `redact` to every string of a parsed JSON value (plain data only: no cycles). */
function redactStrings(value: unknown, redact: Redactor): unknown {
  if (typeof value === 'string') return redact(value);
  if (Array.isArray(value)) return value.map((v) => redactStrings(v, redact));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = redactStrings(v, redact);
  return out;
}
