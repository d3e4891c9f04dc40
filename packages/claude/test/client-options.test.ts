// Covers the options both transports share (internal/client-options.ts): the API client and the
// CLI transport refuse the same bad values with the same message, both refuse a model or a
// fallback model the pricing table does not price, and both redact their own secret. Building a
// client starts nothing (no request, no CLI), so no server is needed here.
import { describe, expect, it } from 'vitest';
import type { LedgerRow } from '@jobs/ledger/row';
import { createClaudeCliClient } from '../src/cli-client.ts';
import { createClaudeClient } from '../src/client.ts';
import { resolveOptions } from '../src/internal/api/options.ts';
import { resolveCliOptions } from '../src/internal/cli/options.ts';

const rows: LedgerRow[] = [];
const ledger = { append: async (row: LedgerRow) => void rows.push(row) };
const common = { app: 'digest', job: 'am', runId: 'r1', budgetUsd: 0.5, ledger };
const KEY = 'sk-ant-api03-options-test-key';
const TOKEN = 'sk-ant-oat01-options-test-token';
const api = (o: object) => createClaudeClient({ apiKey: KEY, ...common, ...o });
const cli = (o: object) => createClaudeCliClient({ env: { PATH: '/usr/bin', CLAUDE_CODE_OAUTH_TOKEN: TOKEN }, ...common, ...o });

const BAD: readonly [string, object, RegExp][] = [
  ['app', { app: ' ' }, /option app must be a non-empty string; got " "/],
  ['job', { job: 7 }, /option job must be a non-empty string; got 7/],
  ['runId', { runId: '' }, /option runId must be a non-empty string/],
  ['budgetUsd', { budgetUsd: -1 }, /option budgetUsd must be a positive number; got -1/],
  ['budgetUsd', { budgetUsd: Number.NaN }, /option budgetUsd must be a positive number; got NaN/],
  ['ledger', { ledger: {} }, /option ledger must be an object with append\(row\)/],
  ['model', { model: 'claude-nope-1' }, /option model must be a model in the pricing table of .*"claude-nope-1"/],
  ['fallbackModel', { fallbackModel: 'claude-nope-2' }, /option fallbackModel must be a model in the pricing table of .*"claude-nope-2"/],
  ['maxPromptTokens', { maxPromptTokens: 0 }, /option maxPromptTokens must be a positive number; got 0/],
];

describe('options both transports share', () => {
  for (const [name, o, message] of BAD) {
    it(`refuses a bad ${name} alike on the API and the CLI path`, () => {
      expect(() => api(o)).toThrow(message);
      expect(() => cli(o)).toThrow(message);
    });
  }

  it('a fallback model can be disabled, and a priced one is kept, on both paths', () => {
    expect(api({ fallbackModel: null }).fallbackModel).toBeNull();
    expect(cli({ fallbackModel: null }).fallbackModel).toBeNull();
    expect(cli({ fallbackModel: 'claude-haiku-4-5' }).fallbackModel).toBe('claude-haiku-4-5');
  });

  it('redacts the transport’s own secret on top of the caller’s redactor', () => {
    const redact = (s: string) => s.replaceAll('hunter2', '[PW]');
    expect(resolveOptions({ apiKey: KEY, ...common, redact }).redact(`key ${KEY} pw hunter2`)).toBe('key [REDACTED] pw [PW]');
    const env = { PATH: '/usr/bin', CLAUDE_CODE_OAUTH_TOKEN: TOKEN };
    expect(resolveCliOptions({ env, ...common, redact }).redact(`token ${TOKEN} pw hunter2`)).toBe('token [REDACTED] pw [PW]');
    // No token in the env: nothing to strip, the caller's redactor still runs.
    expect(resolveCliOptions({ env: { PATH: '/usr/bin' }, ...common, redact }).redact('pw hunter2')).toBe('pw [PW]');
  });

  it('applies the same defaults on both paths', () => {
    const a = resolveOptions({ apiKey: KEY, ...common });
    const c = resolveCliOptions({ env: { PATH: '/usr/bin' }, ...common });
    for (const key of ['model', 'fallbackModel', 'maxPromptTokens', 'host'] as const) expect(c[key]).toEqual(a[key]);
    expect(c.pricing.asOf).toBe(a.pricing.asOf);
    expect(rows).toEqual([]);
  });
});
