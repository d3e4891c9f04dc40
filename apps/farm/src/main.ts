/**
 * `farm`'s entry: dispatches to a command and maps every failure to an exit code
 * (0 ok, 1 failure, 2 usage, 78 configuration). Tests call `main` in-process.
 */
import { exitCodeOf } from '@jobs/core/exit-code';
import { isClaudeError } from '@jobs/claude/errors';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { isFarmError } from './errors.ts';
import type { CliDeps } from './commands/common.ts';
import { envRedactor } from './env-secrets.ts';
import { runCommand } from './commands/run.ts';

export type { CliDeps } from './commands/common.ts';

export const HELP = `Usage: farm <command> [options]

Routes Claude tasks to the subscription, the API or a remote worker, with hard guards.

Commands:
  run         run one task (stdin or --task FILE)
  run-job     run a job (digest | lead-responder) as a task
  doctor      which billing path each way of running Claude takes here
  enqueue     put a task on the queue (REDIS_URL), or run it in-process without one
  worker      consume the queue (REDIS_URL)
  schedule    cron daemon for the jobs (systemd)
  crontab     print the equivalent crontab lines

Run "farm <command> --help" for a command's options.`;

type Command = (argv: string[], deps: CliDeps) => Promise<number>;

async function load(name: string): Promise<Command | undefined> {
  switch (name) {
    case 'run':
      return runCommand;
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
    case 'remote-exec':
      return (await import('./commands/remote-exec.ts')).remoteExecCommand;
    default:
      return undefined;
  }
}

/** Runs the farm CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], deps: CliDeps): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    deps.stdout.write(`${HELP}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = await load(name);
  if (command === undefined) {
    deps.stderr.write(`farm: unknown command ${JSON.stringify(name)}\n\n${HELP}\n`);
    return 2;
  }
  // Filled with the loaded repos.env's redactor once a command loads it; until then (and on
  // top of it) the secrets of farm's own environment are redacted.
  const redaction = { redact: (s: string) => s };
  const fromEnv = envRedactor(deps.env);
  const say = (s: string): void => {
    deps.stderr.write(`farm: ${fromEnv(redaction.redact(s))}\n`);
  };
  try {
    // The process settings (LOG_LEVEL, JOBS_STATE_DIR, COST_LEDGER, FARM_CLAUDE_BIN, ...) are
    // checked before any command runs: a malformed one is exit 78 naming it.
    readRuntimeEnv(deps.env);
    return await command(rest, { ...deps, redaction });
  } catch (err) {
    // parseArgs' own errors (unknown option, missing value) are usage errors.
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      say((err as Error).message);
      return 2;
    }
    say(describeFailure(err));
    return exitCodeOf(err);
  }
}

/** The line printed for a failure: the code where the error has a stable one, a stack when it is unexpected. */
function describeFailure(err: unknown): string {
  if (isFarmError(err) || isClaudeError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error && 'exitCode' in err) return err.message;
  return `unexpected failure: ${(err as Error)?.stack ?? String(err)}`;
}
