// Covers the real `farm` CLI as a child process (exit codes and --help) and `farm doctor`:
// the billing path of each way of running Claude, the shell-file trap, and --probe with the
// real CLI against the simulator reading apiKeySource.
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { APP_DIR, baseEnv, KEY, sandbox, TOKEN } from './helpers.ts';

function farm(args: string[], env: Record<string, string>, input = '') {
  return spawnSync(process.execPath, [join(APP_DIR, 'src/cli.ts'), ...args], { cwd: APP_DIR, env, input, encoding: 'utf8', timeout: 60_000 });
}

describe('farm CLI (child process)', () => {
  it('--help on every command, usage errors exit 2, a broken repos.env exits 78 before any I/O', async () => {
    await using sb = await sandbox();
    for (const cmd of ['run', 'run-job', 'doctor', 'enqueue', 'worker', 'schedule', 'crontab']) {
      const r = farm([cmd, '--help'], sb.env);
      expect(r.status, `${cmd}: ${r.stderr}`).toBe(0);
      expect(r.stdout).toMatch(/Usage: farm/);
    }
    expect(farm([], sb.env).status).toBe(2);
    expect(farm(['nope'], sb.env).status).toBe(2);
    expect(farm(['run', '--bogus'], sb.env).status).toBe(2);
    expect(farm(['run', '--path', 'moon'], sb.env, 'x').status).toBe(2);
    await sb.writeEnv({ FARM_WATCHDOG_SECONDS: 'soon', REDIS_URL: 'http://x' });
    const bad = farm(['run', '--atomic'], sb.env, 'task');
    expect(bad.status).toBe(78);
    expect(bad.stderr).toMatch(/FARM_WATCHDOG_SECONDS/);
    expect(bad.stderr).toMatch(/REDIS_URL/);
  }, 90_000);

  it('a malformed LOG_LEVEL is exit 78 naming it, before any command runs', async () => {
    await using sb = await sandbox();
    const r = farm(['run', '--atomic'], { ...sb.env, LOG_LEVEL: 'loud' }, 'task');
    expect(r.status, r.stderr).toBe(78);
    expect(r.stderr).toMatch(/LOG_LEVEL: malformed/);
    // A known level passes the check (the run then fails on its own terms, not on LOG_LEVEL).
    const ok = farm(['doctor', '--json'], { ...sb.env, LOG_LEVEL: 'debug' });
    expect(ok.stderr).not.toMatch(/LOG_LEVEL/);
    // Under --json the failure is one JSON object on stdout too.
    const json = farm(['run', '--atomic', '--json'], { ...sb.env, LOG_LEVEL: 'loud' }, 'task');
    expect(json.status).toBe(78);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'ECONFIG', exitCode: 78 } });
    expect(JSON.parse(json.stdout).error.message).toMatch(/LOG_LEVEL/);
  }, 60_000);
});

describe('farm doctor', () => {
  it('finds the shell-file trap and the parent key; the farm child still bills the subscription; --probe reads apiKeySource none', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    await mkdir(sb.home, { recursive: true });
    await writeFile(join(sb.home, '.bashrc'), `export ANTHROPIC_API_KEY=${KEY}\n`);
    const r = await sb.run(['doctor', '--probe', '--json'], '', { ANTHROPIC_API_KEY: KEY, CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code, r.stderr.text).toBe(0);
    const out = r.stdout.lines()[0] as Record<string, Record<string, unknown>>;
    expect(out.claudeAsYouRunIt).toMatchObject({ path: 'api-key', billing: 'api' });
    expect(out.farmSubscriptionChild).toMatchObject({ billing: 'subscription', removedFromEnv: ['ANTHROPIC_API_KEY'] });
    expect(out.shellExports).toEqual([expect.objectContaining({ file: join(sb.home, '.bashrc'), line: 1 })]);
    expect(out.probe).toMatchObject({ apiKeySource: 'none', loggedIn: true });
    expect(r.stdout.text).not.toContain(KEY);
  }, 60_000);

  it('--probe with no login reports loggedIn false, exit 1', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const r = await sb.run(['doctor', '--probe', '--json']);
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false });
    const out = r.stdout.lines()[0] as Record<string, Record<string, unknown>>;
    expect(out.probe).toMatchObject({ apiKeySource: 'none', loggedIn: false });
    expect(out.farmSubscriptionChild?.billing).toBe('none');
  }, 60_000);

  it('with no credentials and no repos.env: says claude is not logged in, exit 1, and names the missing repos.env (not --env-file)', async () => {
    await using sb = await sandbox();
    const r = await sb.run(['doctor'], '', { REPOS_ENV: '' });
    expect(r.code).toBe(1);
    expect(r.stdout.text).not.toMatch(/^OK/m);
    expect(r.stdout.text).toMatch(/PROBLEM: claude is not logged in here, so the subscription path will fail/);
    expect(r.stdout.text).not.toMatch(/file named by --env-file/i);
    expect(r.stdout.text).toContain(`No env file at ${join(sb.root, 'repos.env')}`);
  }, 60_000);
});
