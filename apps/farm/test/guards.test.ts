// Covers the subscription path's run guards with the real CLI against the simulator: the
// inactivity watchdog (a stalled reply is killed within T + 1 s), result subtypes mapped to
// outcomes, api_retry events counted, and a CLI that exits 0 without a result is an error.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { APP_DIR, baseEnv, KEY, sandbox, TOKEN } from './helpers.ts';

const oauth = { CLAUDE_CODE_OAUTH_TOKEN: TOKEN };

describe('subscription run guards (real CLI)', () => {
  it('the watchdog kills a reply stalled mid-stream within T + 1 s', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    const T = 2;
    await sb.writeEnv(baseEnv(sim.url, { FARM_WATCHDOG_SECONDS: T }));
    sim.enqueue({ kind: 'stall', afterEvents: 3 });
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Write a long essay.', oauth);
    const ended = Date.now();
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, error: { code: 'ESTALL' } });
    const stalledAt = sim.messageRequests()[0]?.at ?? 0;
    expect(stalledAt).toBeGreaterThan(0);
    // The stall began when the simulator answered its first events, right after the request arrived.
    expect(ended - stalledAt).toBeGreaterThanOrEqual(T * 1000 - 100);
    expect(ended - stalledAt).toBeLessThan(T * 1000 + 1000);
    expect((await sb.rows())[0]).toMatchObject({ outcome: 'error', error_code: 'ESTALL' });
  }, 60_000);

  it('maps error_max_turns to an outcome and exit 1', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond(() => ({ kind: 'reply', content: [{ type: 'tool_use', name: 'Read', input: { file_path: join(APP_DIR, 'package.json') } }] }));
    const r = await sb.run(['run', '--path', 'subscription', '--max-turns', '1', '--json'], 'Read the package file.', oauth);
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, outcome: 'error_max_turns', error: { code: 'EOUTCOME' } });
  }, 60_000);

  it('counts system/api_retry events (one 529, then a reply): attempts 2 in the ledger', async () => {
    await using sim = await startAnthropicSimulator({ oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'reply', text: 'ok after retry' });
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Hi.', oauth);
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, apiRetries: 1, text: 'ok after retry' });
    expect((await sb.rows())[0]).toMatchObject({ attempts: 2, outcome: 'ok' });
  }, 60_000);

  it('a CLI that exits 0 with no result event is an error (ENO_RESULT)', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url, { FARM_CLAUDE_BIN: join(APP_DIR, 'test/fixtures/claude-no-result.sh') }));
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Hi.');
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, outcome: 'error', error: { code: 'ENO_RESULT' } });
  }, 30_000);
});
