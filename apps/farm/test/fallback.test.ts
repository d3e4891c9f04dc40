// Covers policy auto's fallback: a logged-out or rate-limited subscription finishes the task on
// the API path (the ledger says so, with the reason); an explicit --path subscription fails
// with exit 1 and the reason instead; no budget, no fallback.
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { baseEnv, KEY, sandbox, TOKEN } from './helpers.ts';

describe('fallback from the subscription to the API', () => {
  it('with no login, --path auto finishes on the API path and the ledger says so', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond(() => ({ kind: 'reply', text: 'answered on the API' }));
    const r = await sb.run(['run', '--json'], 'Plan the week.');
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api', text: 'answered on the API', usdKind: 'billed', fellBackFrom: { path: 'subscription', code: 'ENOT_LOGGED_IN' } });
    expect(sim.messageRequests().map((q) => q.credential.value)).toEqual([KEY]);
    const rows = await sb.rows();
    expect(rows.map((x) => [x.path, x.outcome, x.error_code ?? null])).toEqual([
      ['subscription', 'error', 'ENOT_LOGGED_IN'],
      ['api', 'ok', null],
    ]);
    expect(rows[1]?.reason).toBe('auto: fallback to API (subscription not logged in)');
    expect(rows[1]?.model).toBe('claude-haiku-5-5');
  }, 60_000);

  it('a rejected rate limit on the subscription falls back under auto', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    sim.respond((req) =>
      req.credential.bearer !== undefined
        ? { kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'anthropic-ratelimit-unified-status': 'rejected', 'x-should-retry': 'false' } }
        : { kind: 'reply', text: 'api reply' },
    );
    const r = await sb.run(['run', '--json'], 'Plan the week.', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN });
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api', fellBackFrom: { code: 'ERATE_LIMITED' } });
    expect((await sb.rows()).map((x) => x.path)).toEqual(['subscription', 'api']);
  }, 60_000);

  it('explicit --path subscription does not fall back: exit 1 with the reason', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const r = await sb.run(['run', '--path', 'subscription', '--json'], 'Plan the week.');
    expect(r.code).toBe(1);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: false, path: 'subscription', error: { code: 'ENOT_LOGGED_IN' } });
    expect(sim.messageRequests()).toHaveLength(0);
  }, 60_000);

  it('auto without API budget left (daily cap spent) fails with the reason, no API call', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url, { FARM_DAILY_API_BUDGET_USD: 0.1 }));
    const r = await sb.run(['run', '--json', '--max-budget-usd', '0.5'], 'Plan the week.');
    expect(r.code).toBe(1);
    const out = r.stdout.lines()[0];
    expect(out).toMatchObject({ ok: false, error: { code: 'ENOT_LOGGED_IN' } });
    expect(String((out?.error as { message: string } | undefined)?.message)).toMatch(/no fallback to the API: .*FARM_DAILY_API_BUDGET_USD/);
    expect(sim.messageRequests()).toHaveLength(0);
  }, 60_000);

  it('auto sends an atomic task straight to the API (Haiku), with the route reason in the ledger', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const r = await sb.run(['run', '--atomic', '--json'], 'Classify: hello');
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api', reason: 'auto: atomic task, one API call' });
    expect(sim.messageRequests()[0]?.body?.model).toBe('claude-haiku-5-5');
    expect((await sb.rows())[0]).toMatchObject({ path: 'api', reason: 'auto: atomic task, one API call', outcome: 'ok' });
  }, 30_000);
});
