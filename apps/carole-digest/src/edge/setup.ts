/**
 * The first steps of a digest run, before any network I/O: the checked process settings
 * (readRuntimeEnv: a malformed LOG_LEVEL or JOBS_CLAUDE_PATH is exit 78 naming it), repos.env
 * loaded into a scope (missing or malformed keys: exit 78), the redacting JSON logger on stderr,
 * the state dir, the run id and the source spec.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { createLogger, type JsonLogger } from '@jobs/core/logger';
import { readRuntimeEnv, type RuntimeEnv } from '@jobs/credentials/runtime-env';
import { SecretSet } from '@jobs/credentials/secret-set';
import { loadScope } from '@jobs/credentials/scope';
import { defaultStateDir } from '@jobs/ledger/ledger';
import type { DigestFlags } from '../args.ts';
import { DEFAULT_SOURCE, type DigestEnv, digestSchema, parseSourceSpec, type SourceSpec } from '../config.ts';
import { DigestError } from '../errors.ts';
import type { MainDeps } from './deps.ts';

/** Everything the later steps read. */
export interface Setup {
  readonly runtime: RuntimeEnv;
  /** repos.env's validated keys. */
  readonly env: DigestEnv;
  /** repos.env's path (named when there is no API key). */
  readonly envFile: string;
  /** repos.env's secrets and every OAuth 2 token learned during the run. */
  readonly redact: (s: string) => string;
  /** Tokens learned mid-run (OAuth 2), redacted like repos.env's values. */
  readonly tokens: SecretSet;
  readonly log: JsonLogger;
  readonly stateDir: string;
  readonly runId: string;
  readonly spec: SourceSpec;
}

/** Writes log lines to `deps.stderr`. */
export function stderrStream(deps: Pick<MainDeps, 'stderr'>): NodeJS.WritableStream {
  return { write: (s: string) => deps.stderr.write(s) } as unknown as NodeJS.WritableStream;
}

/** Reads the process settings and repos.env; throws CredentialsError or DigestError ECONFIG (exit 78). */
export async function setup(flags: DigestFlags, deps: MainDeps): Promise<Setup> {
  const runtime = readRuntimeEnv(deps.env);
  const scope = await loadScope({
    schema: digestSchema({ source: flags.source, sending: !flags.dryRun }),
    envFile: flags.envFile,
    reposEnvVar: runtime.REPOS_ENV,
    workspaceRoot: deps.workspaceRoot,
    cwd: deps.cwd,
  });
  const env: DigestEnv = scope.values;
  const tokens = new SecretSet();
  const redact = (line: string) => tokens.redact(scope.redact(line));
  const log = createLogger({ level: runtime.LOG_LEVEL, redact, stream: stderrStream(deps), base: { app: 'digest' } });
  const home = runtime.HOME ?? homedir();
  const stateDir = defaultStateDir({ env: { JOBS_STATE_DIR: runtime.JOBS_STATE_DIR }, home });
  const spec = parseSourceSpec(flags.source ?? env.DIGEST_SOURCE, { home, cwd: deps.cwd });
  if (!spec) throw new DigestError('ECONFIG', 'DIGEST_SOURCE must be imap or maildir:PATH', { option: 'DIGEST_SOURCE' });
  if (spec.kind === 'maildir' && !isDir(spec.path)) throw noSource(spec.path, flags.source ?? (env.DIGEST_SOURCE === DEFAULT_SOURCE ? undefined : env.DIGEST_SOURCE), scope.file);
  return { runtime, env, envFile: scope.file, redact, tokens, log, stateDir, runId: randomUUID(), spec };
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** No Maildir where the source points: a configuration error that names both ways in. */
function noSource(path: string, given: string | undefined, file: string): DigestError {
  const where = given === undefined ? `No mail source is configured (the default Maildir ${path} does not exist)` : `DIGEST_SOURCE points at ${path}, which is not a Maildir folder`;
  return new DigestError(
    'ECONFIG',
    `${where}: in ${file}, set DIGEST_SOURCE=imap with IMAP_HOST, IMAP_USER and IMAP_PASSWORD, or DIGEST_SOURCE=maildir:PATH to a Maildir (mbsync and offlineimap write one).`,
    { option: 'DIGEST_SOURCE' },
  );
}
