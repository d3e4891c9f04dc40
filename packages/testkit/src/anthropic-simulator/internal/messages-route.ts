/**
 * POST /v1/messages: resolves the step, waits its latency, then answers with JSON, an SSE
 * stream, an API error, a mid-stream error, a stall or a dropped socket.
 */
import type { ServerResponse } from 'node:http';
import { errorBody, statusForErrorType } from './api-error.ts';
import { sendError, sendJson } from './http-io.ts';
import { messageEvents, type SseEvent, writeEvent } from './sse.ts';
import { makeMessage, resolveStep, type SimState } from './state.ts';
import type { SimMessagesRequest } from '../types.ts';

/** Rate-limit headers like the API's (static, generous values). */
function rateLimitHeaders(now: number): Record<string, string> {
  const reset = new Date(now + 60_000).toISOString();
  return {
    'anthropic-ratelimit-requests-limit': '4000',
    'anthropic-ratelimit-requests-remaining': '3999',
    'anthropic-ratelimit-requests-reset': reset,
    'anthropic-ratelimit-tokens-limit': '400000',
    'anthropic-ratelimit-tokens-remaining': '399000',
    'anthropic-ratelimit-tokens-reset': reset,
  };
}

function startStream(res: ServerResponse, requestId: string, extra: Record<string, string>): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': requestId,
    ...extra,
  });
  // Send the headers now: a stall after 0 events must still look like an open 200 stream.
  res.flushHeaders();
}

function writeEvents(res: ServerResponse, events: readonly SseEvent[]): void {
  for (const ev of events) {
    if (res.destroyed) return;
    writeEvent(res, ev);
  }
}

/** Handles one validated Messages request; `req` is its request-log entry (status and step are set in place). */
export async function handleMessages(
  state: SimState,
  req: SimMessagesRequest,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const step = resolveStep(state, req, true);
  req.step = step.kind;
  const latency = step.latencyMs ?? state.latencyMs;
  if (latency > 0) await state.sleep(latency);
  if (res.destroyed) return;
  const stream = req.body.stream === true;
  const headers = { ...rateLimitHeaders(state.now()) };

  switch (step.kind) {
    case 'drop':
      // No status line, no body: the client sees a connection reset.
      res.socket?.destroy();
      return;
    case 'error':
      req.status = step.status;
      sendError(res, step.status, step.type, step.message, requestId, step.headers ?? {});
      return;
    case 'reply': {
      const message = makeMessage(state, req, step, 'standard');
      req.status = 200;
      const extra = { ...headers, ...step.headers };
      if (!stream) {
        sendJson(res, 200, message, { 'request-id': requestId, ...extra });
        return;
      }
      startStream(res, requestId, extra);
      writeEvents(res, messageEvents(message));
      res.end();
      return;
    }
    case 'stream-error': {
      if (!stream) {
        // A non-streamed request cannot fail after its 200: the error becomes the status.
        const status = statusForErrorType(step.type);
        req.status = status;
        sendError(res, status, step.type, step.message, requestId);
        return;
      }
      const events = messageEvents(makeMessage(state, req, step, 'standard'));
      req.status = 200;
      startStream(res, requestId, headers);
      writeEvents(res, events.slice(0, Math.max(0, step.afterEvents)));
      writeEvent(res, { event: 'error', data: errorBody(step.type, step.message, requestId) });
      res.end();
      return;
    }
    case 'stall': {
      if (!stream) return; // no headers, no body, socket left open until the client or close()
      const events = messageEvents(makeMessage(state, req, step, 'standard'));
      req.status = 200;
      startStream(res, requestId, headers);
      writeEvents(res, events.slice(0, Math.max(0, step.afterEvents)));
      // Deliberately never ended: the socket stays open and silent until someone closes it.
      return;
    }
  }
}
