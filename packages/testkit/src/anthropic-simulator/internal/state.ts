/**
 * The simulator's mutable state, shared by the routes, and the pieces of work they share:
 * resolving which step answers a request and turning a reply into a Message with usage.
 */
import type { PromptCache } from './cache.ts';
import { buildMessage, type IdSource, replyContent, type SimMessage } from './message.ts';
import { promptBlocks } from './tokens.ts';
import type { AuthConfig } from './auth.ts';
import type {
  BatchProcessing,
  Logger,
  MessagesBody,
  SimMessagesRequest,
  SimRequest,
  SimResponder,
  SimStep,
  Usage,
} from '../types.ts';

/** Everything a route may read or change. */
export interface SimState {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  latencyMs: number;
  auth: AuthConfig;
  batchProcessing: BatchProcessing;
  defaultText: string | ((req: SimMessagesRequest) => string);
  logger: Logger;
  ids: IdSource;
  cache: PromptCache;
  queue: SimStep[];
  responder: SimResponder | undefined;
  requests: SimRequest[];
  /** Base URL, known once listening (used for batch results_url). */
  url: string;
}

/**
 * The last text block of the last user message, for default replies that echo the prompt
 * (the CLI puts a system-reminder block before the prompt in the same message).
 */
export function lastUserText(body: MessagesBody): string {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (let i = messages.length - 1; i >= 0; i -= 1) {
    const m = messages[i] as { role?: unknown; content?: unknown } | undefined;
    if (m?.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) {
      const texts = m.content.flatMap((b: unknown) => {
        const block = b as { type?: unknown; text?: unknown } | null;
        return block?.type === 'text' && typeof block.text === 'string' ? [block.text] : [];
      });
      const last = texts.at(-1);
      if (last !== undefined) return last;
    }
  }
  return '';
}

/**
 * The step for a Messages request: the queue first (direct calls only), then the responder,
 * then the default reply.
 */
export function resolveStep(state: SimState, req: SimMessagesRequest, useQueue: boolean): SimStep {
  if (useQueue) {
    const queued = state.queue.shift();
    if (queued !== undefined) return queued;
  }
  return state.responder?.(req) ?? { kind: 'reply' };
}

/** The parts of a step that shape a message. */
export interface MessageSpec {
  text?: string | undefined;
  json?: unknown;
  content?: unknown[] | undefined;
  stopReason?: string | undefined;
  usage?: Partial<Usage> | undefined;
  model?: string | undefined;
}

/** Builds the message for a request, computing usage through the prompt cache. */
export function makeMessage(
  state: SimState,
  req: SimMessagesRequest,
  spec: MessageSpec,
  serviceTier: Usage['service_tier'],
): SimMessage {
  const model = String(req.body.model);
  const fallback =
    typeof state.defaultText === 'function' ? state.defaultText(req) : state.defaultText;
  const input = state.cache.apply(model, promptBlocks(req.body));
  return buildMessage({
    id: state.ids.next('msg'),
    model: spec.model ?? model,
    content: replyContent(spec, fallback, state.ids),
    stopReason: spec.stopReason,
    input,
    serviceTier,
    usageOverride: spec.usage,
  });
}

/** Checks a Messages body as the API does; returns the 400 message or undefined when valid. */
export function invalidMessagesBody(
  body: MessagesBody | undefined,
  requireMaxTokens: boolean,
): string | undefined {
  if (body === undefined) return 'Request body must be a JSON object.';
  if (typeof body.model !== 'string' || body.model.length === 0) return 'model: Field required';
  if (!Array.isArray(body.messages)) return 'messages: Field required';
  if (requireMaxTokens && (typeof body.max_tokens !== 'number' || body.max_tokens < 1)) {
    return 'max_tokens: Field required';
  }
  let breakpoints = 0;
  const count = (b: unknown): void => {
    if (typeof b === 'object' && b !== null && 'cache_control' in b) breakpoints += 1;
  };
  if (Array.isArray(body.tools)) body.tools.forEach(count);
  if (Array.isArray(body.system)) body.system.forEach(count);
  for (const m of body.messages as unknown[]) {
    const content = (m as { content?: unknown } | null)?.content;
    if (Array.isArray(content)) content.forEach(count);
  }
  if (breakpoints > 4) {
    return `A maximum of 4 blocks with cache_control may be provided. Found ${breakpoints}.`;
  }
  return undefined;
}
