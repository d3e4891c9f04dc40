/**
 * The simulator's token estimator. Not a tokenizer: a deterministic rule tests can compute by
 * hand. A prompt is cut into blocks in the order the API builds its cache prefix (tools, then
 * system, then messages); each block costs ceil(chars * ratio / 4) tokens, where ratio is 1.3
 * for Claude 4.7+ and Haiku 5.5 and 1 otherwise. No per-message framing overhead is added.
 *
 * What counts as a block's chars: a text block's `text`; a string `system` or string message
 * `content` as one block; anything else (tool definitions, tool_use, tool_result, images) its JSON
 * without `cache_control`.
 */
import { tokenRatio } from './models.ts';
import type { MessagesBody } from '../types.ts';

/** Where a cache breakpoint sits and its TTL. */
export type CacheTtl = '5m' | '1h';

/** One block of the prompt prefix. */
export interface PromptBlock {
  /** Canonical content (role included) for prefix hashing; cache_control stripped. */
  key: string;
  chars: number;
  /** Present when the block carries `cache_control`. */
  ttl?: CacheTtl;
}

/** Tokens for a run of text of `chars` characters on `model`. */
export function tokensForChars(chars: number, model: string): number {
  if (chars <= 0) return 0;
  const { num, den } = tokenRatio(model);
  // Integer numerator and denominator keep the division exact where the result is whole.
  return Math.ceil((chars * num) / (4 * den));
}

/** Tokens for a text on `model` (chars counted as UTF-16 code units, like String#length). */
export function tokensForText(text: string, model: string): number {
  return tokensForChars(text.length, model);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function withoutCacheControl(value: Record<string, unknown>): Record<string, unknown> {
  const { cache_control: _ignored, ...rest } = value;
  return rest;
}

/** Reads a block's cache_control TTL; `undefined` when it has none. */
function ttlOf(value: unknown): CacheTtl | undefined {
  if (!isRecord(value) || !isRecord(value.cache_control)) return undefined;
  return value.cache_control.ttl === '1h' ? '1h' : '5m';
}

function contentBlock(role: string, block: unknown): PromptBlock {
  if (isRecord(block)) {
    const bare = withoutCacheControl(block);
    const chars =
      block.type === 'text' && typeof block.text === 'string'
        ? block.text.length
        : JSON.stringify(bare).length;
    const ttl = ttlOf(block);
    const out: PromptBlock = { key: `${role}:${JSON.stringify(bare)}`, chars };
    if (ttl !== undefined) out.ttl = ttl;
    return out;
  }
  const text = typeof block === 'string' ? block : JSON.stringify(block ?? null);
  return { key: `${role}:${JSON.stringify(text)}`, chars: text.length };
}

/**
 * Cuts a Messages request into prefix blocks (tools, system, messages). A top-level
 * `cache_control` (automatic caching) puts a breakpoint on the last block.
 */
export function promptBlocks(body: MessagesBody): PromptBlock[] {
  const blocks: PromptBlock[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) blocks.push(contentBlock('tool', tool));
  }
  if (typeof body.system === 'string') {
    blocks.push(contentBlock('system', body.system));
  } else if (Array.isArray(body.system)) {
    for (const block of body.system) blocks.push(contentBlock('system', block));
  }
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) {
      const role = isRecord(message) && typeof message.role === 'string' ? message.role : 'user';
      const content = isRecord(message) ? message.content : message;
      if (Array.isArray(content)) {
        for (const block of content) blocks.push(contentBlock(role, block));
      } else {
        blocks.push(contentBlock(role, content));
      }
    }
  }
  const last = blocks.at(-1);
  if (last !== undefined && isRecord(body.cache_control) && last.ttl === undefined) {
    last.ttl = body.cache_control.ttl === '1h' ? '1h' : '5m';
  }
  return blocks;
}

/** Input tokens of a request, as count_tokens reports them: the sum over its blocks. */
export function countInputTokens(body: MessagesBody, model: string): number {
  let total = 0;
  for (const block of promptBlocks(body)) total += tokensForChars(block.chars, model);
  return total;
}

/** Output tokens of a reply's content blocks (text, thinking, tool_use input as JSON); at least 1. */
export function countOutputTokens(content: readonly unknown[], model: string): number {
  let chars = 0;
  for (const block of content) {
    if (!isRecord(block)) continue;
    if (block.type === 'text' && typeof block.text === 'string') chars += block.text.length;
    else if (block.type === 'thinking' && typeof block.thinking === 'string') {
      chars += block.thinking.length;
    } else if (block.type === 'tool_use') chars += JSON.stringify(block.input ?? {}).length;
    else chars += JSON.stringify(block).length;
  }
  return Math.max(1, tokensForChars(chars, model));
}
