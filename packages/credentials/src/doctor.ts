/**
 * The doctor: which auth path the `claude` CLI would take in a given environment, hence
 * who gets billed, in the CLI's own precedence (first match wins):
 *   1. cloud-provider flags: CLAUDE_CODE_USE_BEDROCK, then _FOUNDRY, then _VERTEX (the
 *      order claude 2.1.330 picks when several are set); a flag is on when 1/true/yes/on
 *   2. ANTHROPIC_AUTH_TOKEN (Bearer token, usually an LLM gateway)
 *   3. ANTHROPIC_API_KEY (Console key: metered API billing)
 *   4. apiKeyHelper in a settings file (a command printing a key: metered API billing)
 *   5. CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`: subscription)
 *   6. the stored login, ~/.claude/.credentials.json with `claudeAiOauth` (subscription)
 *   7. nothing
 * Variables set in a settings file's `env` block count as set: the CLI applies that block
 * on top of its environment, so it wins over the process environment. The tests check each
 * case against the real CLI's `claude auth status`. The doctor also lists shell start-up
 * files that export an API key (the usual reason a subscription user is billed the API)
 * and checks repos.env.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultExecFile, type ExecFile } from './internal/exec.ts';
import { looseModeError, modeString, trackedPath } from './internal/file-checks.ts';
import { defaultManagedSettingsPath, readClaudeSettings } from './internal/claude-settings.ts';
import { findShellExports } from './internal/shell-exports.ts';
import { explain } from './internal/auth-paths.ts';
import type { AuthCandidate, AuthPathName } from './internal/auth-paths.ts';
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

/** The CLI's notion of a true flag. */
function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

/** Reports the auth path `claude` would use, who it bills, and what shadows what. */
export async function diagnoseAuth(options: DiagnoseAuthOptions): Promise<AuthReport> {
  const { home, cwd } = options;
  if (typeof home !== 'string' || home === '') throw new TypeError(`diagnoseAuth: option home must be a directory path, got ${JSON.stringify(home)}`);
  const platform = options.platform ?? process.platform;
  const configDir = options.env.CLAUDE_CONFIG_DIR || join(home, '.claude');
  const managedPath = options.managedSettingsPath === null ? undefined : (options.managedSettingsPath ?? defaultManagedSettingsPath(platform));
  const settings = await readClaudeSettings({ configDir, cwd, managedPath });
  const warnings = [...settings.warnings];

  // The effective value of a variable and where it came from. A settings `env` block wins
  // over the environment (the CLI applies it on top; checked against claude 2.1.330), and an
  // empty value counts as unset.
  const lookup = (name: string): { value: string; source: string } | undefined => {
    const f = [...settings.files].reverse().find((s) => Object.hasOwn(s.env, name));
    const hit = f ? { value: f.env[name] ?? '', source: `${f.file} (env block)` } : { value: options.env[name] ?? '', source: `environment ${name}` };
    return hit.value === '' ? undefined : hit;
  };

  const found: AuthCandidate[] = [];
  const add = (path: AuthPathName, source: string): void => {
    found.push({ path, ...explain(path), source });
  };
  for (const [name, path] of [
    ['CLAUDE_CODE_USE_BEDROCK', 'bedrock'],
    ['CLAUDE_CODE_USE_FOUNDRY', 'foundry'],
    ['CLAUDE_CODE_USE_VERTEX', 'vertex'],
  ] as const) {
    const hit = lookup(name);
    if (hit && truthy(hit.value)) add(path, hit.source);
  }
  const token = lookup('ANTHROPIC_AUTH_TOKEN');
  if (token) add('auth-token', token.source);
  const key = lookup('ANTHROPIC_API_KEY');
  if (key) add('api-key', key.source);
  const helper = [...settings.files].reverse().find((f) => f.apiKeyHelper !== undefined);
  if (helper) add('api-key-helper', `${helper.file} (apiKeyHelper)`);
  const oauth = lookup('CLAUDE_CODE_OAUTH_TOKEN');
  if (oauth) add('oauth-token', oauth.source);
  const login = await readStoredLogin(join(configDir, '.credentials.json'));
  if (login.present) add('subscription-login', login.file);
  else if (platform === 'darwin') warnings.push('on macOS the stored login is in the Keychain, which the doctor does not read');
  if (login.warning) warnings.push(login.warning);

  const shell = await findShellExports(home);
  warnings.push(...shell.warnings);

  const winner = found[0] ?? { path: 'none' as const, ...explain('none'), source: 'no credentials found' };
  const report: AuthReport = { ...winner, shadowed: found.slice(1), shellExports: shell.exports, warnings };
  if (options.reposEnv !== undefined) report.reposEnv = await checkReposEnv(options.reposEnv, platform, options.execFile ?? defaultExecFile);
  return report;
}

/** Whether the stored login file holds a claude.ai OAuth credential. */
async function readStoredLogin(file: string): Promise<{ file: string; present: boolean; warning?: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { file, present: false };
    return { file, present: false, warning: `cannot read ${file} (${code ?? 'error'})` };
  }
  try {
    const json = JSON.parse(text) as { claudeAiOauth?: unknown };
    const o = json?.claudeAiOauth as { accessToken?: unknown; refreshToken?: unknown } | undefined;
    const present = !!o && typeof o === 'object' && (typeof o.accessToken === 'string' || typeof o.refreshToken === 'string');
    return { file, present };
  } catch {
    return { file, present: false, warning: `${file} is not valid JSON; run claude /login again` };
  }
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
