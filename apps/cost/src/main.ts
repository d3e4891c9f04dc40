/**
 * The cost CLI as a function: `main(argv, deps)` returns the exit code. Tests call it in-process
 * with injected deps; cli.ts is the only file that touches `process`.
 */
import { dispatch } from '@jobs/core/cli';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { runAudit } from './audit.ts';
import { runCheck } from './check.ts';
import type { Deps } from './deps.ts';
import { MAIN_HELP } from './help.ts';
import { runReport } from './report.ts';

export type { Deps } from './deps.ts';

/** Runs one command. Errors become a one-line message on stderr and an exit code (1, 2, 78). */
export function main(argv: readonly string[], deps: Deps): Promise<number> {
  return dispatch(argv, deps, {
    name: 'cost',
    help: MAIN_HELP,
    commands: { report: runReport, check: runCheck, audit: runAudit },
    // The process settings (COST_LEDGER, JOBS_STATE_DIR, REPOS_ENV, ...) checked first: a bad one is 78.
    before: () => readRuntimeEnv(deps.env),
  });
}
