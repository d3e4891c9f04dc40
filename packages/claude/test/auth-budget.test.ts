// Covers auth and money guards against the simulator: a refused key (401) named by file and never
// shown, the key sent in x-api-key only and kept out of ledger and logs, the budget refusing a call
// before sending, the 100K-token prompt cap, and option checks at client creation.
import { describe, expect, it } from 'vitest';
import { createLedger } from '@jobs/ledger/ledger';
import { createClaudeClient } from '../src/client.ts';
import { AuthError, BudgetExceededError, ClaudeError } from '../src/errors.ts';
import { API_KEY, setup, user } from './helpers.ts';

const WRONG_KEY = 'sk-ant-api03-wrong-key-9911aa77';

describe('auth', () => {
  it('401: one request, an error that says the key in repos.env was refused and names no secret', async () => {
    await using t = await setup({ apiKey: WRONG_KEY });
    const err = await t.client.message({ callSite: 'test.401', messages: [user('hello')], maxTokens: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ code: 'EAUTH', status: 401, attempts: 1, retryable: false });
    const message = (err as Error).message;
    expect(message).toContain('the ANTHROPIC_API_KEY in /home/ops/repos.env was refused');
    expect(message).not.toContain(WRONG_KEY);
    expect(message).not.toContain(API_KEY);
    expect(t.messageRequests()).toHaveLength(1);
    expect(t.messageRequests()[0]?.status).toBe(401);
    const rows = await t.rows();
    expect(rows).toMatchObject([{ outcome: 'error', error_code: 'EAUTH', attempts: 1 }]);
    expect(await t.ledgerText()).not.toContain(WRONG_KEY);
    expect(JSON.stringify(t.log.lines)).not.toContain(WRONG_KEY);
  });

  it('sends the key in x-api-key only, and never writes it to the ledger or the logs', async () => {
    await using t = await setup();
    t.sim.enqueue(
      { kind: 'error', status: 529, type: 'overloaded_error', message: `echo ${API_KEY}` },
      { kind: 'reply', text: 'fine' },
    );
    await t.client.message({ callSite: 'test.key', messages: [user('hello')], maxTokens: 50 });
    for (const req of t.messageRequests()) {
      expect(req.headers['x-api-key']).toBe(API_KEY);
      expect(req.headers.authorization).toBeUndefined();
      expect(req.credential.bearer).toBeUndefined();
    }
    expect(await t.ledgerText()).not.toBe('');
    expect(await t.ledgerText()).not.toContain(API_KEY);
    expect(JSON.stringify(t.log.lines, (_k, v) => (v instanceof Error ? v.message : v))).not.toContain(API_KEY);
  });

  it('redacts the key and the injected redactor\'s secrets from API error messages', async () => {
    await using t = await setup({ redact: (s) => s.replaceAll('imap-password-77', '***') });
    t.sim.enqueue({ kind: 'error', status: 400, type: 'invalid_request_error', message: `bad header ${API_KEY} near imap-password-77` });
    const err = await t.client.message({ callSite: 'test.echo', messages: [user('hi')], maxTokens: 50 }).catch((e: unknown) => e);
    const message = (err as Error).message;
    expect(message).toContain('[REDACTED]');
    expect(message).toContain('***');
    expect(message).not.toContain(API_KEY);
    expect(message).not.toContain('imap-password-77');
  });
});

describe('budget', () => {
  it('a budget of $0.0001 and a large prompt: zero requests, BudgetExceededError, a budget_refused row', async () => {
    await using t = await setup({ budgetUsd: 0.0001 });
    const big = 'The quarterly report shows steady growth. '.repeat(1200);
    const err = await t.client.message({ callSite: 'test.budget', messages: [user(big)], maxTokens: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(err).toMatchObject({ code: 'EBUDGET', budgetUsd: 0.0001, attempts: 0 });
    expect((err as BudgetExceededError).estimateUsd).toBeGreaterThan(0.0001);
    expect(t.sim.requests).toHaveLength(0);
    expect(await t.rows()).toMatchObject([
      { outcome: 'budget_refused', call_site: 'test.budget', attempts: 0, model: 'claude-haiku-5-5', request_id: null },
    ]);
    expect(t.client.spentUsd()).toBe(0);
  });

  it('counts spend across calls and refuses the call that would cross the cap', async () => {
    await using t = await setup({ budgetUsd: 0.001 });
    t.sim.respond(() => ({ kind: 'reply', text: 'ok', usage: { input_tokens: 2000, output_tokens: 1000 } }));
    // Estimate per call: ~13 prompt tokens + 1000 output at $0.50/MTok, about $0.0005.
    await t.client.message({ callSite: 'test.spend', messages: [user('hello')], maxTokens: 1000 });
    expect(t.client.spentUsd()).toBe(0.0007);
    const err = await t.client.message({ callSite: 'test.spend', messages: [user('hello')], maxTokens: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetExceededError);
    expect(t.messageRequests()).toHaveLength(1);
    expect((await t.rows()).map((r) => r.outcome)).toEqual(['ok', 'budget_refused']);
  });

  it('refuses a prompt that would cross the 100K-token price tier, before sending', async () => {
    await using t = await setup({ budgetUsd: 100 });
    const huge = 'x'.repeat(400_000); // ~130K tokens on Haiku 5.5
    const err = await t.client.message({ callSite: 'test.tier', messages: [user(huge)], maxTokens: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaudeError);
    expect(err).toMatchObject({ code: 'EPROMPT_TOO_LARGE', attempts: 0 });
    expect((err as Error).message).toMatch(/100000-token cap/);
    expect(t.sim.requests).toHaveLength(0);
    expect(await t.rows()).toMatchObject([{ outcome: 'error', error_code: 'EPROMPT_TOO_LARGE', attempts: 0 }]);
  });
});

describe('options', () => {
  const base = { apiKey: API_KEY, app: 'a', job: 'j', runId: 'r', budgetUsd: 1, ledger: createLedger({ path: '/nonexistent/never-written.jsonl' }) };

  it('names the option and the value it got', () => {
    expect(() => createClaudeClient({ ...base, budgetUsd: -1 })).toThrow(/option budgetUsd must be a positive number; got -1/);
    expect(() => createClaudeClient({ ...base, model: 'claude-nope-1' })).toThrow(/option model must be a model in the pricing table.*"claude-nope-1"/);
    expect(() => createClaudeClient({ ...base, cacheTtl: '2h' as '1h' })).toThrow(/option cacheTtl/);
    expect(() => createClaudeClient({ ...base, baseURL: 'not a url' })).toThrow(/option baseURL/);
  });

  it('never echoes the API key value, even a malformed one', () => {
    const err = (() => {
      try {
        createClaudeClient({ ...base, apiKey: '   ' });
      } catch (e) {
        return e as ClaudeError;
      }
    })();
    expect(err?.code).toBe('ECONFIG');
    // A configuration error maps to exit 78 wherever it is caught (@jobs/core exitCodeOf).
    expect(err?.exitCode).toBe(78);
    expect(err?.message).toMatch(/option apiKey must be a non-empty string/);
  });
});
