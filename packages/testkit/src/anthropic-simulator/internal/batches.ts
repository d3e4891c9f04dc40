/**
 * The Message Batches API: create, retrieve, list, results (JSONL) and cancel.
 *
 * Each item is answered at creation time through the responder (never the direct-call queue),
 * so a test can script per-item errors; the results only become visible when the batch ends:
 * at once ('immediate'), never ('never'), or `afterMs` after creation on the injected clock.
 * A cancel before the end marks every item canceled. A batch not ended 24 h after creation
 * ends with every item expired, as the API does.
 */
import { errorBody } from './api-error.ts';
import { invalidMessagesBody, makeMessage, resolveStep, type SimState } from './state.ts';
import type { MessagesBody, SimMessagesRequest } from '../types.ts';

type ItemResult =
  | { type: 'succeeded'; message: unknown }
  | { type: 'errored'; error: ReturnType<typeof errorBody> }
  | { type: 'canceled' }
  | { type: 'expired' };

interface Batch {
  id: string;
  createdMs: number;
  endsMs: number | undefined;
  cancelMs: number | undefined;
  items: Array<{ customId: string; result: ItemResult }>;
}

const DAY_MS = 24 * 60 * 60_000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/** A 4xx to send instead of a batch. */
export interface BatchFailure {
  status: number;
  type: string;
  message: string;
}

/** Holds the batches of one simulator. */
export class BatchStore {
  readonly #batches = new Map<string, Batch>();
  readonly #state: SimState;

  constructor(state: SimState) {
    this.#state = state;
  }

  clear(): void {
    this.#batches.clear();
  }

  /** POST /v1/messages/batches. */
  create(body: MessagesBody | undefined, requestId: string): object | BatchFailure {
    const requests = body?.requests;
    if (!Array.isArray(requests) || requests.length === 0) {
      return fail('requests: must be a non-empty list');
    }
    const seen = new Set<string>();
    for (const r of requests as Array<{ custom_id?: unknown; params?: unknown }>) {
      const id = r?.custom_id;
      if (typeof id !== 'string' || !CUSTOM_ID.test(id)) {
        return fail(`custom_id: must match ${CUSTOM_ID.source}, got ${JSON.stringify(id)}`);
      }
      if (seen.has(id)) return fail(`custom_id: duplicate value ${JSON.stringify(id)}`);
      seen.add(id);
    }
    const state = this.#state;
    const now = state.now();
    const id = state.ids.next('msgbatch');
    const mode = state.batchProcessing;
    const endsMs = mode === 'immediate' ? now : mode === 'never' ? undefined : now + mode.afterMs;
    const items = (requests as Array<{ custom_id: string; params?: unknown }>).map((r) => ({
      customId: r.custom_id,
      result: this.#answer(id, r.custom_id, r.params, requestId),
    }));
    const batch: Batch = { id, createdMs: now, endsMs, cancelMs: undefined, items };
    this.#batches.set(id, batch);
    return this.#view(batch);
  }

  #answer(batchId: string, customId: string, params: unknown, requestId: string): ItemResult {
    const state = this.#state;
    const body = (typeof params === 'object' && params !== null ? params : undefined) as
      | MessagesBody
      | undefined;
    const invalid = invalidMessagesBody(body, true);
    if (invalid !== undefined || body === undefined) {
      return { type: 'errored', error: errorBody('invalid_request_error', invalid, requestId) };
    }
    const req: SimMessagesRequest = {
      id: 0,
      method: 'POST',
      path: '/v1/messages',
      query: {},
      headers: {},
      body,
      at: state.now(),
      credential: { apiKey: undefined, bearer: undefined, value: undefined },
      batch: { id: batchId, customId },
    };
    const step = resolveStep(state, req, false);
    if (step.kind === 'reply') {
      return { type: 'succeeded', message: makeMessage(state, req, step, 'batch') };
    }
    if (step.kind === 'error') {
      return { type: 'errored', error: errorBody(step.type, step.message, requestId) };
    }
    // Stream faults and drops have no batch equivalent: the item fails with api_error.
    return { type: 'errored', error: errorBody('api_error', undefined, requestId) };
  }

  #status(batch: Batch): 'in_progress' | 'canceling' | 'ended' {
    const now = this.#state.now();
    // The cancel call itself answers 'canceling'; every later look sees the batch ended.
    if (batch.cancelMs !== undefined) return 'ended';
    if (batch.endsMs !== undefined && now >= batch.endsMs) return 'ended';
    if (now >= batch.createdMs + DAY_MS) return 'ended';
    return 'in_progress';
  }

  /** Results as the client sees them now (canceled or expired items replace the answers). */
  #results(batch: Batch): Array<{ customId: string; result: ItemResult }> {
    const answered = batch.endsMs !== undefined && batch.endsMs <= batch.createdMs + DAY_MS;
    if (batch.cancelMs !== undefined && (batch.endsMs === undefined || batch.cancelMs < batch.endsMs)) {
      return batch.items.map((i) => ({ customId: i.customId, result: { type: 'canceled' } }));
    }
    if (!answered) return batch.items.map((i) => ({ customId: i.customId, result: { type: 'expired' } }));
    return batch.items;
  }

  #view(batch: Batch, canceling = false): object {
    const status = canceling ? 'canceling' : this.#status(batch);
    const iso = (ms: number | undefined): string | null =>
      ms === undefined ? null : new Date(ms).toISOString();
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    let endedMs: number | undefined;
    if (status === 'ended') {
      for (const item of this.#results(batch)) counts[item.result.type] += 1;
      endedMs = batch.cancelMs ?? Math.min(batch.endsMs ?? Number.POSITIVE_INFINITY, batch.createdMs + DAY_MS);
    } else {
      counts.processing = batch.items.length;
    }
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: status,
      request_counts: counts,
      ended_at: iso(endedMs),
      created_at: iso(batch.createdMs),
      expires_at: iso(batch.createdMs + DAY_MS),
      archived_at: null,
      cancel_initiated_at: iso(batch.cancelMs),
      results_url:
        status === 'ended' ? `${this.#state.url}/v1/messages/batches/${batch.id}/results` : null,
    };
  }

  /** GET /v1/messages/batches/:id; undefined when unknown. */
  get(id: string): object | undefined {
    const batch = this.#batches.get(id);
    return batch === undefined ? undefined : this.#view(batch);
  }

  /** GET /v1/messages/batches (newest first, one page). */
  list(): object {
    const data = [...this.#batches.values()].reverse().map((b) => this.#view(b)) as Array<{ id: string }>;
    return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  }

  /** POST /v1/messages/batches/:id/cancel; undefined when unknown. */
  cancel(id: string): object | undefined {
    const batch = this.#batches.get(id);
    if (batch === undefined) return undefined;
    if (this.#status(batch) !== 'in_progress') return this.#view(batch);
    batch.cancelMs = this.#state.now();
    return this.#view(batch, true);
  }

  /** GET .../results as JSONL; a BatchFailure when unknown or not ended yet. */
  results(id: string): string | BatchFailure {
    const batch = this.#batches.get(id);
    if (batch === undefined) return { status: 404, type: 'not_found_error', message: `No batch ${id}.` };
    if (this.#status(batch) !== 'ended') {
      return {
        status: 400,
        type: 'invalid_request_error',
        message: `Batch ${id} is still processing; results are available once processing_status is 'ended'.`,
      };
    }
    return this.#results(batch)
      .map((i) => `${JSON.stringify({ custom_id: i.customId, result: i.result })}\n`)
      .join('');
  }
}

function fail(message: string): BatchFailure {
  return { status: 400, type: 'invalid_request_error', message };
}

/** True when a create/results call failed. */
export function isBatchFailure(value: unknown): value is BatchFailure {
  return typeof value === 'object' && value !== null && 'status' in value && 'type' in value && 'message' in value;
}
