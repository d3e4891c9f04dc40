/**
 * Builds the Message object a reply step stands for: content blocks, stop reason and usage.
 */
import type { InputUsage } from './cache.ts';
import { countOutputTokens } from './tokens.ts';
import type { Usage } from '../types.ts';

/** A Messages API `message` object. */
export interface SimMessage {
  id: string;
  type: 'message';
  role: 'assistant';
  model: string;
  content: unknown[];
  stop_reason: string;
  stop_sequence: null;
  usage: Usage;
}

/** Sequential ids with the API's prefixes (`msg_`, `req_`, `toolu_`, `msgbatch_`). */
export class IdSource {
  #n = 0;
  next(prefix: string): string {
    this.#n += 1;
    return `${prefix}_sim${String(this.#n).padStart(8, '0')}`;
  }
  reset(): void {
    this.#n = 0;
  }
}

/** The text-ish parts of a step that decide the reply's content. */
export interface ContentSpec {
  text?: string | undefined;
  json?: unknown;
  content?: unknown[] | undefined;
}

/**
 * Content blocks for a step: `content` verbatim (tool_use blocks get an id if they lack one),
 * else one text block from `json` (stringified), `text`, or the fallback text.
 */
export function replyContent(spec: ContentSpec, fallbackText: string, ids: IdSource): unknown[] {
  if (spec.content !== undefined) {
    return spec.content.map((block) => {
      if (typeof block === 'object' && block !== null && 'type' in block) {
        const b = block as Record<string, unknown>;
        if (b.type === 'tool_use' && typeof b.id !== 'string') return { ...b, id: ids.next('toolu') };
      }
      return block;
    });
  }
  const text = spec.json !== undefined ? JSON.stringify(spec.json) : (spec.text ?? fallbackText);
  return [{ type: 'text', text }];
}

/** Options of `buildMessage`. */
export interface BuildMessageOptions {
  id: string;
  model: string;
  content: unknown[];
  stopReason?: string | undefined;
  input: InputUsage;
  serviceTier: Usage['service_tier'];
  usageOverride?: Partial<Usage> | undefined;
}

/** A complete message; stop_reason defaults to `tool_use` when content has a tool_use block. */
export function buildMessage(opts: BuildMessageOptions): SimMessage {
  const hasToolUse = opts.content.some(
    (b) => typeof b === 'object' && b !== null && (b as { type?: unknown }).type === 'tool_use',
  );
  const usage: Usage = {
    ...opts.input,
    output_tokens: countOutputTokens(opts.content, opts.model),
    service_tier: opts.serviceTier,
    ...opts.usageOverride,
  };
  return {
    id: opts.id,
    type: 'message',
    role: 'assistant',
    model: opts.model,
    content: opts.content,
    stop_reason: opts.stopReason ?? (hasToolUse ? 'tool_use' : 'end_turn'),
    stop_sequence: null,
    usage,
  };
}
