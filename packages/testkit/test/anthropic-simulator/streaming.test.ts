// Covers SSE streaming of POST /v1/messages: the API's event order, text and tool_use deltas,
// usage in message_start/message_delta, a mid-stream error event, a stall and close().
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '../../src/anthropic-simulator/simulator.ts';
import { messagesBody, post, readEvents } from '../../src/anthropic-simulator/test-support.ts';

const streamed = (extra: Record<string, unknown> = {}) => messagesBody({ stream: true, ...extra });

describe('SSE streaming', () => {
  it('sends events in the API order and the deltas rebuild the text', async () => {
    await using sim = await startAnthropicSimulator();
    const text = 'A reply long enough to arrive in several text deltas, not one.';
    sim.enqueue({ kind: 'reply', text });
    const res = await post(sim.url, '/v1/messages', streamed());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const { events } = await readEvents(res);
    const names = events.map((e) => e.event);
    const deltas = names.filter((n) => n === 'content_block_delta').length;
    expect(deltas).toBeGreaterThan(1);
    expect(names).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      ...Array<string>(deltas).fill('content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    // Every event's data carries its own name as `type`, as the API's do.
    for (const e of events) expect(e.data.type).toBe(e.event);
    const rebuilt = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { text: string }).text)
      .join('');
    expect(rebuilt).toBe(text);
  });

  it('reports input usage in message_start and the final output usage in message_delta', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'reply', text: 'x'.repeat(40) });
    const { events } = await readEvents(await post(sim.url, '/v1/messages', streamed()));
    const start = events[0]!.data.message as { usage: Record<string, number>; content: unknown[] };
    // 'Hello there' = 11 chars -> ceil(11/4) = 3 tokens on claude-haiku-4-5.
    expect(start.usage).toMatchObject({
      input_tokens: 3,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: 1,
    });
    expect(start.content).toEqual([]);
    const delta = events.find((e) => e.event === 'message_delta')!.data;
    expect(delta.delta).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
    expect((delta.usage as { output_tokens: number }).output_tokens).toBe(10);
  });

  it('streams tool_use input as input_json_delta', async () => {
    await using sim = await startAnthropicSimulator();
    const input = { city: 'Paris', days: [1, 2, 3], note: 'a fairly long value to split' };
    sim.enqueue({
      kind: 'reply',
      content: [
        { type: 'text', text: 'Looking it up.' },
        { type: 'tool_use', id: 'toolu_1', name: 'weather', input },
      ],
    });
    const { events } = await readEvents(await post(sim.url, '/v1/messages', streamed()));
    const toolStart = events.find(
      (e) => e.event === 'content_block_start' && e.data.index === 1,
    )!.data.content_block;
    expect(toolStart).toEqual({ type: 'tool_use', id: 'toolu_1', name: 'weather', input: {} });
    const json = events
      .filter((e) => e.event === 'content_block_delta' && e.data.index === 1)
      .map((e) => {
        const d = e.data.delta as { type: string; partial_json: string };
        expect(d.type).toBe('input_json_delta');
        return d.partial_json;
      })
      .join('');
    expect(JSON.parse(json)).toEqual(input);
    const stop = events.find((e) => e.event === 'message_delta')!.data.delta as { stop_reason: string };
    expect(stop.stop_reason).toBe('tool_use');
  });

  it('sends an error event after N events inside a 200 stream', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'stream-error', afterEvents: 3, type: 'overloaded_error' });
    const res = await post(sim.url, '/v1/messages', streamed());
    expect(res.status).toBe(200);
    const { events } = await readEvents(res);
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'error',
    ]);
    expect(events[3]!.data).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(sim.requests[0]!.status).toBe(200);
  });

  it('turns a stream-error step into an HTTP error for a non-streamed request', async () => {
    await using sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'stream-error', afterEvents: 2, type: 'overloaded_error' });
    const res = await post(sim.url, '/v1/messages', messagesBody());
    expect(res.status).toBe(529);
  });

  it('stalls after N events with the socket open until close()', async () => {
    const sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'stall', afterEvents: 2 });
    const res = await post(sim.url, '/v1/messages', streamed());
    expect(res.status).toBe(200);
    const { events, reader } = await readEvents(res, 2);
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start']);
    // Nothing more arrives: the next read only settles because close() destroys the socket.
    const next = reader.read().then(
      (r) => ({ done: r.done, bytes: r.value?.length ?? 0 }),
      () => ({ done: true, bytes: 0, failed: true }),
    );
    await sim.close();
    const settled = await next;
    expect(settled.bytes).toBe(0);
    expect(settled).toMatchObject({ failed: true });
  });

  it('stalls a stream before any event (headers sent, no body)', async () => {
    const sim = await startAnthropicSimulator();
    sim.enqueue({ kind: 'stall', afterEvents: 0 });
    const res = await post(sim.url, '/v1/messages', streamed());
    expect(res.status).toBe(200);
    const reading = res.body!.getReader().read().then(
      () => 'ended',
      () => 'failed',
    );
    await sim.close();
    expect(await reading).toBe('failed');
  });
});
