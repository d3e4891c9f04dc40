/**
 * The mailbox CLI as a function: `main(argv, deps)` returns the exit code. Tests call it
 * in-process with injected deps; cli.ts is the only file that touches `process`.
 */
import type { Deps } from './deps.ts';
import { runDoctor } from './doctor.ts';
import { exitCodeOf } from './errors.ts';
import { MAIN_HELP } from './help.ts';
import { runLogin } from './login.ts';
import { runLogout } from './logout.ts';

export type { Deps } from './deps.ts';
export { SecretSet } from '@jobs/credentials/secret-set';

const COMMANDS: Record<string, (argv: string[], deps: Deps) => Promise<number>> = {
  login: runLogin,
  doctor: runDoctor,
  logout: runLogout,
};

/** Runs one command. Errors become one redacted line on stderr and an exit code (1, 2, 78). */
export async function main(argv: readonly string[], deps: Deps): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? deps.stderr : deps.stdout).write(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    deps.stderr.write(`mailbox: unknown command ${JSON.stringify(command)}\n\n${MAIN_HELP}`);
    return 2;
  }
  try {
    return await run(rest, deps);
  } catch (err) {
    const code = exitCodeOf(err);
    const message = deps.secrets.redact(err instanceof Error ? err.message : String(err));
    const hint = code === 2 ? `\nRun "pnpm mailbox ${command} --help" for usage.` : '';
    deps.stderr.write(`mailbox ${command}: ${message}${hint}\n`);
    return code;
  }
}
