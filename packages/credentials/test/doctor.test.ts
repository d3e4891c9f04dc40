// Covers the doctor: every auth precedence case over a temporary HOME (checked against the real claude CLI), shell exports, repos.env checks, the human format.
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type AuthPathName, diagnoseAuth, formatAuthReport } from '../src/doctor.ts';
import { tempDir } from './helpers/tmp.ts';
import { claudeAuthStatus, expectedCliView } from './helpers/claude-cli.ts';

/** Every auth source, in the CLI's precedence order, and how to configure it in a HOME. */
const SOURCES: Array<{ path: AuthPathName; env?: Record<string, string>; files?: Record<string, string> }> = [
  { path: 'bedrock', env: { CLAUDE_CODE_USE_BEDROCK: '1' } },
  { path: 'foundry', env: { CLAUDE_CODE_USE_FOUNDRY: '1' } },
  { path: 'vertex', env: { CLAUDE_CODE_USE_VERTEX: 'true' } },
  { path: 'auth-token', env: { ANTHROPIC_AUTH_TOKEN: 'gateway-token-value' } },
  { path: 'api-key', env: { ANTHROPIC_API_KEY: 'sk-ant-api03-doctor-value' } },
  { path: 'api-key-helper', files: { '.claude/settings.json': JSON.stringify({ apiKeyHelper: 'echo sk-ant-helper-value' }) } },
  { path: 'oauth-token', env: { CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-doctor-value' } },
  {
    path: 'subscription-login',
    files: {
      '.claude/.credentials.json': JSON.stringify({
        claudeAiOauth: { accessToken: 'sk-ant-oat01-stored', refreshToken: 'r', expiresAt: 4102444800000, scopes: ['user:inference'], subscriptionType: 'max' },
      }),
    },
  },
];
const SECRET_VALUES = ['gateway-token-value', 'sk-ant-api03-doctor-value', 'sk-ant-oat01-doctor-value', 'sk-ant-oat01-stored'];

/** A fresh HOME holding the given sources; returns it with the env to diagnose. */
async function homeWith(sources: typeof SOURCES): Promise<{ home: string; env: Record<string, string> }> {
  const home = await tempDir('doctor-home-');
  const env: Record<string, string> = { PATH: '/usr/bin:/bin', HOME: home };
  for (const s of sources) {
    Object.assign(env, s.env);
    for (const [rel, text] of Object.entries(s.files ?? {})) {
      await mkdir(join(home, rel, '..'), { recursive: true });
      await writeFile(join(home, rel), text, { mode: 0o600 });
    }
  }
  return { home, env };
}

const BILLING: Record<AuthPathName, string> = {
  bedrock: 'cloud',
  vertex: 'cloud',
  foundry: 'cloud',
  'auth-token': 'gateway',
  'api-key': 'api',
  'api-key-helper': 'api',
  'oauth-token': 'subscription',
  'subscription-login': 'subscription',
  none: 'none',
};

describe('diagnoseAuth precedence', () => {
  const cases = [...SOURCES.map((s, i) => ({ name: s.path, only: [s], all: SOURCES.slice(i) })), { name: 'none' as const, only: [], all: [] }];

  it.each(cases)('$name wins over everything below it, and the claude CLI agrees', async ({ name, all }) => {
    const { home, env } = await homeWith(all);
    const report = await diagnoseAuth({ env, home, managedSettingsPath: null });
    expect(report.path).toBe(name);
    expect(report.billing).toBe(BILLING[name]);
    expect(report.shadowed.map((c) => c.path)).toEqual(all.slice(1).map((s) => s.path));
    expect(report.explanation.length).toBeGreaterThan(10);
    const text = JSON.stringify(report) + formatAuthReport(report);
    for (const v of SECRET_VALUES) expect(text).not.toContain(v);
    expect(expectedCliView(report)).toContainEqual(await claudeAuthStatus(env, home));
  });

  it.each(cases)('$name alone is found, with its source', async ({ name, only }) => {
    const { home, env } = await homeWith(only);
    const report = await diagnoseAuth({ env, home, managedSettingsPath: null });
    expect(report.path).toBe(name);
    expect(report.shadowed).toEqual([]);
    const source = only[0];
    if (source?.env) expect(report.source).toBe(`environment ${Object.keys(source.env)[0]}`);
    if (source?.files) expect(report.source).toContain(join(home, Object.keys(source.files)[0] ?? ''));
    expect(expectedCliView(report)).toContainEqual(await claudeAuthStatus(env, home));
  });

  it('ignores false flags, honours settings env blocks over the environment, project settings and CLAUDE_CONFIG_DIR', async () => {
    const { home, env } = await homeWith([]);
    expect((await diagnoseAuth({ env: { ...env, CLAUDE_CODE_USE_BEDROCK: '0', ANTHROPIC_API_KEY: '' }, home, managedSettingsPath: null })).path).toBe('none');

    await mkdir(join(home, '.claude'), { recursive: true });
    await writeFile(join(home, '.claude/settings.json'), JSON.stringify({ env: { CLAUDE_CODE_USE_VERTEX: '0', ANTHROPIC_API_KEY: 'sk-ant-from-settings' } }));
    const viaSettings = { ...env, CLAUDE_CODE_USE_VERTEX: '1' };
    const r1 = await diagnoseAuth({ env: viaSettings, home, managedSettingsPath: null });
    expect(r1.path).toBe('api-key');
    expect(r1.source).toBe(`${join(home, '.claude/settings.json')} (env block)`);
    expect(expectedCliView(r1)).toContainEqual(await claudeAuthStatus(viaSettings, home));

    const project = await tempDir('doctor-project-');
    await mkdir(join(project, '.claude'));
    await writeFile(join(project, '.claude/settings.local.json'), JSON.stringify({ apiKeyHelper: 'echo k' }));
    await writeFile(join(home, '.claude/settings.json'), '{ not json');
    const r2 = await diagnoseAuth({ env, home, cwd: project, managedSettingsPath: null });
    expect(r2.path).toBe('api-key-helper');
    expect(r2.source).toBe(`${join(project, '.claude/settings.local.json')} (apiKeyHelper)`);
    expect(r2.warnings.join('\n')).toContain(`${join(home, '.claude/settings.json')} is not valid JSON`);

    const configDir = await tempDir('doctor-config-');
    await writeFile(join(configDir, '.credentials.json'), JSON.stringify({ claudeAiOauth: { accessToken: 'sk-ant-oat01-cfg' } }));
    const r3 = await diagnoseAuth({ env: { ...env, CLAUDE_CONFIG_DIR: configDir }, home, managedSettingsPath: null });
    expect(r3.path).toBe('subscription-login');
    expect(r3.source).toBe(join(configDir, '.credentials.json'));
  });
});

describe('diagnoseAuth checks', () => {
  it('finds exported API keys in shell start-up files, with file and line, never the value', async () => {
    const { home, env } = await homeWith([]);
    await writeFile(join(home, '.zshrc'), 'alias ll="ls -l"\nexport ANTHROPIC_API_KEY=sk-ant-zshrc-value\n');
    await writeFile(join(home, '.bashrc'), '# export ANTHROPIC_API_KEY=commented-out\n\n  export ANTHROPIC_API_KEY="sk-ant-bashrc-value"\n');
    await writeFile(join(home, '.profile'), 'PATH=$PATH:~/bin\n[ -f x ] && export ANTHROPIC_AUTH_TOKEN=tok-profile-value\nexport ANTHROPIC_BASE_URL=x\n');
    await writeFile(join(home, '.bash_profile'), 'ANTHROPIC_API_KEY_NOTE=1\n');
    const report = await diagnoseAuth({ env, home, managedSettingsPath: null });
    expect(report.shellExports).toEqual([
      { file: join(home, '.zshrc'), line: 2, name: 'ANTHROPIC_API_KEY' },
      { file: join(home, '.bashrc'), line: 3, name: 'ANTHROPIC_API_KEY' },
      { file: join(home, '.profile'), line: 2, name: 'ANTHROPIC_AUTH_TOKEN' },
    ]);
    const text = JSON.stringify(report) + formatAuthReport(report);
    expect(text).not.toMatch(/zshrc-value|bashrc-value|profile-value/);
    expect(formatAuthReport(report)).toContain(`${join(home, '.zshrc')}:2 exports ANTHROPIC_API_KEY`);
  });

  it('checks repos.env: missing, loose mode with the chmod fix, tracked by git, and fine', async () => {
    const { home, env } = await homeWith([]);
    const dir = await tempDir('doctor-repo-');
    const file = join(dir, 'repos.env');
    const check = async () => (await diagnoseAuth({ env, home, reposEnv: file, managedSettingsPath: null })).reposEnv;

    expect(await check()).toMatchObject({ file, exists: false, tracked: null });
    await writeFile(file, 'A=1\n', { mode: 0o600 });
    await chmod(file, 0o640);
    const loose = await check();
    expect(loose).toMatchObject({ exists: true, mode: '640', private: false, tracked: false });
    expect(loose?.problems).toEqual([`repos.env is readable by others (mode 640): run chmod 600 ${file}`]);

    await chmod(file, 0o600);
    execFileSync('git', ['init', '-q'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    expect(await check()).toEqual({ file, exists: true, mode: '600', private: true, tracked: false, problems: [] });
    execFileSync('git', ['add', '-f', 'repos.env'], { cwd: dir, env: { PATH: process.env.PATH ?? '' } });
    const tracked = await check();
    expect(tracked?.tracked).toBe(true);
    expect(tracked?.problems.join()).toContain('tracked by git');
  });

  it('formats the report for a person', async () => {
    const { home, env } = await homeWith(SOURCES.slice(4));
    const text = formatAuthReport(await diagnoseAuth({ env, home, managedSettingsPath: null }));
    expect(text.split('\n')[0]).toBe('claude would bill: api (api-key)');
    expect(text).toContain('source: environment ANTHROPIC_API_KEY');
    expect(text).toContain('metered API billing');
    expect(text).toContain('also configured, but outranked:');
    expect(text).toContain('- subscription-login (subscription)');
  });
});
