// Covers the CLI transport's guards with the real `claude` CLI against the simulator: a key slipped
// in by a wrapper is caught by the init event's apiKeySource before any request; "not logged in"
// is an AuthError and a rejected plan rate limit a RateLimitError (both from the stream's machine
// fields); a reply that stalls mid-stream gets the CLI's process group killed by the inactivity
// watchdog within T + 1 s; plus two stand-ins: a CLI that exits 0 without a result, and a missing
// binary. Every failure writes one error row with path subscription.
import { join } from 'node:path';
import { claudeCliPath } from '@jobs/testkit/anthropic-simulator';
import { describe, expect, it } from 'vitest';
import { AuthError, type ClaudeError, RateLimitError } from '../src/errors.ts';
import { alive, cliSetup, FIXTURES, KEY } from './cli-helpers.ts';
import { user } from './helpers.ts';

const ask = { callSite: 'test.guard', system: 'Be brief.', messages: [user('Say hello.')], maxTokens: 100 };

describe('CLI transport guards', () => {
  it('stops a CLI whose init event reports an API key source (a wrapper forced a key in)', async () => {
    await using t = await cliSetup(undefined, { FIXTURE_API_KEY: KEY, FIXTURE_REAL_CLAUDE: claudeCliPath() });
    const claude = t.client({ bin: join(FIXTURES, 'claude-with-key.sh') });
    const err = (await claude.message(ask).catch((e: unknown) => e)) as ClaudeError;
    expect(err.code).toBe('EAPIKEY_SOURCE');
    expect(err.message).toMatch(/apiKeySource "ANTHROPIC_API_KEY".*would have billed the API/);
    expect(err.message).not.toContain(KEY);
    // The init event comes before the first request: the key billed nothing.
    expect(t.sim.messageRequests()).toHaveLength(0);
    expect(t.pids.filter(alive)).toEqual([]);
    const rows = await t.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ path: 'subscription', outcome: 'error', error_code: 'EAPIKEY_SOURCE', usd: 0, attempts: 1 });
  }, 60_000);

  it('not logged in: AuthError EAUTH, no request sent', async () => {
    await using t = await cliSetup(null);
    const err = await t.client().message(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'EAUTH', type: 'authentication_failed', status: undefined });
    expect((err as Error).message).toMatch(/not logged in.*claude \/login/);
    expect(t.sim.messageRequests()).toHaveLength(0);
    expect((await t.rows())[0]).toMatchObject({ path: 'subscription', outcome: 'error', error_code: 'EAUTH' });
  }, 60_000);

  it('a rejected plan rate limit: RateLimitError ERATELIMIT with the reset as retryAfterMs, stopped at once', async () => {
    await using t = await cliSetup();
    const resetS = Math.floor(Date.now() / 1000) + 3600;
    t.sim.respond(() => ({
      kind: 'error',
      status: 429,
      type: 'rate_limit_error',
      headers: { 'anthropic-ratelimit-unified-status': 'rejected', 'anthropic-ratelimit-unified-reset': String(resetS), 'x-should-retry': 'false' },
    }));
    const err = await t.client().message(ask).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err).toMatchObject({ code: 'ERATELIMIT', status: 429 });
    const after = (err as RateLimitError).retryAfterMs ?? 0;
    expect(after).toBeGreaterThan(3_000_000);
    expect(after).toBeLessThanOrEqual(3_600_000);
    expect(t.sim.messageRequests()).toHaveLength(1);
    expect((await t.rows())[0]).toMatchObject({ path: 'subscription', outcome: 'error', error_code: 'ERATELIMIT' });
  }, 60_000);

  it('a reply that stalls mid-stream: the watchdog kills the process group within T + 1 s', async () => {
    await using t = await cliSetup();
    const idleTimeoutMs = 1500;
    t.sim.enqueue({ kind: 'stall', afterEvents: 3 });
    const err = (await t.client({ idleTimeoutMs }).message(ask).catch((e: unknown) => e)) as ClaudeError;
    expect(err.code).toBe('ESTALL');
    const kill = t.log.lines.find((l) => l.msg?.startsWith('stopping the claude CLI'));
    const killed = (kill?.obj ?? {}) as { why?: string; stalledForMs?: number };
    const stalledForMs = killed.stalledForMs ?? -1;
    expect(killed.why).toBe('stall');
    expect(stalledForMs).toBeGreaterThanOrEqual(idleTimeoutMs);
    expect(stalledForMs).toBeLessThan(idleTimeoutMs + 1000);
    expect(t.pids).toHaveLength(1);
    expect(t.pids.filter(alive)).toEqual([]);
    expect((await t.rows())[0]).toMatchObject({ path: 'subscription', outcome: 'error', error_code: 'ESTALL' });
  }, 60_000);

  it('a CLI that exits 0 without a result event is ENO_RESULT; a missing binary is ECLI', async () => {
    await using t = await cliSetup();
    const noResult = await t.client({ bin: join(FIXTURES, 'claude-no-result.sh') }).message(ask).catch((e: unknown) => e);
    expect(noResult).toMatchObject({ code: 'ENO_RESULT', attempts: 1 });
    const missing = await t.client({ bin: join(t.home, 'no-such-claude') }).message(ask).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'ECLI', attempts: 0 });
    expect((missing as Error).message).toMatch(/could not start the claude CLI.*ENOENT/);
    expect((await t.rows()).map((r) => [r.path, r.outcome, r.error_code])).toEqual([
      ['subscription', 'error', 'ENO_RESULT'],
      ['subscription', 'error', 'ECLI'],
    ]);
  }, 30_000);
});
