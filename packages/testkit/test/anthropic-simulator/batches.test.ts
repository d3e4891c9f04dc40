// Covers the Message Batches endpoints: create, retrieve, list, results JSONL, cancel, the
// batchProcessing modes on an injected clock, per-item errors through respond(), and logging.
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '../../src/anthropic-simulator/simulator.ts';
import { fakeClock, post } from '../../src/anthropic-simulator/test-support.ts';

type BatchView = {
  id: string;
  type: string;
  processing_status: string;
  request_counts: Record<string, number>;
  results_url: string | null;
  created_at: string;
  expires_at: string;
  ended_at: string | null;
  cancel_initiated_at: string | null;
};

const headers = { 'x-api-key': 'sk-test' };
const item = (customId: string, model = 'claude-haiku-4-5') => ({
  custom_id: customId,
  params: { model, max_tokens: 50, messages: [{ role: 'user', content: `question ${customId}` }] },
});

async function create(url: string, requests: unknown[]): Promise<BatchView> {
  const res = await post(url, '/v1/messages/batches', { requests });
  expect(res.status).toBe(200);
  return (await res.json()) as BatchView;
}

async function get(url: string, path: string): Promise<Response> {
  return fetch(`${url}${path}`, { headers });
}

async function results(url: string, batch: BatchView): Promise<Array<{ custom_id: string; result: { type: string; message?: { content: Array<{ text: string }> }; error?: unknown } }>> {
  const res = await get(url, new URL(batch.results_url!).pathname);
  expect(res.status).toBe(200);
  const text = await res.text();
  return text.trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('message batches', () => {
  it('ends at once by default and serves JSONL results through results_url', async () => {
    await using sim = await startAnthropicSimulator();
    sim.respond((req) =>
      req.batch?.customId === 'b' ? { kind: 'error', status: 529, type: 'overloaded_error' } : { kind: 'reply', text: `answer ${req.batch?.customId}` },
    );
    const batch = await create(sim.url, [item('a'), item('b'), item('c')]);
    expect(batch).toMatchObject({
      type: 'message_batch',
      processing_status: 'ended',
      request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 },
    });
    expect(batch.id).toMatch(/^msgbatch_/);
    expect(batch.results_url).toBe(`${sim.url}/v1/messages/batches/${batch.id}/results`);
    const rows = await results(sim.url, batch);
    expect(rows.map((r) => [r.custom_id, r.result.type])).toEqual([
      ['a', 'succeeded'],
      ['b', 'errored'],
      ['c', 'succeeded'],
    ]);
    expect(rows[0]!.result.message!.content[0]!.text).toBe('answer a');
    expect(rows[1]!.result.error).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
    // The HTTP calls are logged; batch items are not counted as direct message requests.
    expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /v1/messages/batches',
      `GET /v1/messages/batches/${batch.id}/results`,
    ]);
    expect(sim.messageRequests()).toHaveLength(0);
  });

  it('stays in progress until afterMs has passed on the injected clock', async () => {
    const clock = fakeClock();
    await using sim = await startAnthropicSimulator({ now: clock.now, batchProcessing: { afterMs: 30_000 } });
    const batch = await create(sim.url, Array.from({ length: 50 }, (_, i) => item(`r${i}`)));
    expect(batch.processing_status).toBe('in_progress');
    expect(batch.request_counts.processing).toBe(50);
    expect(batch.results_url).toBeNull();
    expect(Date.parse(batch.expires_at) - Date.parse(batch.created_at)).toBe(24 * 3600_000);
    const early = await get(sim.url, `/v1/messages/batches/${batch.id}/results`);
    expect(early.status).toBe(400);
    clock.advance(29_999);
    expect(((await (await get(sim.url, `/v1/messages/batches/${batch.id}`)).json()) as BatchView).processing_status).toBe('in_progress');
    clock.advance(1);
    const done = (await (await get(sim.url, `/v1/messages/batches/${batch.id}`)).json()) as BatchView;
    expect(done).toMatchObject({ processing_status: 'ended', request_counts: { succeeded: 50 } });
    expect(done.ended_at).toBe(new Date(clock.now()).toISOString());
    expect(await results(sim.url, done)).toHaveLength(50);
  });

  it("cancels a batch that would never end ('never'): canceling, then ended with canceled items", async () => {
    const clock = fakeClock();
    await using sim = await startAnthropicSimulator({ now: clock.now, batchProcessing: 'never' });
    const batch = await create(sim.url, [item('a'), item('b')]);
    clock.advance(3 * 3600_000);
    expect(((await (await get(sim.url, `/v1/messages/batches/${batch.id}`)).json()) as BatchView).processing_status).toBe('in_progress');
    const canceling = (await (await post(sim.url, `/v1/messages/batches/${batch.id}/cancel`, {})).json()) as BatchView;
    expect(canceling.processing_status).toBe('canceling');
    expect(canceling.cancel_initiated_at).toBe(new Date(clock.now()).toISOString());
    const ended = (await (await get(sim.url, `/v1/messages/batches/${batch.id}`)).json()) as BatchView;
    expect(ended).toMatchObject({ processing_status: 'ended', request_counts: { canceled: 2, succeeded: 0 } });
    expect((await results(sim.url, ended)).map((r) => r.result.type)).toEqual(['canceled', 'canceled']);
  });

  it("expires a 'never' batch after 24 hours", async () => {
    const clock = fakeClock();
    await using sim = await startAnthropicSimulator({ now: clock.now, batchProcessing: 'never' });
    const batch = await create(sim.url, [item('a')]);
    clock.advance(24 * 3600_000);
    const view = (await (await get(sim.url, `/v1/messages/batches/${batch.id}`)).json()) as BatchView;
    expect(view).toMatchObject({ processing_status: 'ended', request_counts: { expired: 1 } });
  });

  it('lists batches, 404s unknown ids and refuses malformed requests', async () => {
    await using sim = await startAnthropicSimulator();
    const a = await create(sim.url, [item('x')]);
    const b = await create(sim.url, [item('y')]);
    const list = (await (await get(sim.url, '/v1/messages/batches')).json()) as { data: BatchView[] };
    expect(list.data.map((d) => d.id)).toEqual([b.id, a.id]);
    expect((await get(sim.url, '/v1/messages/batches/msgbatch_nope')).status).toBe(404);
    for (const bad of [[], [item('same'), item('same')], [{ custom_id: 'has space', params: {} }]]) {
      const res = await post(sim.url, '/v1/messages/batches', { requests: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    }
  });

  it('reports an item with invalid params as errored, not the whole batch', async () => {
    await using sim = await startAnthropicSimulator();
    const batch = await create(sim.url, [item('ok'), { custom_id: 'bad', params: { model: 'claude-haiku-4-5', messages: [] } }]);
    expect(batch.request_counts).toMatchObject({ succeeded: 1, errored: 1 });
    const rows = await results(sim.url, batch);
    expect(rows[1]!.result.error).toMatchObject({ error: { type: 'invalid_request_error' } });
  });

  it('prices batch results as batch usage (service_tier batch)', async () => {
    await using sim = await startAnthropicSimulator();
    const batch = await create(sim.url, [item('a')]);
    const [row] = await results(sim.url, batch);
    expect((row!.result.message as unknown as { usage: { service_tier: string } }).usage.service_tier).toBe('batch');
  });
});
