/**
 * An Anthropic Messages API simulator on node:http for tests: messages (JSON and SSE),
 * count_tokens, message batches, usage with prompt caching, scripted replies and faults, and a
 * request log. Listens on loopback port 0.
 *
 * @example
 * await using sim = await startAnthropicSimulator({ apiKeys: ['sk-test'] });
 * sim.enqueue({ kind: 'error', status: 529, type: 'overloaded_error' }, { kind: 'reply', text: 'hi' });
 * // point a client at sim.url, then assert on sim.requests
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchStore } from './internal/batches.ts';
import { PromptCache } from './internal/cache.ts';
import { IdSource } from './internal/message.ts';
import { route } from './internal/routes.ts';
import { lastUserText, type SimState } from './internal/state.ts';
import { validateOptions } from './internal/options.ts';
import { noopLogger } from '@jobs/core/logger';
import type { AnthropicSimulatorOptions, SimRequest, SimResponder, SimStep } from './types.ts';

export type * from './types.ts';
export { AnthropicSimulatorError, type AnthropicSimulatorErrorCode } from './errors.ts';
export {
  CLAUDE_CLI_QUIET_ENV,
  type ClaudeCliCredential,
  type ClaudeCliEnvOptions,
  claudeCliArgs,
  claudeCliEnv,
  claudeCliPath,
} from './cli-env.ts';
export { countInputTokens, tokensForText } from './internal/tokens.ts';
export { minCacheableTokens } from './internal/models.ts';

/** A running simulator. */
export interface AnthropicSimulator {
  /** `http://127.0.0.1:PORT`: use as the SDK's baseURL or ANTHROPIC_BASE_URL. */
  readonly url: string;
  /** Every request received, in order (live array; cleared by reset()). */
  readonly requests: SimRequest[];
  /** Queues steps for POST /v1/messages (direct calls, not batch items), first in first out. */
  enqueue(...steps: SimStep[]): void;
  /** Sets the responder consulted when the queue is empty (and for every batch item). */
  respond(fn: SimResponder | undefined): void;
  /** Requests to POST /v1/messages only (what a client "sent"), in order. */
  messageRequests(): SimRequest[];
  /** Clears the log, the queue, the responder, the prompt cache and the batches. */
  reset(): void;
  /** Stops listening and destroys open sockets (stalled streams included). */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a simulator on 127.0.0.1, port 0. Options are checked first (ECONFIG). */
export async function startAnthropicSimulator(
  options: AnthropicSimulatorOptions = {},
): Promise<AnthropicSimulator> {
  const opts = validateOptions(options);
  const now = opts.now ?? Date.now;
  const state: SimState = {
    now,
    sleep: opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    latencyMs: opts.latencyMs ?? 0,
    auth: { apiKeys: opts.apiKeys, oauthTokens: opts.oauthTokens },
    batchProcessing: opts.batchProcessing ?? 'immediate',
    defaultText:
      opts.defaultText ??
      ((req) => `Simulated reply to: ${lastUserText(req.body).trim().slice(0, 60) || '(empty)'}`),
    logger: opts.logger ?? noopLogger,
    ids: new IdSource(),
    cache: new PromptCache(now),
    queue: [],
    responder: undefined,
    requests: [],
    url: '',
  };
  const batches = new BatchStore(state);
  const server = createServer((req, res) => {
    route(state, batches, req, res).catch((err: unknown) => {
      state.logger.error({ err }, 'simulator route failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, opts.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  state.url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Stalled streams and keep-alive sockets would hold close() open forever.
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: state.url,
    requests: state.requests,
    enqueue: (...steps) => {
      state.queue.push(...steps);
    },
    respond: (fn) => {
      state.responder = fn;
    },
    messageRequests: () =>
      state.requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages'),
    reset: () => {
      state.requests.length = 0;
      state.queue.length = 0;
      state.responder = undefined;
      state.cache.clear();
      batches.clear();
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

