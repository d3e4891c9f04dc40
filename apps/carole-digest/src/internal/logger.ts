/** The structural logger every module takes (pino-compatible subset); no-op by default. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything. */
export const noopLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} });
