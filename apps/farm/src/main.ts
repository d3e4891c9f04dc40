/**
 * `farm`'s entry: dispatches to a command and maps every failure to an exit code
 * (0 ok, 1 failure, 2 usage, 78 configuration). Tests call `main` in-process.
 */
import { failureJson } from '@jobs/core/cli';
import { exitCodeOf } from '@jobs/core/exit-code';
import { isClaudeError } from '@jobs/claude/errors';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { isFarmError } from './errors.ts';
import type { CliDeps } from './commands/common.ts';
import { envRedactor } from './env-secrets.ts';
import { HELP } from './help.ts';

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
    const parseCode = (err as { code?: unknown } | null)?.code;
    const usage = typeof parseCode === 'string' && parseCode.startsWith('ERR_PARSE_ARGS');
    const code = usage ? 2 : exitCodeOf(err);
    say(usage ? (err as Error).message : describeFailure(err));
    // Under --json the failure is also one JSON object on stdout, redacted like the line above.
    if (rest.includes('--json')) deps.stdout.write(failureJson(err, code, (s) => fromEnv(redaction.redact(s))));
    return code;
  }
}

/** The line printed for a failure: the code where the error has a stable one, a stack when it is unexpected. */
function describeFailure(err: unknown): string {
  if (isFarmError(err) || isClaudeError(err)) return `${err.code}: ${err.message}`;
  if (err instanceof Error && 'exitCode' in err) return err.message;
  return `unexpected failure: ${(err as Error)?.stack ?? String(err)}`;
}
