/**
 * Request dispatch: logs every request, checks credentials on known routes, and answers
 * unknown paths with a 404 in the API's shape (so a client's extra calls show up in the log).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { checkAuth, readCredential } from './auth.ts';
import { type BatchStore, isBatchFailure } from './batches.ts';
import { readRequest, sendError, sendJson } from './http-io.ts';
import { handleMessages } from './messages-route.ts';
import { invalidMessagesBody, type SimState } from './state.ts';
import { countInputTokens } from './tokens.ts';
import type { SimMessagesRequest, SimRequest } from '../types.ts';

const BATCH_PATH = /^\/v1\/messages\/batches\/([^/]+)(\/results|\/cancel)?$/;

/** Answers one HTTP request. */
export async function route(
  state: SimState,
  batches: BatchStore,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const raw = await readRequest(req);
  const requestId = state.ids.next('req');
  const entry: SimRequest = {
    id: state.requests.length + 1,
    method: raw.method,
    path: raw.path,
    query: raw.query,
    headers: raw.headers,
    body: raw.body,
    at: state.now(),
    credential: readCredential(raw.headers),
    requestId,
  };
  state.requests.push(entry);
  state.logger.debug({ method: entry.method, path: entry.path, id: entry.id }, 'simulator request');
  // Status is recorded as the response goes out; drops and stalls leave it undefined.
  res.on('finish', () => {
    if (entry.status === undefined && res.headersSent) entry.status = res.statusCode;
  });

  const { method, path } = raw;
  const batchMatch = BATCH_PATH.exec(path);
  const known =
    (method === 'POST' && path === '/v1/messages') ||
    (method === 'POST' && path === '/v1/messages/count_tokens') ||
    (path === '/v1/messages/batches' && (method === 'POST' || method === 'GET')) ||
    (batchMatch !== null && (batchMatch[2] === '/cancel' ? method === 'POST' : method === 'GET'));
  if (!known) {
    sendError(res, 404, 'not_found_error', `Not found: ${method} ${path}`, requestId);
    return;
  }
  const denied = checkAuth(state.auth, entry.credential, raw.headers);
  if (denied !== undefined) {
    sendError(res, 401, 'authentication_error', denied, requestId);
    return;
  }
  if (raw.badJson) {
    sendError(res, 400, 'invalid_request_error', 'Request body is not valid JSON.', requestId);
    return;
  }
  const ok = (payload: unknown): void => sendJson(res, 200, payload, { 'request-id': requestId });

  if (path === '/v1/messages' || path === '/v1/messages/count_tokens') {
    const counting = path.endsWith('/count_tokens');
    const invalid = invalidMessagesBody(raw.body, !counting);
    if (invalid !== undefined || raw.body === undefined) {
      sendError(res, 400, 'invalid_request_error', invalid, requestId);
      return;
    }
    if (counting) {
      ok({ input_tokens: countInputTokens(raw.body, String(raw.body.model)) });
      return;
    }
    await handleMessages(state, entry as SimMessagesRequest, res, requestId);
    return;
  }

  if (path === '/v1/messages/batches') {
    if (method === 'GET') {
      ok(batches.list());
      return;
    }
    const created = batches.create(raw.body, requestId);
    if (isBatchFailure(created)) {
      sendError(res, created.status, created.type, created.message, requestId);
    } else {
      ok(created);
    }
    return;
  }

  const id = batchMatch?.[1] ?? '';
  const notFound = (): void =>
    sendError(res, 404, 'not_found_error', `No message batch with id ${id}.`, requestId);
  if (batchMatch?.[2] === '/results') {
    const jsonl = batches.results(id);
    if (isBatchFailure(jsonl)) {
      sendError(res, jsonl.status, jsonl.type, jsonl.message, requestId);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/x-jsonl', 'request-id': requestId });
    res.end(jsonl);
    return;
  }
  const view = batchMatch?.[2] === '/cancel' ? batches.cancel(id) : batches.get(id);
  if (view === undefined) notFound();
  else ok(view);
}
