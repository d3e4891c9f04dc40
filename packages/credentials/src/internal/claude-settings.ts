/**
 * Reads the `claude` CLI's settings files the way the CLI layers them, for the doctor:
 * user (`~/.claude/settings.json`, or `$CLAUDE_CONFIG_DIR/settings.json`), project
 * (`<cwd>/.claude/settings.json`), local (`<cwd>/.claude/settings.local.json`) and managed
 * (`/etc/claude-code/managed-settings.json` on Linux), later ones winning. Two fields
 * matter for billing: `apiKeyHelper` and the `env` block, which the CLI applies to its own
 * environment. A file that is missing is skipped; one that is not JSON is a warning.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One settings file that was read. */
export interface SettingsFile {
  scope: 'user' | 'project' | 'local' | 'managed';
  file: string;
  apiKeyHelper?: string;
  env: Record<string, string>;
}

/** The settings files found, lowest precedence first, and any warnings. */
export interface SettingsRead {
  files: SettingsFile[];
  warnings: string[];
}

/** Default location of managed (administrator) settings on this platform. */
export function defaultManagedSettingsPath(platform: string): string | undefined {
  if (platform === 'linux') return '/etc/claude-code/managed-settings.json';
  if (platform === 'darwin') return '/Library/Application Support/ClaudeCode/managed-settings.json';
  return undefined;
}

/** Reads the settings files in precedence order (lowest first). */
export async function readClaudeSettings(input: {
  configDir: string;
  cwd: string | undefined;
  managedPath: string | undefined;
}): Promise<SettingsRead> {
  const candidates: Array<Pick<SettingsFile, 'scope' | 'file'>> = [
    { scope: 'user', file: join(input.configDir, 'settings.json') },
  ];
  if (input.cwd !== undefined) {
    candidates.push({ scope: 'project', file: join(input.cwd, '.claude', 'settings.json') });
    candidates.push({ scope: 'local', file: join(input.cwd, '.claude', 'settings.local.json') });
  }
  if (input.managedPath !== undefined) candidates.push({ scope: 'managed', file: input.managedPath });

  const files: SettingsFile[] = [];
  const warnings: string[] = [];
  for (const c of candidates) {
    let text: string;
    try {
      text = await readFile(c.file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      warnings.push(`cannot read ${c.file} (${code ?? 'error'}); the CLI may see settings the doctor does not`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      warnings.push(`${c.file} is not valid JSON; the CLI will ignore or reject it`);
      continue;
    }
    if (json === null || typeof json !== 'object') continue;
    const obj = json as { apiKeyHelper?: unknown; env?: unknown };
    const env: Record<string, string> = {};
    if (obj.env !== null && typeof obj.env === 'object') {
      for (const [k, v] of Object.entries(obj.env)) if (typeof v === 'string') env[k] = v;
    }
    const entry: SettingsFile = { ...c, env };
    if (typeof obj.apiKeyHelper === 'string' && obj.apiKeyHelper.trim() !== '') entry.apiKeyHelper = obj.apiKeyHelper;
    files.push(entry);
  }
  return { files, warnings };
}
