/**
 * The logger shape shared across the suite (a pino-compatible subset), declared locally so this
 * package depends on nothing of ours; any pino logger fits it structurally.
 */

/** A structured logger: an object first, an optional message second. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** The default: says nothing. */
export const noopLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/** Checks a caller-supplied logger up front, so a bad one fails at construction, not mid-run. */
export function isLogger(value: unknown): value is Logger {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return ['debug', 'info', 'warn', 'error'].every((k) => typeof v[k] === 'function');
}
