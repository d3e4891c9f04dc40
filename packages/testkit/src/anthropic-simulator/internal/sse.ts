/**
 * Server-sent events for a streamed Message, in the API's order:
 * message_start (usage with input and cache fields, output_tokens 1), then per content block
 * content_block_start, content_block_delta... (text_delta, input_json_delta, thinking_delta +
 * signature_delta), content_block_stop, with one `ping` after the first block starts (where the
 * API sends it), then message_delta (stop_reason and final usage), then message_stop.
 */
import type { ServerResponse } from 'node:http';
import type { SimMessage } from './message.ts';

/** One SSE event: the `event:` name and the `data:` JSON. */
export interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Splits a string into pieces of at most `size` chars so a reply arrives in several deltas. */
export function chunks(text: string, size = 24): string[] {
  if (text.length === 0) return [];
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

function blockEvents(index: number, block: unknown): SseEvent[] {
  const b = (typeof block === 'object' && block !== null ? block : {}) as Record<string, unknown>;
  const start = (content_block: unknown): SseEvent => ({
    event: 'content_block_start',
    data: { type: 'content_block_start', index, content_block },
  });
  const delta = (d: Record<string, unknown>): SseEvent => ({
    event: 'content_block_delta',
    data: { type: 'content_block_delta', index, delta: d },
  });
  const events: SseEvent[] = [];
  if (b.type === 'text') {
    events.push(start({ type: 'text', text: '' }));
    for (const text of chunks(String(b.text ?? ''))) events.push(delta({ type: 'text_delta', text }));
  } else if (b.type === 'tool_use') {
    events.push(start({ type: 'tool_use', id: b.id, name: b.name, input: {} }));
    // The API opens a tool_use block with an empty partial_json, then streams the input JSON.
    events.push(delta({ type: 'input_json_delta', partial_json: '' }));
    for (const part of chunks(JSON.stringify(b.input ?? {}))) {
      events.push(delta({ type: 'input_json_delta', partial_json: part }));
    }
  } else if (b.type === 'thinking') {
    events.push(start({ type: 'thinking', thinking: '', signature: '' }));
    for (const thinking of chunks(String(b.thinking ?? ''))) {
      events.push(delta({ type: 'thinking_delta', thinking }));
    }
    events.push(delta({ type: 'signature_delta', signature: String(b.signature ?? 'sim-signature') }));
  } else {
    // Other block types (redacted_thinking, server tool results) arrive whole in the start event.
    events.push(start(b));
  }
  events.push({ event: 'content_block_stop', data: { type: 'content_block_stop', index } });
  return events;
}

/** The full event sequence of a streamed message. */
export function messageEvents(message: SimMessage): SseEvent[] {
  const { usage } = message;
  const events: SseEvent[] = [
    {
      event: 'message_start',
      data: {
        type: 'message_start',
        message: {
          ...message,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: Math.min(1, usage.output_tokens) },
        },
      },
    },
  ];
  const ping: SseEvent = { event: 'ping', data: { type: 'ping' } };
  message.content.forEach((block, index) => {
    const evs = blockEvents(index, block);
    if (index === 0) evs.splice(1, 0, ping);
    events.push(...evs);
  });
  if (message.content.length === 0) events.push(ping);
  events.push({
    event: 'message_delta',
    data: {
      type: 'message_delta',
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      // The API repeats the input-side counts here; output_tokens is the final total.
      usage: {
        input_tokens: usage.input_tokens,
        cache_creation_input_tokens: usage.cache_creation_input_tokens,
        cache_read_input_tokens: usage.cache_read_input_tokens,
        output_tokens: usage.output_tokens,
      },
    },
  });
  events.push({ event: 'message_stop', data: { type: 'message_stop' } });
  return events;
}

/** Writes one event in SSE framing. */
export function writeEvent(res: ServerResponse, ev: SseEvent): void {
  res.write(`event: ${ev.event}\ndata: ${JSON.stringify(ev.data)}\n\n`);
}
