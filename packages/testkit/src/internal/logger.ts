/**
 * The pino-compatible logger subset the mail harnesses accept, and the silent default.
 */

/** Structural logger type (pino, or anything with these four methods). */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** A logger that drops everything: harnesses are quiet unless a test asks. */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
