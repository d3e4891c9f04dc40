/**
 * The doctor: which auth path the `claude` CLI would take in a given environment, hence who
 * gets billed, in the CLI's own precedence (resolveAuthPath in ./auth-path.ts, which the
 * `claude -p` runner also checks before every subscription run), what that path shadows, the
 * shell start-up files that export an API key (the usual reason a subscription user is billed
 * the API), and repos.env's mode and git status. The tests check each case against the real
 * CLI's `claude auth status`.
 */
import { stat } from 'node:fs/promises';
import { defaultExecFile, type ExecFile } from './internal/exec.ts';
import { looseModeError, modeString, trackedPath } from './internal/file-checks.ts';
import { findShellExports } from './internal/shell-exports.ts';
import { resolveAuthPath } from './auth-path.ts';
import type { AuthReport, ReposEnvCheck } from './internal/auth-report.ts';

export type { AuthCandidate, AuthPathName, Billing } from './internal/auth-paths.ts';
export type { ShellExport } from './internal/shell-exports.ts';
export { formatAuthReport } from './internal/format-auth-report.ts';
export type { AuthReport, ReposEnvCheck } from './internal/auth-report.ts';

/** Options of diagnoseAuth. */
export interface DiagnoseAuthOptions {
  /** The environment `claude` would be started with (the app passes process.env). */
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home directory. */
  home: string;
  /** Project directory whose .claude/settings*.json apply. Omitted: project settings are skipped. */
  cwd?: string;
  /** A repos.env to check (mode, git). */
  reposEnv?: string;
  /** Managed settings file; null to skip. Default: the platform's location. */
  managedSettingsPath?: string | null;
  /** Default `process.platform`. */
  platform?: string;
  /** Runs git for the repos.env check. Default: node:child_process execFile. */
  execFile?: ExecFile;
}

/** Reports the auth path `claude` would use, who it bills, and what shadows what. */
export async function diagnoseAuth(options: DiagnoseAuthOptions): Promise<AuthReport> {
  const { home } = options;
  if (typeof home !== 'string' || home === '') throw new TypeError(`diagnoseAuth: option home must be a directory path, got ${JSON.stringify(home)}`);
  const platform = options.platform ?? process.platform;
  const { winner, shadowed, warnings } = await resolveAuthPath({
    env: options.env,
    home,
    cwd: options.cwd,
    managedSettingsPath: options.managedSettingsPath,
    platform,
  });
  const shell = await findShellExports(home);
  const report: AuthReport = { ...winner, shadowed, shellExports: shell.exports, warnings: [...warnings, ...shell.warnings] };
  if (options.reposEnv !== undefined) report.reposEnv = await checkReposEnv(options.reposEnv, platform, options.execFile ?? defaultExecFile);
  return report;
}

/** Mode and git status of a repos.env file, with the fix for each problem. */
async function checkReposEnv(file: string, platform: string, execFile: ExecFile): Promise<ReposEnvCheck> {
  let mode: number;
  try {
    mode = (await stat(file)).mode;
  } catch {
    return { file, exists: false, tracked: null, problems: [`${file} does not exist: copy repos.env.example there and run chmod 600 ${file}`] };
  }
  const problems: string[] = [];
  const isPrivate = platform === 'win32' || (mode & 0o077) === 0;
  if (!isPrivate) problems.push(looseModeError(file, mode).message);
  const { tracked, at } = await trackedPath(file, execFile);
  if (tracked) problems.push(`${at === file ? file : `${file} (a symlink to ${at})`} is tracked by git: git rm --cached ${at}, add it to .gitignore, and rotate its secrets`);
  return { file, exists: true, mode: modeString(mode), private: isPrivate, tracked, problems };
}
