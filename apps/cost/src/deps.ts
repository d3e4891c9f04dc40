/**
 * What the commands take from the outside world. `cli.ts` fills it from `process`; tests pass
 * their own (a fixed clock, a temp home, a buffer for stdout), so nothing here reads globals.
 */
import { isAbsolute, resolve } from 'node:path';
import { createLogger, type Logger, type LogLevel } from '@jobs/core/logger';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { defaultStateDir, resolveLedgerPath } from '@jobs/ledger/ledger';

/** A stream the CLI writes to. */
export interface Out {
  write(chunk: string): boolean;
  isTTY?: boolean | undefined;
}

/** The outside world, injected. */
export interface Deps {
  /** The process environment (read only through readRuntimeEnv: $COST_LEDGER, $JOBS_STATE_DIR, $REPOS_ENV). */
  env: Readonly<Record<string, string | undefined>>;
  stdout: Out;
  stderr: Out;
  now: () => Date;
  home: string;
  cwd: string;
  /** Where repos.env is looked for last. */
  workspaceRoot: string;
  hostname: string;
  /** The zone reports use by default (the machine's). */
  localTimeZone: string;
}

/** A JSON-lines logger on stderr. */
export function loggerFor(deps: Deps, verbose: boolean, redact?: (s: string) => string): Logger {
  const level: LogLevel = verbose ? 'debug' : 'warn';
  return createLogger({ level, stream: deps.stderr, base: { app: 'cost' }, now: deps.now, ...(redact ? { redact } : {}) });
}

/** The suite's state dir ($JOBS_STATE_DIR, else ~/.local/state/jobs). */
export function stateDirOf(deps: Deps): string {
  const { JOBS_STATE_DIR } = readRuntimeEnv(deps.env);
  return defaultStateDir({ env: JOBS_STATE_DIR === undefined ? {} : { JOBS_STATE_DIR }, home: deps.home });
}

/** The ledger: --ledger (relative to the working directory), else $COST_LEDGER, else <state dir>/ledger.jsonl. */
export function ledgerPathOf(deps: Deps, flag: string | undefined): string {
  const fromFlag = flag === undefined ? undefined : isAbsolute(flag) ? flag : resolve(deps.cwd, flag);
  return resolveLedgerPath({ costLedger: fromFlag ?? readRuntimeEnv(deps.env).COST_LEDGER, stateDir: stateDirOf(deps) });
}

/** A path argument, relative to the working directory. */
export function pathArg(deps: Deps, value: string): string {
  return isAbsolute(value) ? value : resolve(deps.cwd, value);
}
