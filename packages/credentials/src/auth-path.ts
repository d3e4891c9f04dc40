/**
 * Which auth path the `claude` CLI would take, hence who pays, resolved from what the CLI
 * itself reads: the environment it is started with, the user's settings under its config
 * directory, the project's `.claude/settings.json` and `settings.local.json`, and managed
 * settings. The doctor reports it; the `claude -p` runner refuses to start a subscription run
 * that this says would bill anyone else (a settings `env` block with ANTHROPIC_AUTH_TOKEN is
 * invisible to the CLI's own `apiKeySource`, which then says `none`).
 *
 * Precedence, first match wins (checked against claude 2.1.330's `claude auth status`):
 *   1. cloud-provider flags: CLAUDE_CODE_USE_BEDROCK, then _FOUNDRY, then _VERTEX (1/true/yes/on)
 *   2. ANTHROPIC_AUTH_TOKEN (Bearer token, usually an LLM gateway)
 *   3. ANTHROPIC_API_KEY (Console key: metered API billing)
 *   4. apiKeyHelper in a settings file (a command printing a key: metered API billing)
 *   5. CLAUDE_CODE_OAUTH_TOKEN (from `claude setup-token`: subscription)
 *   6. the stored login, `<config dir>/.credentials.json` with `claudeAiOauth` (subscription)
 *   7. nothing
 * A settings `env` block wins over the process environment (the CLI applies it on top).
 */
import { join } from 'node:path';
import { type AuthCandidate, type AuthPathName, explain } from './internal/auth-paths.ts';
import { defaultManagedSettingsPath, readClaudeSettings } from './internal/claude-settings.ts';
import { readStoredLogin } from './internal/stored-login.ts';

export type { AuthCandidate, AuthPathName, Billing } from './internal/auth-paths.ts';

/** Options of resolveAuthPath. */
export interface ResolveAuthPathOptions {
  /** The environment `claude` is started with. */
  env: Readonly<Record<string, string | undefined>>;
  /** The home directory the CLI sees (its HOME). */
  home: string;
  /** The CLI's working directory, whose .claude/settings*.json apply. Omitted: skipped. */
  cwd?: string | undefined;
  /** Managed settings file; null to skip. Default: the platform's location. */
  managedSettingsPath?: string | null | undefined;
  /** Default `process.platform`. */
  platform?: string | undefined;
}

/** The winning path, the configured paths it outranks, and what could not be read. */
export interface AuthResolution {
  winner: AuthCandidate;
  shadowed: AuthCandidate[];
  warnings: string[];
}

/** The CLI's notion of a true flag. */
function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

/** Resolves the auth path (see the file comment). */
export async function resolveAuthPath(options: ResolveAuthPathOptions): Promise<AuthResolution> {
  const { home, cwd } = options;
  if (typeof home !== 'string' || home === '') throw new TypeError(`resolveAuthPath: option home must be a directory path, got ${JSON.stringify(home)}`);
  const platform = options.platform ?? process.platform;
  const configDir = options.env.CLAUDE_CONFIG_DIR || join(home, '.claude');
  const managedPath = options.managedSettingsPath === null ? undefined : (options.managedSettingsPath ?? defaultManagedSettingsPath(platform));
  const settings = await readClaudeSettings({ configDir, cwd, managedPath });
  const warnings = [...settings.warnings];

  // The effective value of a variable and where it came from; an empty value counts as unset.
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
  else if (platform === 'darwin') warnings.push('on macOS the stored login is in the Keychain, which is not read here');
  if (login.warning) warnings.push(login.warning);

  const winner = found[0] ?? { path: 'none' as const, ...explain('none'), source: 'no credentials found' };
  return { winner, shadowed: found.slice(1), warnings };
}
