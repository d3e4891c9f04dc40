/**
 * A pool of parse worker threads: raw messages in, compact ItemResults back, so parsing runs on
 * other cores while the main thread keeps fetching.
 *
 * Failure model: a message that crashes its worker (uncaught error, out of memory) or hangs it
 * (no answer within `timeoutMs`) is quarantined (EWORKER, ETIMEOUT) and the worker replaced;
 * the other messages that worker had queued are sent again. A worker answers in order, one
 * message at a time, so the oldest unanswered job is always the one that was running. If
 * workers cannot start, or keep crashing past `maxRestarts`, the pool parses in-process: a run
 * never stops for the pool's sake.
 *
 * A worker runs in the pool's own form (@jobs/core/runtime-form): from the sources it loads
 * src/parse/worker.ts with Node's own type stripping (no loader, no tsx); from the build it
 * loads dist/parse-worker.js, which sits beside the pool's chunk. It starts with an empty
 * execArgv and small heap limits, so each costs a few MB once started.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DigestError } from '../errors.ts';
import { type Logger, noopLogger } from '@jobs/core/logger';
import { runtimeFormOf } from '@jobs/core/runtime-form';
import { type ItemOptions, type ItemResult, parseForDigest, type RawMeta } from './item.ts';
import type { JobMessage, WorkerMessage } from './protocol.ts';

/** Options of createParsePool. */
export interface ParsePoolOptions extends ItemOptions {
  /** Worker threads; 0 parses in-process. Default `autoParseWorkers()`. */
  readonly size?: number;
  /** Jobs sent ahead to each worker, so it never waits on the main thread. Default 4. */
  readonly depth?: number;
  /** A worker that answers nothing for this long is stopped and its message quarantined. Default parse timeout + 5 000. */
  readonly timeoutMs?: number;
  /** How long a worker may take to start. Default 60 000. */
  readonly startTimeoutMs?: number;
  /** Worker replacements after crashes before the pool parses in-process. Default 8. */
  readonly maxRestarts?: number;
  /** Old-generation heap cap of each worker, in MB (a message past it is quarantined). Default 192. */
  readonly maxOldGenerationMb?: number;
  /** Young-generation cap of each worker, in MB (small keeps RSS low). Default 8. */
  readonly maxYoungGenerationMb?: number;
  readonly logger?: Logger;
  /** The module a worker runs (it must call `serve()` from protocol.ts). Default: the parse worker of this form; tests pass fixtures. */
  readonly workerModule?: URL;
}

/** A running pool. */
export interface ParsePool {
  /** Parses and reduces one message. Resolves with a quarantine on any failure; never rejects. */
  parse(raw: Buffer, meta?: RawMeta): Promise<ItemResult>;
  /** Workers currently alive (for tests and logs). */
  readonly workers: number;
  /** Stops every worker; jobs still pending resolve as quarantined. Safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The worker entry of this module's form (the build names it in scripts/build-apps.ts). */
const WORKER_MODULE = runtimeFormOf(import.meta.url) === 'src' ? new URL('./worker.ts', import.meta.url) : new URL('./parse-worker.js', import.meta.url);

interface Job {
  readonly id: number;
  readonly raw: Buffer;
  readonly meta: RawMeta;
  readonly resolve: (result: ItemResult) => void;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  dead: boolean;
  timedOut: boolean;
  error: unknown;
  readonly inflight: Job[];
  timer: NodeJS.Timeout | undefined;
}


/**
 * The default number of parse workers for a machine with `cores` cores: 2 with 4 or more, else
 * 0 (in-process). On 2 cores, with the main thread and the IMAP server busy, two workers
 * measured slower than in-process: each isolate warms its own JIT, and start-up costs ~0.4 s of
 * CPU each (the README has the figures). `DIGEST_PARSE_WORKERS` overrides it.
 */
export function autoParseWorkers(cores: number = availableParallelism()): number {
  return cores >= 4 ? 2 : 0;
}

function positiveInt(name: string, value: number | undefined, fallback: number, min = 1): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min) throw new DigestError('ECONFIG', `parse pool option ${name} must be an integer >= ${min}, got ${String(value)}`, { option: name });
  return v;
}

function describe(err: unknown): string {
  if (err instanceof Error) return `${(err as { code?: string }).code ?? err.name}: ${err.message}`.slice(0, 200);
  return String(err).slice(0, 200);
}

/** Starts a pool (see the module comment). Throws DigestError ECONFIG on a bad option. */
export function createParsePool(options: ParsePoolOptions): ParsePool {
  const size = positiveInt('size', options.size, autoParseWorkers(), 0);
  const depth = positiveInt('depth', options.depth, 4);
  const timeoutMs = positiveInt('timeoutMs', options.timeoutMs, (options.parse?.timeoutMs ?? 30_000) + 5_000);
  const startTimeoutMs = positiveInt('startTimeoutMs', options.startTimeoutMs, 60_000);
  const maxRestarts = positiveInt('maxRestarts', options.maxRestarts, 8, 0);
  const resourceLimits = {
    maxOldGenerationSizeMb: positiveInt('maxOldGenerationMb', options.maxOldGenerationMb, 192, 16),
    maxYoungGenerationSizeMb: positiveInt('maxYoungGenerationMb', options.maxYoungGenerationMb, 8),
  };
  const log = options.logger ?? noopLogger;
  const item: ItemOptions = { classify: options.classify, ...(options.parse ? { parse: options.parse } : {}) };
  const entry = options.workerModule ?? WORKER_MODULE;

  const queue: Job[] = [];
  const slots: Slot[] = [];
  let nextId = 0;
  let restarts = 0;
  let startFailures = 0;
  let inProcess = size === 0;
  let closed = false;
  let closing: Promise<void> | undefined;

  const quarantine = (job: Job, code: string, reason: string): void => job.resolve({ ok: false, code, reason, sizeBytes: job.raw.length });

  function arm(slot: Slot): void {
    clearTimeout(slot.timer);
    slot.timer = undefined;
    if (slot.inflight.length === 0) return;
    // The head job started when the previous answer came: it alone is timed.
    slot.timer = setTimeout(() => {
      slot.timedOut = true;
      void slot.worker.terminate();
    }, timeoutMs);
    slot.timer.unref();
  }

  function spawn(): void {
    const worker = new Worker(entry, { workerData: item, execArgv: [], resourceLimits, stdout: true });
    // A worker has nothing to say on stdout, which is data only (--json): whatever comes is dropped.
    worker.stdout.resume();
    const slot: Slot = { worker, ready: false, dead: false, timedOut: false, error: undefined, inflight: [], timer: undefined };
    slots.push(slot);
    slot.timer = setTimeout(() => {
      slot.error = new Error(`did not start within ${startTimeoutMs} ms`);
      void worker.terminate();
    }, startTimeoutMs);
    slot.timer.unref();
    worker.on('message', (m: WorkerMessage) => {
      if (slot.dead) return;
      if (m.type === 'ready') {
        slot.ready = true;
        clearTimeout(slot.timer);
        slot.timer = undefined;
      } else {
        const job = slot.inflight.shift();
        if (!job || job.id !== m.id) {
          slot.error = new Error('answered out of order');
          void worker.terminate();
          return;
        }
        job.resolve(m.result);
        arm(slot);
      }
      pump();
    });
    worker.on('error', (err) => {
      slot.error = err;
    });
    worker.on('exit', (code) => onExit(slot, code));
  }

  function onExit(slot: Slot, code: number): void {
    if (slot.dead) return;
    slot.dead = true;
    clearTimeout(slot.timer);
    const at = slots.indexOf(slot);
    if (at >= 0) slots.splice(at, 1);
    if (closed) return;
    const why = slot.timedOut ? `no answer within ${timeoutMs} ms` : slot.error ? describe(slot.error) : `exit code ${code}`;
    if (!slot.ready) {
      startFailures++;
      log.warn({ err: slot.error, startFailures }, `a parse worker did not start (${why})`);
      if (startFailures >= Math.max(2, size)) fallBack('parse workers could not start');
      else spawn();
      pump();
      return;
    }
    const [culprit, ...rest] = slot.inflight;
    if (culprit) {
      log.warn({ code: slot.timedOut ? 'ETIMEOUT' : 'EWORKER', sizeBytes: culprit.raw.length }, `a message stopped its parse worker (${why}): quarantined`);
      quarantine(culprit, slot.timedOut ? 'ETIMEOUT' : 'EWORKER', `the parse ${slot.timedOut ? 'hung' : 'crashed its worker'} (${why})`);
    }
    queue.unshift(...rest);
    restarts++;
    if (restarts > maxRestarts) fallBack(`parse workers crashed ${restarts} times`);
    else spawn();
    pump();
  }

  function fallBack(reason: string): void {
    if (inProcess) return;
    inProcess = true;
    log.warn({ reason }, `${reason}: parsing in-process from now on`);
    for (const slot of [...slots]) {
      queue.unshift(...slot.inflight.splice(0));
      slot.dead = true;
      clearTimeout(slot.timer);
      void slot.worker.terminate();
    }
    slots.length = 0;
  }

  function pump(): void {
    if (inProcess) {
      for (const job of queue.splice(0)) {
        parseForDigest(job.raw, item, job.meta).then(job.resolve, (err: unknown) => quarantine(job, 'EWORKER', `the parse failed: ${describe(err)}`));
      }
      return;
    }
    for (const slot of slots) {
      while (slot.ready && slot.inflight.length < depth && queue.length > 0) {
        const job = queue.shift()!;
        slot.inflight.push(job);
        // An exact copy is transferred: a Buffer is often a view into a larger slab (a FETCH
        // response, Node's pool), which a plain postMessage would clone whole. The original
        // stays here so the job can be sent again if its worker dies on another message; it is
        // released as soon as the answer comes.
        const bytes = new Uint8Array(job.raw);
        slot.worker.postMessage({ id: job.id, raw: bytes, meta: job.meta } satisfies JobMessage, [bytes.buffer]);
        if (slot.inflight.length === 1) arm(slot);
      }
    }
    // Idle workers never keep the process alive; busy ones must (a pending answer is awaited).
    const busy = queue.length > 0 || slots.some((s) => s.inflight.length > 0);
    for (const slot of slots) {
      if (busy) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  for (let i = 0; i < size; i++) spawn();
  pump();

  const close = (): Promise<void> => {
    closing ??= (async () => {
      closed = true;
      const pending = [...queue.splice(0), ...slots.flatMap((s) => s.inflight.splice(0))];
      for (const job of pending) quarantine(job, 'EWORKER', 'the parse pool was closed before this message was parsed');
      await Promise.all(
        slots.splice(0).map((s) => {
          clearTimeout(s.timer);
          return s.worker.terminate();
        }),
      );
    })();
    return closing;
  };

  return {
    parse(raw, meta = {}) {
      if (closed) return Promise.resolve({ ok: false, code: 'EWORKER', reason: 'the parse pool is closed', sizeBytes: raw.length });
      return new Promise<ItemResult>((resolve) => {
        queue.push({ id: nextId++, raw, meta, resolve });
        pump();
      });
    },
    get workers() {
      return slots.length;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
