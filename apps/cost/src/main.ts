/**
 * The cost CLI as a function: `main(argv, deps)` returns the exit code. Tests call it in-process
 * with injected deps; cli.ts is the only file that touches `process`.
 */
import { failureJson } from '@jobs/core/cli';
import { EXIT, exitCodeOf } from '@jobs/core/exit-code';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { runAudit } from './audit.ts';
import { runCheck } from './check.ts';
import type { Deps } from './deps.ts';
import { MAIN_HELP } from './help.ts';
import { runReport } from './report.ts';

export type { Deps } from './deps.ts';

const COMMANDS: Record<string, (argv: string[], deps: Deps) => Promise<number>> = {
  report: runReport,
  check: runCheck,
  audit: runAudit,
};

/** Runs one command. Errors become a one-line message on stderr and an exit code (1, 2, 78). */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? deps.stderr : deps.stdout).write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    deps.stderr.write(`cost: unknown command ${JSON.stringify(command)}\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    // The process settings (COST_LEDGER, JOBS_STATE_DIR, REPOS_ENV, ...) checked first: a bad one is 78.
    readRuntimeEnv(deps.env);
    return await run(rest, deps);
  } catch (err) {
    // parseArgs' own errors (unknown option, missing value) are usage errors.
    const parseCode = (err as { code?: unknown } | null)?.code;
    const code = typeof parseCode === 'string' && parseCode.startsWith('ERR_PARSE_ARGS_') ? EXIT.usage : exitCodeOf(err);
    const message = err instanceof Error ? err.message : String(err);
    const hint = code === 2 ? `\nRun "pnpm cost ${command} --help" for usage.` : '';
    deps.stderr.write(`cost ${command}: ${message}${hint}\n`);
    if (rest.includes('--json')) deps.stdout.write(failureJson(err, code));
    return code;
  }
}
