/**
 * Small node:http helpers: read a request, send JSON, send an API-shaped error.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorBody } from './api-error.ts';
import type { MessagesBody } from '../types.ts';

/** A request as read off the wire. */
export interface RawRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: MessagesBody | undefined;
  /** True when a body was sent but did not parse as a JSON object. */
  badJson: boolean;
}

/** Reads the whole request; header names lowercased, repeated headers joined with `, `. */
export async function readRequest(req: IncomingMessage): Promise<RawRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  const url = new URL(req.url ?? '/', 'http://simulator.invalid');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  let body: MessagesBody | undefined;
  let badJson = false;
  if (raw.length > 0) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        body = parsed as MessagesBody;
      } else {
        badJson = true;
      }
    } catch {
      // Not JSON: the route answers 400 invalid_request_error, like the API.
      badJson = true;
    }
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    body,
    badJson,
  };
}

/** Sends a JSON response (no body for HEAD). */
export function sendJson(
  res: ServerResponse,
  status: number,
  payload: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.destroyed) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Sends an error in the API's shape with the `request-id` header. */
export function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string | undefined,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, errorBody(type, message, requestId), {
    'request-id': requestId,
    ...headers,
  });
}
