// Covers the subscription path's first wall with the real Claude Code CLI against the simulator:
// an ANTHROPIC_AUTH_TOKEN in a settings `env` block (user or project), a cloud switch there, or an
// apiKeyHelper would make the CLI bill someone else while its apiKeySource says `none`. The run is
// refused before the CLI is spawned: no request reaches the simulator, no ledger row says
// subscription, and `--json` prints EAUTH_PATH naming the settings file (never the token).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { baseEnv, KEY, sandbox, TOKEN } from './helpers.ts';

const GATEWAY = 'gw-live-farm-gateway-token-5e8f1a2b3c';

async function settings(dir: string, file: string, body: object): Promise<string> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(body));
  return path;
}

describe('farm run --path subscription: the auth path is resolved before spawning', () => {
  for (const layer of ['user', 'project', 'local'] as const) {
    it(`a settings env block (${layer}) with ANTHROPIC_AUTH_TOKEN: refused before spawn, nothing billed, no subscription row`, async () => {
      // The gateway token is accepted by the simulator: without the guard the run succeeds on it.
      await using sim = await startAnthropicSimulator({ apiKeys: [KEY, GATEWAY], oauthTokens: [TOKEN] });
      await using sb = await sandbox();
      const projects = join(sb.root, 'projects');
      await sb.writeEnv(baseEnv(sim.url, { FARM_PROJECTS_DIR: projects }));
      const dir = layer === 'user' ? join(sb.home, '.claude') : join(projects, 'site', '.claude');
      const file = await settings(dir, layer === 'local' ? 'settings.local.json' : 'settings.json', { env: { ANTHROPIC_AUTH_TOKEN: GATEWAY } });
      sim.respond(() => ({ kind: 'reply', text: 'billed to the gateway' }));
      const r = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
      expect(r.code).not.toBe(0);
      const out = r.stdout.lines()[0];
      expect(out).toMatchObject({ ok: false, path: 'subscription', error: { code: 'EAUTH_PATH' } });
      expect(String((out?.error as { message?: string })?.message)).toContain(file);
      expect(r.stdout.text + r.stderr.text).not.toContain(GATEWAY);
      expect(sim.requests).toHaveLength(0);
      expect((await sb.rows()).filter((row) => row.path === 'subscription')).toEqual([]);
    }, 60_000);
  }

  it('a cloud switch (CLAUDE_CODE_USE_BEDROCK) in the user settings env block is refused the same way', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    await settings(join(sb.home, '.claude'), 'settings.json', { env: { CLAUDE_CODE_USE_BEDROCK: '1' } });
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, error: { code: 'EAUTH_PATH' } });
    expect(String(r.stdout.text)).toMatch(/bedrock/);
    expect(sim.requests).toHaveLength(0);
    expect(await sb.rows()).toEqual([]);
  }, 60_000);

  it('an apiKeyHelper in the user settings is refused before its command can run', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const marker = join(sb.root, 'helper-ran');
    await settings(join(sb.home, '.claude'), 'settings.json', { apiKeyHelper: `touch ${marker}; echo ${KEY}` });
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, error: { code: 'EAUTH_PATH' } });
    expect(sim.requests).toHaveLength(0);
    await expect(import('node:fs/promises').then((f) => f.access(marker))).rejects.toThrow();
  }, 60_000);

  it('settings without credentials (an env block with other keys) still run on the subscription', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    await settings(join(sb.home, '.claude'), 'settings.json', { env: { BASH_DEFAULT_TIMEOUT_MS: '1000' } });
    sim.respond(() => ({ kind: 'reply', text: 'ok' }));
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code, r.stderr.text).toBe(0);
    expect((await sb.rows())[0]).toMatchObject({ path: 'subscription', outcome: 'ok' });
  }, 60_000);
});
