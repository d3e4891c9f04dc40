/**
 * loadScope: a job's credentials, from one dotenv file, checked before anything else runs.
 *
 * The file is found (--env-file, $REPOS_ENV, repos.env at the workspace root), refused if
 * group or others can read it or git tracks it, parsed without touching `process.env`, and
 * validated against the job's zod schema. Every missing or malformed key is reported in a
 * single CredentialsError (code ECONFIG, exitCode 78) naming each key and the file, so the
 * operator fixes the file once, and the job fails before any network I/O.
 */
import { readFile } from 'node:fs/promises';
import type * as z from 'zod';
import { CredentialsError, type KeyIssue } from './errors.ts';
import { defaultExecFile, type ExecFile } from './internal/exec.ts';
import { assertNotTracked, assertPrivateMode } from './internal/file-checks.ts';
import { locateEnvFile } from './internal/locate.ts';
import { parseDotenv } from './internal/dotenv.ts';
import { isSecretKey } from './internal/secret-keys.ts';
import { createRedactor, type Redactor } from './redact.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';

export type { ExecFile, ExecResult } from './internal/exec.ts';

/** Options of loadScope. */
export interface LoadScopeOptions<S extends z.ZodObject> {
  /** The job's keys: a zod object schema. Keys not in it are not handed to the job. */
  schema: S;
  /** From `--env-file PATH`; wins over everything else. */
  envFile?: string | undefined;
  /** The value of `$REPOS_ENV`, read by the app and passed in. */
  reposEnvVar?: string | undefined;
  /** The workspace root, where `repos.env` is looked for last. */
  workspaceRoot: string;
  /** Refuse a git-tracked file. Default true. */
  checkGit?: boolean;
  /** Refuse a file group or others can access. Default true (skipped on Windows). */
  checkMode?: boolean;
  /** More keys whose values are secrets, besides the naming rule and `.meta({ secret })`. */
  secretKeys?: readonly string[];
  /** Base for relative paths. Default `process.cwd()`. */
  cwd?: string;
  /** Runs git. Default: node:child_process execFile. */
  execFile?: ExecFile;
  /** Default `process.platform`. */
  platform?: string;
  /** Default: no-op. */
  logger?: Logger;
}

/** A job's loaded credentials. */
export interface Scope<T> {
  /** The schema's output, deep-frozen. Only the schema's keys. */
  values: Readonly<T>;
  /** Absolute path of the file read. */
  file: string;
  /** Every secret value of the file (all its secret keys, not only the job's). */
  secrets: readonly string[];
  /** Replaces every secret value in a string (see createRedactor). */
  redact: Redactor;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function checkOptions(options: LoadScopeOptions<z.ZodObject>): void {
  const fail = (option: string, want: string, got: unknown): never => {
    throw new CredentialsError('EOPTION', `loadScope: option ${option} must be ${want}, got ${typeof got === 'string' ? JSON.stringify(got) : typeof got}`, { option });
  };
  // Structural, not instanceof: an app may hold its own copy of zod.
  const schema = options.schema as Partial<z.ZodObject> | undefined;
  if (typeof schema?.safeParse !== 'function' || typeof schema.shape !== 'object') {
    fail('schema', 'a zod object schema (z.object({...}))', options.schema);
  }
  if (typeof options.workspaceRoot !== 'string' || options.workspaceRoot === '') fail('workspaceRoot', 'a directory path', options.workspaceRoot);
  for (const key of ['envFile', 'reposEnvVar', 'cwd'] as const) {
    const v = options[key];
    if (v !== undefined && typeof v !== 'string') fail(key, 'a string', v);
  }
}

/**
 * Loads and validates a job's credentials. Throws CredentialsError: ENOFILE, EREAD,
 * EPERM_FILE, ETRACKED (file-level, first found) or ECONFIG (every key problem at once).
 */
export async function loadScope<S extends z.ZodObject>(options: LoadScopeOptions<S>): Promise<Scope<z.output<S>>> {
  checkOptions(options);
  const logger = options.logger ?? noopLogger;
  const located = await locateEnvFile({
    envFile: options.envFile,
    reposEnvVar: options.reposEnvVar,
    workspaceRoot: options.workspaceRoot,
    cwd: options.cwd ?? process.cwd(),
  });
  const { file } = located;
  if (options.checkMode !== false) await assertPrivateMode(file, options.platform ?? process.platform);
  if (options.checkGit !== false) await assertNotTracked(file, options.execFile ?? defaultExecFile);

  const text = await readFile(file, 'utf8');
  const parsed = parseDotenv(text);
  const shape = options.schema.shape as Record<string, z.ZodType>;
  const extra = new Set(options.secretKeys ?? []);
  const secrets = Object.entries(parsed.values)
    .filter(([key, value]) => value !== '' && isSecretKey(key, shape, extra))
    .map(([, value]) => value);
  const redact = createRedactor(secrets);

  // An empty value (`KEY=`, as in repos.env.example) means "not filled in": absent.
  const input: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(parsed.values)) if (value !== '') input[key] = value;
  const result = options.schema.safeParse(input);

  const issues: KeyIssue[] = parsed.errors.map((e) => ({ key: `line ${e.line}`, kind: 'syntax', problem: e.problem }));
  if (!result.success) {
    // Messages are redacted with every value of the file: a custom zod message may quote its input.
    const redactAll = createRedactor(Object.values(parsed.values));
    const byKey = new Map<string, string[]>();
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? '(file)');
      byKey.set(key, [...(byKey.get(key) ?? []), redactAll(issue.message)]);
    }
    for (const [key, problems] of byKey) {
      const absent = !Object.hasOwn(input, key);
      issues.push(
        absent
          ? { key, kind: 'missing', problem: Object.hasOwn(parsed.values, key) ? 'missing (the value is empty)' : 'missing' }
          : { key, kind: 'malformed', problem: `malformed: ${problems.join('; ')}` },
      );
    }
  }
  if (!result.success || issues.length > 0) {
    const lines = issues.map((i) => `  ${i.key}: ${i.problem}`).join('\n');
    throw new CredentialsError(
      'ECONFIG',
      `${file} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n${lines}\nFix ${issues.length === 1 ? 'it' : 'them'} in ${file} (repos.env.example lists every key).`,
      { file, issues },
    );
  }

  logger.debug({ file, source: located.source, keys: Object.keys(shape), secrets: secrets.length }, 'credentials loaded');
  return Object.freeze({
    values: deepFreeze(result.data) as Readonly<z.output<S>>,
    file,
    secrets: Object.freeze([...new Set(secrets)]),
    redact,
  });
}
