// Covers the runner's first wall for the jobs' CLI client, with the real `claude` CLI against the
// simulator: ANTHROPIC_AUTH_TOKEN or a cloud switch in a settings `env` block (the user's, or
// managed settings) would bill a gateway or cloud account while the CLI's apiKeySource says
// `none`. The call is refused before the CLI is spawned (EAUTH_PATH, exit 78), the simulator
// sees no request, the budget keeps its money, and no ledger row claims the subscription.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaudeError } from '../src/errors.ts';
import { cliSetup, KEY } from './cli-helpers.ts';
import { user } from './helpers.ts';

const GATEWAY = 'gw-live-jobs-gateway-token-91c2d3e4f5';
const ask = { callSite: 'test.auth-path', messages: [user('Say hello.')], maxTokens: 100 };

describe('CLI transport: auth path resolved before spawning', () => {
  it('ANTHROPIC_AUTH_TOKEN in ~/.claude/settings.json env: EAUTH_PATH, nothing spawned, nothing billed, no row', async () => {
    await using t = await cliSetup();
    // Without the guard the CLI sends the gateway token as a Bearer (and the request is logged).
    await mkdir(join(t.home, '.claude'), { recursive: true });
    const file = join(t.home, '.claude', 'settings.json');
    await writeFile(file, JSON.stringify({ env: { ANTHROPIC_AUTH_TOKEN: GATEWAY } }));
    const claude = t.client();
    const err = (await claude.message(ask).catch((e: unknown) => e)) as ClaudeError;
    expect(err.code).toBe('EAUTH_PATH');
    expect(err.exitCode).toBe(78);
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/auth-token auth path/);
    expect(err.message).not.toContain(GATEWAY);
    expect(t.pids).toEqual([]);
    expect(t.sim.requests).toHaveLength(0);
    expect(claude.spentUsd()).toBe(0);
    expect(claude.remainingUsd()).toBe(1);
    expect(await t.rows()).toEqual([]);
  }, 60_000);

  it('CLAUDE_CODE_USE_VERTEX in managed settings is refused too; an API key there as well', async () => {
    await using t = await cliSetup();
    const managed = join(t.home, 'managed-settings.json');
    await writeFile(managed, JSON.stringify({ env: { CLAUDE_CODE_USE_VERTEX: 'true' } }));
    const vertex = (await t.client({ managedSettingsPath: managed }).message(ask).catch((e: unknown) => e)) as ClaudeError;
    expect(vertex.code).toBe('EAUTH_PATH');
    expect(vertex.message).toMatch(/vertex auth path.*managed-settings\.json/);
    await writeFile(managed, JSON.stringify({ env: { ANTHROPIC_API_KEY: KEY } }));
    const key = (await t.client({ managedSettingsPath: managed }).message(ask).catch((e: unknown) => e)) as ClaudeError;
    expect(key.code).toBe('EAUTH_PATH');
    expect(key.message).not.toContain(KEY);
    expect(t.pids).toEqual([]);
    expect(t.sim.requests).toHaveLength(0);
    expect(await t.rows()).toEqual([]);
  }, 60_000);
});
