/**
 * Structured output: call, take the JSON out of the reply, validate it with a
 * zod schema. A reply that fails is retried once, with the validation problems
 * told to the model; a second failure throws StructuredOutputError (code
 * ESCHEMA), the caller's cue to use its degraded path. Each call is its own
 * logical call with its own ledger row and budget check.
 */
import type * as z from 'zod';
import type { ClaudeClient, MessageRequest, MessageResult } from './client.ts';
import { StructuredOutputError } from './errors.ts';

/** A call whose reply must match `schema`. */
export interface StructuredRequest<T> extends MessageRequest {
  schema: z.ZodType<T>;
}

/** The validated value and the call that produced it. */
export interface StructuredResult<T> {
  value: T;
  result: MessageResult;
  /** Logical calls made: 1, or 2 when the first reply failed validation. */
  calls: number;
}

/**
 * The JSON in a reply: a fenced ```json block if there is one, else the span from
 * the first `{` or `[` to the last `}` or `]` (models wrap JSON in prose).
 */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)```/.exec(text);
  let candidate = fenced?.[1] ?? text;
  if (!fenced) {
    const start = candidate.search(/[[{]/);
    const end = Math.max(candidate.lastIndexOf('}'), candidate.lastIndexOf(']'));
    if (start === -1 || end < start) throw new SyntaxError('the reply holds no JSON object or array');
    candidate = candidate.slice(start, end + 1);
  }
  return JSON.parse(candidate);
}

type Check<T> = { ok: true; value: T } | { ok: false; issues: string[] };

function check<T>(text: string, schema: z.ZodType<T>): Check<T> {
  let raw: unknown;
  try {
    raw = extractJson(text);
  } catch (err) {
    return { ok: false, issues: [`not valid JSON (${(err as Error).name})`] };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
  };
}

/** Calls, validates, retries once on a bad reply, then throws StructuredOutputError. */
export async function structured<T>(client: ClaudeClient, req: StructuredRequest<T>): Promise<StructuredResult<T>> {
  const { schema, ...call } = req;
  const first = await client.message(call);
  const a = check(first.text, schema);
  if (a.ok) return { value: a.value, result: first, calls: 1 };

  const second = await client.message({
    ...call,
    messages: [
      ...call.messages,
      { role: 'assistant', content: first.text === '' ? '(empty reply)' : first.text },
      {
        role: 'user',
        content:
          `That reply did not match the required JSON format: ${a.issues.slice(0, 10).join('; ')}. ` +
          'Reply again with only the corrected JSON, nothing else.',
      },
    ],
  });
  const b = check(second.text, schema);
  if (b.ok) return { value: b.value, result: second, calls: 2 };
  throw new StructuredOutputError(
    `call ${req.callSite}: the reply failed validation twice (${b.issues.slice(0, 3).join('; ')}): use the degraded path`,
    b.issues,
    { model: second.model, requestId: second.requestId, attempts: first.attempts + second.attempts },
  );
}
