/**
 * The messages between the parse pool and its workers, and the worker side of the protocol.
 *
 * A worker handles its jobs strictly one at a time, in the order received. The pool relies on
 * that: when a worker dies or stops answering, the oldest job it has not answered is the one it
 * was working on, and only that message is quarantined.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ItemOptions, ItemResult, RawMeta } from './item.ts';

/** Pool -> worker: one raw message (an exact copy, transferred; the pool keeps the original until the answer). */
export interface JobMessage {
  readonly id: number;
  readonly raw: Uint8Array;
  readonly meta: RawMeta;
}

/** Worker -> pool. */
export type WorkerMessage = { readonly type: 'ready' } | { readonly type: 'result'; readonly id: number; readonly result: ItemResult };

/** What a worker does with one message. */
export type JobHandler = (raw: Buffer, options: ItemOptions, meta: RawMeta) => Promise<ItemResult>;

/**
 * Serves jobs on this worker's parent port with `handler`, then says it is ready. The options
 * come from `workerData`. A handler that throws answers with a quarantine (EWORKER), so a bug
 * costs one message, not the worker.
 */
export function serve(handler: JobHandler): void {
  const port = parentPort;
  if (!port) throw new Error('serve() runs inside a parse worker only');
  const options = workerData as ItemOptions;
  let chain = Promise.resolve();
  port.on('message', (job: JobMessage) => {
    chain = chain.then(async () => {
      const raw = Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength);
      let result: ItemResult;
      try {
        result = await handler(raw, options, job.meta ?? {});
      } catch (err) {
        result = { ok: false, code: 'EWORKER', reason: `the parse failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300), sizeBytes: raw.length };
      }
      port.postMessage({ type: 'result', id: job.id, result } satisfies WorkerMessage);
    });
  });
  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
}
