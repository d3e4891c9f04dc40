/**
 * What the commands take from the outside world. `cli.ts` fills it from `process`; tests pass
 * their own (buffers for stdout and stderr, a scripted stdin line, a fixed state dir).
 */
import { loadScope } from '@jobs/credentials/scope';
import { defaultStateDir } from '@jobs/ledger/ledger';
import { mailboxSchema, type MailboxKeys } from './config.ts';
import type { SecretSet } from '@jobs/credentials/secret-set';

/** A stream the CLI writes to. */
export interface Out {
  write(chunk: string): boolean;
}

/** The outside world, injected. */
export interface Deps {
  /** The process environment (read only here: $JOBS_STATE_DIR, $REPOS_ENV). */
  env: Readonly<Record<string, string | undefined>>;
  stdout: Out;
  stderr: Out;
  /** One line from stdin (a pasted redirect URL); undefined at end of input. */
  readLine: () => Promise<string | undefined>;
  now: () => number;
  home: string;
  cwd: string;
  workspaceRoot: string;
  /** Token values seen so far, for redaction. */
  secrets: SecretSet;
}

/** The suite's state dir ($JOBS_STATE_DIR, else ~/.local/state/jobs). */
export function stateDirOf(deps: Deps): string {
  return defaultStateDir({ env: deps.env, home: deps.home });
}

/** repos.env's mailbox keys (the file's mode and git status checked as for every job). */
export async function loadKeys(deps: Deps, envFile: string | undefined): Promise<MailboxKeys> {
  return (await loadKeysAndFile(deps, envFile)).values;
}

/** The keys and the path of the repos.env they came from (relative key files are taken from its folder). */
export async function loadKeysAndFile(deps: Deps, envFile: string | undefined): Promise<{ values: MailboxKeys; file: string }> {
  const scope = await loadScope({
    schema: mailboxSchema,
    envFile,
    reposEnvVar: deps.env.REPOS_ENV,
    workspaceRoot: deps.workspaceRoot,
    cwd: deps.cwd,
  });
  for (const s of scope.secrets) deps.secrets.add(s);
  return { values: scope.values as MailboxKeys, file: scope.file };
}
