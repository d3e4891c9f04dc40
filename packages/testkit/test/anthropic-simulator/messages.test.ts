// Covers POST /v1/messages as JSON: scripted replies, default reply, error shapes and headers,
// auth, validation, unknown paths, latency, drops, the request log and option checks.
import { describe, expect, it } from 'vitest';
import { AnthropicSimulatorError, startAnthropicSimulator } from '../../src/anthropic-simulator/simulator.ts';
import { messagesBody, post } from '../../src/anthropic-simulator/test-support.ts';

describe('POST /v1/messages (JSON)', () => {
  it('answers with a default text reply that depends on the prompt', async () => {
    await using sim = await startAnthropicSimulator();
    const res = await post(sim.url, '/v1/messages', messagesBody());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    expect(res.headers.get('anthropic-ratelimit-requests-limit')).toBe('4000');
    const msg = (await res.json()) as Record<string, unknown>;
    expect(msg).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-haiku-4-5',
      stop_reason: 'end_turn',
      stop_sequence: null,
      content: [{ type: 'text', text: 'Simulated reply to: Hello there' }],
    });
    expect(String(msg.id)).toMatch(/^msg_/);
  });

  it('serves the queue first in first out, then the responder, then the default', async () => {
    await using sim = await startAnthropicSimulator({ defaultText: 'fallback' });
    sim.enqueue({ kind: 'reply', text: 'one' }, { kind: 'reply', json: { ok: true, n: 2 } });
    sim.respond((req) => (req.body.model === 'claude-sonnet-4-5' ? { kind: 'reply', text: 'sonnet' } : undefined));
    const texts: string[] = [];
    for (const model of ['claude-haiku-4-5', 'claude-haiku-4-5', 'claude-sonnet-4-5', 'claude-haiku-4-5']) {
      const msg = (await (await post(sim.url, '/v1/messages', messagesBody({ model }))).json()) as {
        content: Array<{ text: string }>;
      };
      texts.push(msg.content[0]!.text);
    }
    expect(texts).toEqual(['one', '{"ok":true,"n":2}', 'sonnet', 'fallback']);
    expect(sim.messageRequests().map((r) => r.step)).toEqual(['reply', 'reply', 'reply', 'reply']);
  });

  it('returns scripted tool_use content with stop_reason tool_use and an id', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'reply', content: [{ type: 'tool_use', name: 'lookup', input: { q: 'x' } }] });
    const msg = (await (await post(sim.url, '/v1/messages', messagesBody())).json()) as {
      stop_reason: string;
      content: Array<{ id: string; input: unknown }>;
    };
    expect(msg.stop_reason).toBe('tool_use');
    expect(msg.content[0]!.id).toMatch(/^toolu_/);
    expect(msg.content[0]!.input).toEqual({ q: 'x' });
  });

  it.each([
    [529, 'overloaded_error', 'Overloaded'],
    [500, 'api_error', 'Internal server error'],
    [400, 'invalid_request_error', 'Invalid request.'],
  ])('sends a %i %s in the API error shape', async (status, type, message) => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'error', status, type });
    const res = await post(sim.url, '/v1/messages', messagesBody());
    expect(res.status).toBe(status);
    const requestId = res.headers.get('request-id');
    expect(await res.json()).toEqual({ type: 'error', error: { type, message }, request_id: requestId });
    expect(sim.requests[0]!.status).toBe(status);
  });

  it('passes retry-after headers on a 429 and none on a spend-limit 429', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue(
      { kind: 'error', status: 429, type: 'rate_limit_error', headers: { 'retry-after': '2', 'retry-after-ms': '2000' } },
      { kind: 'error', status: 429, type: 'billing_error', message: 'spend limit reached' },
    );
    const limited = await post(sim.url, '/v1/messages', messagesBody());
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.headers.get('retry-after-ms')).toBe('2000');
    const spend = await post(sim.url, '/v1/messages', messagesBody());
    expect(spend.status).toBe(429);
    expect(spend.headers.get('retry-after')).toBeNull();
    expect(((await spend.json()) as { error: unknown }).error).toEqual({
      type: 'billing_error',
      message: 'spend limit reached',
    });
  });

  it('rejects invalid bodies with 400 invalid_request_error', async () => {
    await using sim = await startAnthropicSimulator();
    const noMax = await post(sim.url, '/v1/messages', { model: 'claude-haiku-4-5', messages: [] });
    expect(noMax.status).toBe(400);
    expect(((await noMax.json()) as { error: { message: string } }).error.message).toMatch(/max_tokens/);
    const notJson = await fetch(`${sim.url}/v1/messages`, { method: 'POST', body: '{nope' });
    expect(notJson.status).toBe(400);
    const cc = { type: 'ephemeral' };
    const tooMany = await post(
      sim.url,
      '/v1/messages',
      messagesBody({ system: [1, 2, 3, 4, 5].map((n) => ({ type: 'text', text: `s${n}`, cache_control: cc })) }),
    );
    expect(tooMany.status).toBe(400);
  });

  it('answers unknown paths with a logged 404 in the API shape', async () => {
    await using sim = await startAnthropicSimulator();
    const res = await fetch(`${sim.url}/api/hello`, { method: 'HEAD' });
    expect(res.status).toBe(404);
    const get = await fetch(`${sim.url}/v1/models?limit=5`);
    expect(((await get.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
    expect(sim.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ['HEAD', '/api/hello', 404],
      ['GET', '/v1/models', 404],
    ]);
    expect(sim.requests[1]!.query).toEqual({ limit: '5' });
  });

  it('strips the query string from the logged path (the CLI posts /v1/messages?beta=true)', async () => {
    await using sim = await startAnthropicSimulator();
    const res = await post(sim.url, '/v1/messages?beta=true', messagesBody());
    expect(res.status).toBe(200);
    expect(sim.messageRequests()).toHaveLength(1);
    expect(sim.messageRequests()[0]!.query).toEqual({ beta: 'true' });
  });

  it('waits the step latency through the injected sleep, and drops sockets', async () => {
    const waits: number[] = [];
    await using sim = await startAnthropicSimulator({
      latencyMs: 40,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    sim.enqueue({ kind: 'reply', latencyMs: 250 }, { kind: 'reply' }, { kind: 'drop' });
    await post(sim.url, '/v1/messages', messagesBody());
    await post(sim.url, '/v1/messages', messagesBody());
    await expect(post(sim.url, '/v1/messages', messagesBody())).rejects.toThrow(TypeError);
    expect(waits).toEqual([250, 40, 40]);
    expect(sim.requests[2]!.status).toBeUndefined();
    expect(sim.requests[2]!.step).toBe('drop');
  });

  it('logs headers, body, credential and the injected time', async () => {
    let t = 1_000;
    await using sim = await startAnthropicSimulator({ now: () => t });
    await post(sim.url, '/v1/messages', messagesBody(), { 'x-api-key': 'sk-one', 'anthropic-beta': 'b1' });
    t = 3_500;
    await post(sim.url, '/v1/messages', messagesBody(), { authorization: 'Bearer tok-two' });
    const [a, b] = sim.requests;
    expect(a).toMatchObject({ id: 1, at: 1_000, credential: { apiKey: 'sk-one', bearer: undefined, value: 'sk-one' } });
    expect(a!.headers['anthropic-beta']).toBe('b1');
    expect(a!.body?.model).toBe('claude-haiku-4-5');
    expect(b).toMatchObject({ id: 2, at: 3_500, credential: { apiKey: undefined, bearer: 'tok-two', value: 'tok-two' } });
    expect(b!.headers['x-api-key']).toBeUndefined();
    sim.reset();
    expect(sim.requests).toHaveLength(0);
  });
});

describe('auth', () => {
  it('accepts only listed keys and tokens, with 401 authentication_error otherwise', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: ['sk-good'], oauthTokens: ['oat-good'] });
    const oauthBeta = { 'anthropic-beta': 'oauth-2025-04-20' };
    const cases: Array<[Record<string, string>, number]> = [
      [{ 'x-api-key': 'sk-good' }, 200],
      [{ 'x-api-key': 'sk-bad' }, 401],
      [{}, 401],
      [{ authorization: 'Bearer oat-good', ...oauthBeta }, 200],
      [{ authorization: 'Bearer oat-good' }, 401],
      // @anthropic-ai/sdk 1.x sends the API key as a Bearer token, without the OAuth beta.
      [{ authorization: 'Bearer sk-good' }, 200],
      [{ authorization: 'Bearer oat-bad', ...oauthBeta }, 401],
    ];
    for (const [headers, status] of cases) {
      const res = await post(sim.url, '/v1/messages', messagesBody(), headers);
      expect(res.status, JSON.stringify(headers)).toBe(status);
      if (status === 401) {
        expect(((await res.json()) as { error: { type: string } }).error.type).toBe('authentication_error');
      }
    }
    // Even refused requests are logged, so a test can see which key was sent.
    expect(sim.requests.map((r) => r.credential.value)).toEqual([
      'sk-good', 'sk-bad', undefined, 'oat-good', 'oat-good', 'sk-good', 'oat-bad',
    ]);
  });
});

describe('options', () => {
  it.each([
    [{ latencyMs: -1 }, 'latencyMs'],
    [{ apiKeys: ['ok', ''] }, 'apiKeys'],
    [{ batchProcessing: { afterMs: Number.NaN } }, 'batchProcessing'],
  ])('refuses %j naming the option', async (opts, option) => {
    const err = await startAnthropicSimulator(opts as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnthropicSimulatorError);
    expect(err).toMatchObject({ code: 'ECONFIG', option });
    expect((err as Error).message).toContain(option);
  });
});
