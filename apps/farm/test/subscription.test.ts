// Covers the subscription path with the real Claude Code CLI against the simulator: an OAuth
// run completes (apiKeySource none, ledger path subscription with the equivalent cost), a key
// leaking into the parent env never reaches the child, a wrapper that forces a key in is stopped
// by the guard, result subtypes map to outcomes, and api_retry events are counted.
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { baseEnv, KEY, sandbox, TOKEN } from './helpers.ts';

describe('farm run --path subscription (real CLI)', () => {
  it('completes on the OAuth token: apiKeySource none, ledger row path subscription with the equivalent usd', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond(() => ({ kind: 'reply', text: 'Done: footer fixed.' }));
    const r = await sb.run(['run', '--path', 'subscription', '--project', 'site', '--json'], 'Fix the footer.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code, r.stderr.text).toBe(0);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: true, path: 'subscription', outcome: 'success', text: 'Done: footer fixed.', usdKind: 'equivalent' });
    expect(sim.messageRequests().length).toBeGreaterThan(0);
    for (const req of sim.messageRequests()) expect(req.credential.value).toBe(TOKEN);
    const rows = await sb.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ path: 'subscription', outcome: 'ok', app: 'farm', job: 'site', reason: 'requested with --path subscription' });
    expect(rows[0]?.usd).toBeGreaterThan(0);
    expect(rows[0]?.usd).toBe(out?.usd);
  }, 60_000);

  it('an ANTHROPIC_API_KEY in the parent env never reaches the child (apiKeySource none, no request with the key)', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN, ANTHROPIC_API_KEY: KEY });
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'subscription' });
    expect(r.stderr.lines().some((l) => Array.isArray(l.removed) && (l.removed as string[]).includes('ANTHROPIC_API_KEY'))).toBe(true);
    expect(sim.requests.some((q) => JSON.stringify(q.headers).includes(KEY))).toBe(false);
  }, 60_000);

  it('a wrapper that forces a key into the CLI is stopped by the apiKeySource guard', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN], latencyMs: 3000 });
    await using sb = await sandbox();
    const wrapper = join(sb.root, 'claude-wrapper.sh');
    await writeFile(wrapper, `#!/bin/sh\nexport ANTHROPIC_API_KEY=${KEY}\nexec "${claudeCliPath()}" "$@"\n`, { mode: 0o700 });
    await chmod(wrapper, 0o700);
    await sb.writeEnv(baseEnv(sim.url, { FARM_CLAUDE_BIN: wrapper }));
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Say hi.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code).toBe(1);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: false, error: { code: 'EAPIKEY_SOURCE' } });
    expect(String((out?.error as { message: string } | undefined)?.message)).toMatch(/ANTHROPIC_API_KEY.*would have billed the API/);
    // Killed right after the init event: no reply was ever completed with the key.
    expect(sim.messageRequests().filter((q) => q.status === 200 && q.credential.value === KEY)).toHaveLength(0);
    const rows = await sb.rows();
    expect(rows[0]).toMatchObject({ path: 'subscription', outcome: 'error', error_code: 'EAPIKEY_SOURCE' });
  }, 60_000);
});
