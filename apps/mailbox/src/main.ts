/**
 * The mailbox CLI as a function: `main(argv, deps)` returns the exit code. Tests call it
 * in-process with injected deps; cli.ts is the only file that touches `process`.
 */
import { dispatch } from '@jobs/core/cli';
import type { Deps } from './deps.ts';
import { runDoctor } from './doctor.ts';
import { MAIN_HELP } from './help.ts';
import { runLogin } from './login.ts';
import { runLogout } from './logout.ts';

export type { Deps } from './deps.ts';
export { SecretSet } from '@jobs/credentials/secret-set';

/** Runs one command. Errors become one redacted line on stderr and an exit code (1, 2, 78). */
export function main(argv: readonly string[], deps: Deps): Promise<number> {
  return dispatch(argv, deps, {
    name: 'mailbox',
    help: MAIN_HELP,
    commands: { login: runLogin, doctor: runDoctor, logout: runLogout },
    redact: (s) => deps.secrets.redact(s),
  });
}
