/**
 * A MessageRequest as the `claude` CLI takes it: headless arguments, the prompt text for
 * stdin, and the per-call environment additions.
 *
 * The CLI takes one user prompt per run, not a message list, so earlier turns (the structured
 * helper's retry sends user, assistant, user) are rendered into the prompt as tagged text
 * before the last user message. Only text travels: another block type is refused (ECONFIG)
 * rather than silently dropped.
 */
import { ClaudeError } from '../../errors.ts';
import type { MessageLike } from '../../tokens.ts';
import { headlessArgs } from './args.ts';

/** What the arguments depend on. */
export interface CliArgsInput {
  model: string;
  fallbackModel: string | null;
  systemPromptFile: string;
  effort?: 'low' | 'medium' | 'high' | undefined;
}

/**
 * The headless one-turn arguments. Besides `-p --output-format stream-json --verbose --model M
 * --max-turns 1`: partial messages keep the watchdog fed while a reply streams; `--tools ""`
 * leaves the model no built-in tool, `--strict-mcp-config` (with no --mcp-config) no MCP
 * server from the user's config, `--disable-slash-commands` no skills; the system prompt comes
 * from a file (argv is visible in `ps` and capped at 128 KiB per argument on Linux);
 * `--no-session-persistence` leaves no transcript on disk.
 */
export function cliArgs(i: CliArgsInput): string[] {
  const args = [
    ...headlessArgs({ model: i.model, maxTurns: 1 }),
    '--tools',
    '',
    '--strict-mcp-config',
    '--disable-slash-commands',
    '--no-session-persistence',
    '--system-prompt-file',
    i.systemPromptFile,
  ];
  // The CLI refuses a fallback equal to the model; the API client skips it the same way.
  if (i.fallbackModel !== null && i.fallbackModel !== i.model) args.push('--fallback-model', i.fallbackModel);
  if (i.effort !== undefined) args.push('--effort', i.effort);
  return args;
}

/** Per-call variables added to the caller's env: the reply's token cap (the CLI has no flag for it). */
export function callEnv(base: Readonly<Record<string, string>>, maxTokens: number): Record<string, string> {
  return { ...base, CLAUDE_CODE_MAX_OUTPUT_TOKENS: String(maxTokens) };
}

function textOf(m: MessageLike, index: number): string {
  if (typeof m.content === 'string') return m.content;
  return m.content
    .map((b) => {
      if (b.type !== 'text' || typeof b.text !== 'string') {
        throw new ClaudeError('ECONFIG', `request.messages[${index}] holds a ${JSON.stringify(b.type)} block: the CLI transport sends text only`);
      }
      return b.text;
    })
    .join('');
}

/** The stdin prompt: the last user message, after any earlier turns rendered as tagged text. */
export function renderPrompt(messages: readonly MessageLike[]): string {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user') {
    throw new ClaudeError('ECONFIG', 'request.messages must end with a user message on the CLI transport');
  }
  const lastText = textOf(last, messages.length - 1);
  if (messages.length === 1) return lastText;
  const turns = messages.slice(0, -1).map((m, i) => `<${m.role}>\n${textOf(m, i)}\n</${m.role}>`);
  return `<earlier_turns>\n${turns.join('\n')}\n</earlier_turns>\n\n${lastText}`;
}
