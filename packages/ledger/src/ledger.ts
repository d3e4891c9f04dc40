/**
 * Appending to the cost ledger, and where it lives. Rows are only ever appended, one line per row,
 * in one write each; nothing here rewrites, truncates or rotates the file.
 */
import { isAbsolute, join, normalize } from 'node:path';
import { optionError } from './errors.ts';
import { appendLine } from './internal/append-line.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { isLogger } from './internal/is-logger.ts';
import { type LedgerRow, serializeRow } from './row.ts';

export type { Logger } from '@jobs/core/logger';

/** Options of {@link createLedger}. */
export interface LedgerOptions {
  /** Absolute path of the JSONL file (see {@link resolveLedgerPath}). Created 0600 on first append. */
  path: string;
  /** Receives a warning when the file is readable by others. Default: no-op. */
  logger?: Logger | undefined;
  /**
   * The jobs-file instance this process runs for (`$JOBS_INSTANCE`, read by the app): every row
   * appended without its own `instance` gets this one. Unset: rows are written as given.
   */
  instance?: string | undefined;
}

/** An append-only cost ledger. */
export interface Ledger {
  /** The file rows go to. */
  readonly path: string;
  /**
   * Validates and appends one row as one line in a single O_APPEND write; safe across processes.
   * @throws LedgerError `EROW` for a row that breaks the contract (nothing is written),
   *   `EWRITE` when the file cannot be opened or written.
   */
  append(row: LedgerRow): Promise<void>;
}

/**
 * Builds a ledger writer. Nothing touches the disk until the first append, so building one for a
 * run that makes no call creates no file. Each append opens, writes and closes: no descriptor is
 * held, and a ledger moved away by an operator is recreated (0600) at the same path.
 * @throws LedgerError `EOPTION` for a missing or relative path or a malformed logger.
 */
export function createLedger(options: LedgerOptions): Ledger {
  const path = absolutePath('path', options?.path, 'an absolute file path');
  if (options.logger !== undefined && !isLogger(options.logger)) {
    throw optionError('logger', options.logger, 'an object with debug, info, warn and error methods');
  }
  const logger = options.logger ?? noopLogger;
  const instance = options.instance;
  if (instance !== undefined && (typeof instance !== 'string' || instance === '')) throw optionError('instance', instance, 'a non-empty string');
  let modeChecked = false;
  return {
    path,
    async append(row) {
      const line = serializeRow(instance !== undefined && row.instance === undefined ? { ...row, instance } : row);
      const mode = await appendLine(path, line);
      if (!modeChecked) {
        modeChecked = true;
        // Only files we create are guaranteed 0600; one made by hand may be looser. Say so, once:
        // changing its mode is the owner's call.
        if ((mode & 0o077) !== 0) {
          logger.warn(
            { path, mode: mode.toString(8) },
            `cost ledger is readable by others: run chmod 600 ${path}`,
          );
        }
      }
    },
  };
}

/** Inputs of {@link resolveLedgerPath}, passed in by the app (libraries never read the environment). */
export interface LedgerLocation {
  /** The value of `$COST_LEDGER`, if set. An empty string counts as unset. */
  costLedger?: string | undefined;
  /** The suite's state dir, e.g. from {@link defaultStateDir}. */
  stateDir: string;
}

/**
 * Where the ledger lives: `$COST_LEDGER` when set, else `<stateDir>/ledger.jsonl` (the contract).
 * Relative paths are refused: `pnpm --filter` runs each app in its own folder, so a relative
 * path would quietly split the ledger into one file per app.
 * @throws LedgerError `EOPTION` naming the offending input.
 */
export function resolveLedgerPath(location: LedgerLocation): string {
  const costLedger = location?.costLedger;
  if (costLedger !== undefined && costLedger !== '') {
    return absolutePath('costLedger ($COST_LEDGER)', costLedger, 'an absolute file path');
  }
  return join(absolutePath('stateDir', location?.stateDir, 'an absolute directory path'), 'ledger.jsonl');
}

/** Inputs of {@link defaultStateDir}. */
export interface StateDirInputs {
  /** The environment to read `JOBS_STATE_DIR` from (the app passes `process.env`). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory (the app passes `os.homedir()`). */
  home: string;
}

/**
 * The suite's state dir: `$JOBS_STATE_DIR` when set and not empty, else `~/.local/state/jobs`.
 * A pure function of its inputs.
 * @throws LedgerError `EOPTION` when the chosen path is not absolute.
 */
export function defaultStateDir(inputs: StateDirInputs): string {
  const fromEnv = inputs?.env?.JOBS_STATE_DIR;
  if (fromEnv !== undefined && fromEnv !== '') {
    return absolutePath('env.JOBS_STATE_DIR', fromEnv, 'an absolute directory path');
  }
  return join(absolutePath('home', inputs?.home, 'an absolute directory path'), '.local', 'state', 'jobs');
}

function absolutePath(option: string, value: unknown, expected: string): string {
  if (typeof value !== 'string' || value === '' || !isAbsolute(value)) {
    throw optionError(option, value, expected);
  }
  return normalize(value);
}
