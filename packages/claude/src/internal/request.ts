/**
 * A call as callers describe it, checked, and turned into Messages API params
 * for one model (each attempt names its model explicitly, never a default).
 */
import type { MessageCreateParamsNonStreaming, MessageParam } from '@anthropic-ai/sdk/resources/messages/messages';
import { type CacheChoice, planSystem, type SystemPlan } from '../cache.ts';
import { ClaudeError } from '../errors.ts';
import { type PricingTable, lookupModel } from '../pricing.ts';
import { estimatePromptTokens, type MessageLike } from '../tokens.ts';

/** One logical call. */
export interface MessageRequest {
  /** Where in the code the call is made (`digest.summarize`): the ledger's call_site. */
  callSite: string;
  system?: string;
  messages: MessageLike[];
  maxTokens: number;
  /** Overrides the client's model for this call. */
  model?: string;
  /** false: never cache; true/undefined: cache with the client's TTL when long enough; or a TTL. */
  cacheSystem?: CacheChoice;
  stream?: boolean;
  /** Effort (thinking tokens bill as output: 'low' for summaries and drafts). Dropped for models without effort. */
  effort?: 'low' | 'medium' | 'high';
  signal?: AbortSignal;
}

/** Models that reject output_config.effort (they predate it). */
const NO_EFFORT = /^claude-(haiku-4-5|sonnet-4-5|opus-4-1)/;

/** Throws ECONFIG naming the first malformed field. */
export function checkRequest(req: MessageRequest): void {
  const fail = (field: string, want: string, got: unknown): never => {
    throw new ClaudeError('ECONFIG', `request.${field} must be ${want}; got ${JSON.stringify(got) ?? String(got)}`);
  };
  if (typeof req.callSite !== 'string' || req.callSite === '') fail('callSite', 'a non-empty string', req.callSite);
  if (!Number.isInteger(req.maxTokens) || req.maxTokens < 1) fail('maxTokens', 'a positive integer', req.maxTokens);
  if (!Array.isArray(req.messages) || req.messages.length === 0) fail('messages', 'a non-empty array', req.messages);
}

/** What is known about a call on one model before it is sent. */
export interface Prepared {
  model: string;
  plan: SystemPlan;
  promptTokens: number;
  /** The prompt cap for this model (undefined: none). */
  maxPromptTokens: number | undefined;
  params: MessageCreateParamsNonStreaming;
}

/**
 * The prompt cap on `model`: the option when given, else the bound of the
 * model's first price tier (Haiku 5.5 bills every token 5x above 100K prompt
 * tokens, so calls are kept under it).
 */
export function promptCap(model: string, pricing: PricingTable, option: number | undefined): number | undefined {
  if (option !== undefined) return option;
  const tiers = lookupModel(model, pricing)?.row.tiers ?? [];
  return tiers.length > 1 ? tiers[0]?.maxPromptTokens : undefined;
}

/** Plans caching, estimates tokens and builds params for `model`. */
export function prepare(
  req: MessageRequest,
  model: string,
  o: { pricing: PricingTable; cacheTtl: '5m' | '1h'; maxPromptTokens: number | undefined },
): Prepared {
  const plan = planSystem(req.system, model, req.cacheSystem, o.cacheTtl, o.pricing);
  const promptTokens = estimatePromptTokens(req, model, o.pricing).total;
  const params: MessageCreateParamsNonStreaming = {
    model,
    max_tokens: req.maxTokens,
    messages: req.messages as MessageParam[],
  };
  if (plan.system !== undefined) params.system = plan.system;
  if (req.effort !== undefined && !NO_EFFORT.test(model)) params.output_config = { effort: req.effort };
  return { model, plan, promptTokens, maxPromptTokens: promptCap(model, o.pricing, o.maxPromptTokens), params };
}
