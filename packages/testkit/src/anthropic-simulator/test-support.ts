/**
 * Helpers for the simulator's own tests: a plain fetch client and an SSE reader.
 */

/** One parsed SSE event. */
export interface ParsedEvent {
  event: string;
  data: Record<string, unknown>;
}

/** POSTs JSON to the simulator with an API key by default. */
export function post(
  url: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'x-api-key': 'sk-test' },
): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...headers },
    body: JSON.stringify(body),
  });
}

/** A minimal valid Messages body. */
export function messagesBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model: 'claude-haiku-4-5',
    max_tokens: 256,
    messages: [{ role: 'user', content: 'Hello there' }],
    ...extra,
  };
}

/** Parses SSE frames from a text buffer; returns the events and the unparsed rest. */
export function parseSse(buffer: string): { events: ParsedEvent[]; rest: string } {
  const events: ParsedEvent[] = [];
  let rest = buffer;
  for (let end = rest.indexOf('\n\n'); end >= 0; end = rest.indexOf('\n\n')) {
    const frame = rest.slice(0, end);
    rest = rest.slice(end + 2);
    let event = 'message';
    let data = '';
    for (const line of frame.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data += line.slice(6);
    }
    events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
  }
  return { events, rest };
}

/**
 * Reads SSE events from a response until it ends, or until `stopAfter` events were read
 * (then returns with the reader still open, for stall tests).
 */
export async function readEvents(
  res: Response,
  stopAfter = Number.POSITIVE_INFINITY,
): Promise<{ events: ParsedEvent[]; reader: ReadableStreamDefaultReader<Uint8Array> }> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: ParsedEvent[] = [];
  let buffer = '';
  while (events.length < stopAfter) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const parsed = parseSse(buffer);
    events.push(...parsed.events);
    buffer = parsed.rest;
  }
  return { events, reader };
}

/** A clock tests move by hand. */
export function fakeClock(start = Date.UTC(2026, 10, 1, 12, 0, 0)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}
