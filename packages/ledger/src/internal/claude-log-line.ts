/**
 * One line of a Claude Code session log (~/.claude/projects/<project>/<session>.jsonl), reduced
 * to what pricing needs. Only `type: "assistant"` lines carry `message.usage`; every other line
 * (user turns, summaries, file-history snapshots, progress events) is ignored. Lines the CLI
 * makes up itself (`message.model: "<synthetic>"`, API error notices) were never sent to the
 * API and cost nothing.
 */

/** Token usage as Claude Code logs it (the Messages API's `usage`, copied). */
export interface ClaudeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The split of cache writes into 5-minute and 1-hour entries, when logged. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

/** An assistant message found in a session log. */
export interface ClaudeLogMessage {
  /** `message.id` + `requestId`: the same API response repeated on several lines has the same key. */
  key: string;
  messageId: string | null;
  requestId: string | null;
  ts: string;
  sessionId: string | null;
  cwd: string | null;
  sidechain: boolean;
  model: string;
  usage: ClaudeUsage;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** Why a line was not taken; `ignored` lines are not assistant messages at all. */
export type LineVerdict = { message: ClaudeLogMessage } | { ignored: true } | { invalid: string };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function tokens(v: unknown): number | undefined {
  if (v === undefined || v === null) return 0;
  return Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : undefined;
}

/**
 * Parses one line. `fallbackKey` keys a message that has no `message.id` (it cannot be matched
 * with its repeats, so it is counted once per line it appears on).
 */
export function parseClaudeLogLine(line: string, fallbackKey: string): LineVerdict {
  // Cheap gate before JSON.parse: most lines of a session log are not assistant messages.
  if (!line.includes('"assistant"') || !line.includes('"usage"')) return { ignored: true };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { invalid: 'not JSON' };
  }
  if (value === null || typeof value !== 'object') return { ignored: true };
  const entry = value as Record<string, unknown>;
  if (entry.type !== 'assistant') return { ignored: true };
  const message = entry.message as Record<string, unknown> | undefined;
  if (message === null || typeof message !== 'object') return { invalid: 'no message object' };
  const usage = message.usage as Record<string, unknown> | undefined;
  if (usage === null || typeof usage !== 'object') return { ignored: true };
  const model = str(message.model);
  if (model === null) return { invalid: 'no message.model' };
  if (model === '<synthetic>' || entry.isApiErrorMessage === true) return { ignored: true };
  const ts = str(entry.timestamp);
  if (ts === null || !ISO.test(ts) || !Number.isFinite(Date.parse(ts))) return { invalid: 'no valid timestamp' };

  const input = tokens(usage.input_tokens);
  const output = tokens(usage.output_tokens);
  const write = tokens(usage.cache_creation_input_tokens);
  const read = tokens(usage.cache_read_input_tokens);
  if (input === undefined || output === undefined || write === undefined || read === undefined) {
    return { invalid: 'a usage count is not a non-negative integer' };
  }
  const parsed: ClaudeUsage = {
    input_tokens: input,
    output_tokens: output,
    cache_creation_input_tokens: write,
    cache_read_input_tokens: read,
  };
  const split = usage.cache_creation as Record<string, unknown> | undefined;
  if (split !== null && typeof split === 'object') {
    const m5 = tokens(split.ephemeral_5m_input_tokens);
    const h1 = tokens(split.ephemeral_1h_input_tokens);
    if (m5 !== undefined && h1 !== undefined) {
      parsed.cache_creation = { ephemeral_5m_input_tokens: m5, ephemeral_1h_input_tokens: h1 };
    }
  }
  const messageId = str(message.id);
  const requestId = str(entry.requestId);
  return {
    message: {
      key: messageId === null ? fallbackKey : `${messageId}\u0000${requestId ?? ''}`,
      messageId,
      requestId,
      ts,
      sessionId: str(entry.sessionId),
      cwd: str(entry.cwd),
      sidechain: entry.isSidechain === true,
      // `claude-opus-4-6[1m]` names the 1M-context variant of the same model; prices are by model.
      model: model.replace(/\[[^\]]*\]$/, ''),
      usage: parsed,
    },
  };
}

/**
 * Of two lines for the same message, the one to keep. Claude Code writes a line per content
 * block while a reply streams, and the usage on early lines can be partial (output still
 * growing), so the line with the most output wins; on a tie the later line does.
 */
export function better(current: ClaudeLogMessage, next: ClaudeLogMessage): ClaudeLogMessage {
  return next.usage.output_tokens >= current.usage.output_tokens ? next : current;
}
