/**
 * `farm`'s entry: loads the command asked for and hands it to @jobs/core's dispatcher, which
 * maps every failure to an exit code (0 ok, 1 failure, 2 usage, 78 configuration) and a line
 * on stderr redacted with repos.env's and farm's own secrets. Tests call `main` in-process.
 */
import { dispatch } from '@jobs/core/cli';
import { isClaudeError } from '@jobs/claude/errors';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { isFarmError } from './errors.ts';
import type { CliDeps } from './commands/common.ts';
import { envRedactor } from './env-secrets.ts';
import { HELP } from './help.ts';
import * as z from 'zod';

export type { CliDeps } from './commands/common.ts';

type Command = (argv: string[], deps: CliDeps) => Promise<number>;

async function load(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'run':
      return (await import('./commands/run.ts')).runCommand;
    case 'run-job':
      return (await import('./commands/run-job.ts')).runJobCommand;
    case 'doctor':
      return (await import('./commands/doctor.ts')).doctorCommand;
    case 'enqueue':
      return (await import('./commands/queue.ts')).enqueueCommand;
    case 'worker':
      return (await import('./commands/queue.ts')).workerCommand;
    case 'schedule':
      return (await import('./commands/schedule.ts')).scheduleCommand;
    case 'crontab':
      return (await import('./commands/schedule.ts')).crontabCommand;
    case 'alert':
      return (await import('./commands/alert.ts')).alertCommand;
    case 'status':
      return (await import('./commands/status.ts')).statusCommand;
    case 'remote-exec':
      return (await import('./commands/remote-exec.ts')).remoteExecCommand;
    default:
      return undefined;
  }
}

/** Runs the farm CLI with `argv` (without node and script) and returns the exit code. */
export function main(argv: string[], deps: CliDeps): Promise<number> {
  // A run parses each schema once or twice: zod's compiled fast path costs more than it saves
  // (its code generation is about 1 MB of a short run's peak RSS).
  z.config({ jitless: true });
  // Filled with the loaded repos.env's redactor once a command loads it; until then (and on
  // top of it) the secrets of farm's own environment are redacted.
  const redaction = { redact: (s: string) => s };
  const fromEnv = envRedactor(deps.env);
  return dispatch(argv, { ...deps, redaction }, {
    name: 'farm',
    help: HELP,
    commands: load,
    // The process settings (LOG_LEVEL, JOBS_STATE_DIR, COST_LEDGER, FARM_CLAUDE_BIN, ...) are
    // checked before any command runs: a malformed one is exit 78 naming it.
    before: () => readRuntimeEnv(deps.env),
    redact: (s) => fromEnv(redaction.redact(s)),
    describe: describeFailure,
    label: () => 'farm',
  });
}

/** The line printed for a failure: the code where the error has a stable one, a stack when it is unexpected. */
function describeFailure(err: unknown): string {
  if (isFarmError(err) || isClaudeError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error && 'exitCode' in err) return err.message;
  return `unexpected failure: ${(err as Error)?.stack ?? String(err)}`;
}
