// Covers the CLI transport's happy paths with the real `claude` CLI (2.1.330) against the simulator
// on the subscription path (OAuth token, apiKeySource none): the reply round trip with its ledger
// row (path subscription, usd = the CLI's total_cost_usd), what reached the API (system prompt, no
// tools, model, max_tokens, effort, the bearer token and never a key), structured output through
// the shared ClaudeClient type (earlier turns rendered into the prompt), and the local refusals
// (option checks, budget) that never start the CLI.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClaudeClient } from '../src/client.ts';
import { BudgetExceededError, ClaudeError } from '../src/errors.ts';
import { structured } from '../src/structured.ts';
import { cliSetup, KEY, TOKEN } from './cli-helpers.ts';
import { user } from './helpers.ts';

describe('createClaudeCliClient: round trip on the subscription', () => {
  it('returns the reply and writes one subscription ledger row with the equivalent cost', async () => {
    await using t = await cliSetup();
    t.sim.enqueue({ kind: 'reply', text: 'Three threads; one needs a reply.' });
    const claude = t.client();
    expect(claude.path).toBe('subscription');
    const r = await claude.message({
      callSite: 'digest.summarize',
      system: 'You summarise mail threads tersely. MARK-SYSTEM-7',
      messages: [user('Summarise: MARK-USER-3')],
      maxTokens: 321,
      effort: 'low',
    });
    expect(r.text).toBe('Three threads; one needs a reply.');
    expect(r.model).toBe('claude-haiku-5-5');
    expect(r.attempts).toBe(1);
    expect(r.usage.input_tokens).toBeGreaterThan(0);
    expect(r.usage.output_tokens).toBeGreaterThan(0);
    expect(r.usd).toBeGreaterThan(0);
    expect(claude.spentUsd()).toBe(r.usd);

    const calls = t.sim.messageRequests();
    expect(calls).toHaveLength(1);
    const [call] = calls;
    expect(r.requestId).toBe(call?.requestId);
    expect(call?.credential).toEqual({ apiKey: undefined, bearer: TOKEN, value: TOKEN });
    const body = call?.body as Record<string, unknown>;
    expect(body.model).toBe('claude-haiku-5-5');
    expect(body.max_tokens).toBe(321);
    expect(body.output_config).toEqual({ effort: 'low' });
    // No tool reached the model: --tools "" and no MCP server.
    expect((body.tools as unknown[] | undefined) ?? []).toEqual([]);
    expect(JSON.stringify(body.system)).toContain('MARK-SYSTEM-7');
    expect(JSON.stringify(body.messages)).toContain('Summarise: MARK-USER-3');
    expect(t.sim.requests.some((q) => JSON.stringify(q.headers).includes(KEY))).toBe(false);

    const rows = await t.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      app: 'test-app',
      job: 'test-job',
      run_id: 'run-cli-1',
      call_site: 'digest.summarize',
      path: 'subscription',
      host: 'test-host',
      model: 'claude-haiku-5-5',
      input_tokens: r.usage.input_tokens,
      output_tokens: r.usage.output_tokens,
      usd: r.usd,
      attempts: 1,
      outcome: 'ok',
      request_id: call?.requestId,
      reason: 'test: subscription transport',
    });
    expect(rows[0]?.latency_ms).toBeGreaterThan(0);
  }, 60_000);

  it('serves structured() through the shared ClaudeClient type, earlier turns rendered into the prompt', async () => {
    await using t = await cliSetup();
    t.sim.enqueue({ kind: 'reply', text: 'Sure! Here it is: not json' }, { kind: 'reply', json: { ok: true, n: 2 } });
    const claude: ClaudeClient = t.client();
    const { value, calls } = await structured(claude, {
      callSite: 'lead.draft',
      schema: z.object({ ok: z.boolean(), n: z.number() }),
      messages: [user('Reply with JSON {ok, n}.')],
      maxTokens: 200,
    });
    expect(value).toEqual({ ok: true, n: 2 });
    expect(calls).toBe(2);
    const second = JSON.stringify(t.sim.messageRequests()[1]?.body);
    expect(second).toContain('<earlier_turns>');
    expect(second).toContain('<assistant>\\nSure! Here it is: not json\\n</assistant>');
    const rows = await t.rows();
    expect(rows.map((r) => [r.path, r.outcome])).toEqual([
      ['subscription', 'ok'],
      ['subscription', 'ok'],
    ]);
  }, 90_000);
});

describe('createClaudeCliClient: refused before the CLI starts', () => {
  it('refuses an env that carries an API key, naming the variable and not its value', async () => {
    await using t = await cliSetup();
    const err = (() => {
      try {
        t.client({ env: { ...t.env, ANTHROPIC_API_KEY: KEY } });
      } catch (e) {
        return e as ClaudeError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(ClaudeError);
    expect(err?.code).toBe('ECONFIG');
    expect(err?.message).toMatch(/ANTHROPIC_API_KEY.*childEnv\('subscription'/);
    expect(err?.message).not.toContain(KEY);
    expect(() => t.client({ idleTimeoutMs: -1 })).toThrow(/option idleTimeoutMs must be a positive number; got -1/);
    expect(() => t.client({ model: 'claude-nonesuch-1' })).toThrow(/option model must be a model in the pricing table/);
  });

  it('refuses a call over the budget with a budget_refused row, and a non-text block with ECONFIG', async () => {
    await using t = await cliSetup();
    const claude = t.client({ budgetUsd: 0.000001 });
    const err = await claude.message({ callSite: 'digest.summarize', messages: [user('hello')], maxTokens: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    const bad = await t
      .client()
      .message({ callSite: 'x.image', messages: [{ role: 'user', content: [{ type: 'image' }] }], maxTokens: 10 })
      .catch((e: unknown) => e as ClaudeError);
    expect(bad).toMatchObject({ code: 'ECONFIG' });
    expect(t.pids).toHaveLength(0);
    expect(t.sim.messageRequests()).toHaveLength(0);
    expect((await t.rows()).map((r) => [r.path, r.outcome, r.error_code, r.attempts])).toEqual([
      ['subscription', 'budget_refused', 'EBUDGET', 0],
      ['subscription', 'error', 'ECONFIG', 0],
    ]);
  });
});
