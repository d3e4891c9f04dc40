/**
 * Summaries for every thread: conversations go to Claude, several per call, through
 * @jobs/claude (its retries, budget and ledger) and its structured helper (zod-validated JSON,
 * one retry on a bad reply); `batch` sends them through the Message Batches API with a deadline
 * and direct fallback. Whatever Claude does not deliver gets the extractive summary and marks
 * the digest degraded: a failing model never means no digest. After one failed call, the rest
 * of the run stays extractive (no point waiting through the same retries again).
 */
import { runBatch } from '@jobs/claude/batch';
import type { ClaudeClient, MessageResult } from '@jobs/claude/client';
import { BudgetExceededError, ClaudeError } from '@jobs/claude/errors';
import { extractJson, structured } from '@jobs/claude/structured';
import type { Logger } from '@jobs/core/logger';
import type { PendingThread } from '../threads.ts';
import type { DegradedReason, ThreadSummary } from '../types.ts';
import { extractiveSummary } from './extractive.ts';
import { type Chunk, type ChunkReply, DEFAULT_PACK, type PackLimits, packThreads, replySchema, SYSTEM_PROMPT } from './prompt.ts';

/** How to summarize. */
export interface SummarizeOptions {
  /** null: no Claude (no key, or --no-llm); `noClaudeReason` says which. */
  readonly claude: ClaudeClient | null;
  readonly noClaudeReason?: 'no-api-key' | 'no-llm';
  /** Send through the Message Batches API; wait `deadlineMs`, then go direct for the rest. */
  readonly batch?: { readonly deadlineMs: number; readonly pollIntervalMs?: number } | undefined;
  readonly pack?: PackLimits;
  readonly logger: Logger;
  /** Called after each chunk with (threads done, threads to send). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Summaries by thread id, and what the calls cost. */
export interface Summaries {
  readonly byThread: ReadonlyMap<string, ThreadSummary>;
  readonly degraded: DegradedReason;
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

const CALL_SITE = 'digest.summarize';

/** Summarizes `threads` (see the module comment). */
export async function summarizeThreads(threads: readonly PendingThread[], options: SummarizeOptions): Promise<Summaries> {
  const byThread = new Map<string, ThreadSummary>();
  const usage = { calls: 0, inputTokens: 0, outputTokens: 0, usd: 0 };
  let degraded: DegradedReason = null;
  const conversations: PendingThread[] = [];
  for (const t of threads) {
    if (t.kind === 'conversation') conversations.push(t);
    else byThread.set(t.id, extractiveSummary(t, 'rule'));
  }
  const fallback = (chunk: Chunk) => {
    for (const t of chunk.threads) byThread.set(t.id, extractiveSummary(t));
  };
  const account = (r: MessageResult) => {
    usage.calls++;
    usage.inputTokens += r.usage.input_tokens + (r.usage.cache_creation_input_tokens ?? 0) + (r.usage.cache_read_input_tokens ?? 0);
    usage.outputTokens += r.usage.output_tokens;
    usage.usd += r.usd ?? 0;
  };
  const accept = (chunk: Chunk, reply: ChunkReply) => {
    const byId = new Map(reply.t.map((t) => [t.id, t]));
    for (const t of chunk.threads) {
      const r = byId.get(t.id)!;
      // A thread needs a reply exactly when the model gave an action for it.
      const action = r.r?.trim() || null;
      byThread.set(t.id, { summary: r.s, needsReply: action !== null, action, by: 'claude' });
    }
  };
  const fail = (err: unknown, chunk: Chunk): DegradedReason => {
    const code = err instanceof ClaudeError ? err.code : 'EUNKNOWN';
    options.logger.warn({ err, code, threads: chunk.threads.length }, 'summaries failed: using the extractive summary');
    return err instanceof BudgetExceededError ? 'budget' : 'claude-failed';
  };

  const chunks = packThreads(conversations, options.pack ?? DEFAULT_PACK);
  const { claude } = options;
  if (claude === null) {
    for (const c of chunks) fallback(c);
    degraded = conversations.length > 0 ? (options.noClaudeReason ?? 'no-api-key') : null;
    return { byThread, degraded, ...usage };
  }

  const direct = async (chunk: Chunk): Promise<void> => {
    const schema = replySchema(chunk.threads.map((t) => t.id));
    const { value, result, calls } = await structured(claude, {
      callSite: CALL_SITE,
      system: SYSTEM_PROMPT,
      messages: [{ role: 'user', content: chunk.text }],
      maxTokens: chunk.maxTokens,
      effort: 'low',
      schema,
    });
    // A first reply that failed validation was paid for too; its usage is in the ledger.
    usage.calls += calls - 1;
    account(result);
    accept(chunk, value);
  };

  /** A direct call for `chunk`; when it fails the run degrades and the chunk falls back. */
  const directOrFallback = async (chunk: Chunk): Promise<void> => {
    try {
      await direct(chunk);
    } catch (err) {
      degraded = fail(err, chunk);
      fallback(chunk);
    }
  };
  let done = 0;
  const progress = (chunk: Chunk): void => {
    done += chunk.threads.length;
    options.onProgress?.(done, conversations.length);
  };

  if (options.batch && chunks.length > 0) {
    let outcomes: Awaited<ReturnType<typeof runBatch>> = [];
    try {
      outcomes = await runBatch(
        claude,
        chunks.map((c, i) => ({ customId: `c${i}`, callSite: CALL_SITE, system: SYSTEM_PROMPT, messages: [{ role: 'user' as const, content: c.text }], maxTokens: c.maxTokens, effort: 'low' as const })),
        { deadlineMs: options.batch.deadlineMs, ...(options.batch.pollIntervalMs ? { pollIntervalMs: options.batch.pollIntervalMs } : {}) },
      );
    } catch (err) {
      degraded = fail(err, { threads: conversations, text: '', maxTokens: 0 });
    }
    const settle = async (chunk: Chunk, outcome: (typeof outcomes)[number] | undefined): Promise<void> => {
      if (!outcome || degraded) return fallback(chunk);
      if (!outcome.ok) {
        degraded = fail(outcome.error, chunk);
        return fallback(chunk);
      }
      account(outcome.result);
      const check = validate(outcome.result.text, replySchema(chunk.threads.map((t) => t.id)));
      // An invalid batch reply gets the structured helper's treatment as a direct call.
      if (check) accept(chunk, check);
      else await directOrFallback(chunk);
    };
    for (const [i, chunk] of chunks.entries()) {
      await settle(chunk, outcomes[i]);
      progress(chunk);
    }
    return { byThread, degraded, ...usage };
  }

  for (const chunk of chunks) {
    if (degraded) fallback(chunk);
    else await directOrFallback(chunk);
    progress(chunk);
  }
  return { byThread, degraded, ...usage };
}

function validate(text: string, schema: ReturnType<typeof replySchema>): ChunkReply | null {
  try {
    const parsed = schema.safeParse(extractJson(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // not JSON at all: handled like a reply that failed validation
  }
}
