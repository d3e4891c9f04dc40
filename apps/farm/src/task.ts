/**
 * A task: what `farm run` is asked to do, independent of where it runs. Tasks travel through
 * the queue as JSON, so they hold no secret and no function.
 *
 * A task file is Markdown with an optional header of `key: value` lines between `---` lines:
 * project, atomic, agent, model, max-turns, max-budget-usd, max-tokens, mcp (comma-separated
 * server names from FARM_MCP_CONFIG). Flags win over the header.
 */
import { FarmError } from './errors.ts';

/** Where a task may run. `auto` lets the router choose. */
export type PathPolicy = 'auto' | 'subscription' | 'api' | 'remote';
/** A concrete billing path. */
export type RoutePath = 'subscription' | 'api' | 'remote';

export const PATH_POLICIES: readonly PathPolicy[] = ['auto', 'subscription', 'api', 'remote'];

/** One unit of work. */
export interface Task {
  /** Stable id (the queue's job id, the ledger's run_id). */
  id: string;
  prompt: string;
  project: string;
  /** A single self-contained call: no session, no tools; `auto` sends it to the API. */
  atomic: boolean;
  /** Needs the agent loop (tools, turns): on the API path it runs the CLI with --bare. */
  agent: boolean;
  /** Unset: Haiku on the API path, the same on the subscription. */
  model?: string;
  maxTurns: number;
  maxBudgetUsd: number;
  /** Output cap for a single API call. */
  maxTokens: number;
  /** MCP servers (names in FARM_MCP_CONFIG) the task may use. */
  mcpServers: string[];
}

/** Defaults of a task's limits. */
export const TASK_DEFAULTS = Object.freeze({ project: 'default', maxTurns: 8, maxBudgetUsd: 0.5, maxTokens: 2048 });

const PROJECT_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Checks a project name (it becomes a file name). */
export function checkProject(name: string): string {
  if (!PROJECT_RE.test(name)) {
    throw new FarmError('EUSAGE', `project must match ${PROJECT_RE} (letters, digits, . _ -), got ${JSON.stringify(name)}`, { option: 'project' });
  }
  return name;
}

/** Splits an optional `---` header from the body. */
export function parseTaskText(text: string): { header: Record<string, string>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (!m) return { header: {}, body: text.trim() };
  const header: Record<string, string> = {};
  for (const [i, line] of (m[1] ?? '').split(/\r?\n/).entries()) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const kv = /^\s*([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*?)\s*$/.exec(line);
    if (!kv) throw new FarmError('EUSAGE', `task header line ${i + 2} is not "key: value": ${JSON.stringify(line)}`);
    header[(kv[1] ?? '').toLowerCase()] = kv[2] ?? '';
  }
  return { header, body: text.slice(m[0].length).trim() };
}

function num(name: string, v: string | undefined, int: boolean): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || (int && !Number.isInteger(n))) {
    throw new FarmError('EUSAGE', `${name} must be a positive ${int ? 'integer' : 'number'}, got ${JSON.stringify(v)}`, { option: name });
  }
  return n;
}

function bool(name: string, v: string | boolean | undefined): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  if (/^(true|yes|1|on)$/i.test(v)) return true;
  if (/^(false|no|0|off)$/i.test(v)) return false;
  throw new FarmError('EUSAGE', `${name} must be true or false, got ${JSON.stringify(v)}`, { option: name });
}

/** Overrides from the command line (strings as parseArgs gives them). */
export interface TaskFlags {
  project?: string | undefined;
  atomic?: boolean | undefined;
  agent?: boolean | undefined;
  model?: string | undefined;
  'max-turns'?: string | undefined;
  'max-budget-usd'?: string | undefined;
  'max-tokens'?: string | undefined;
  mcp?: string | undefined;
}

/** Builds a checked task from a task file's text and flags (flags win). */
export function buildTask(text: string, flags: TaskFlags = {}, id: string = globalThis.crypto.randomUUID()): Task {
  const { header, body } = parseTaskText(text);
  if (body === '') throw new FarmError('EUSAGE', 'the task is empty: give it on stdin or with --task FILE');
  const pick = (k: keyof TaskFlags): string | undefined => {
    const f = flags[k];
    return typeof f === 'string' ? f : header[k];
  };
  const mcp = pick('mcp');
  const model = pick('model');
  const task: Task = {
    id,
    prompt: body,
    project: checkProject(pick('project') ?? TASK_DEFAULTS.project),
    atomic: bool('atomic', flags.atomic || undefined) ?? bool('atomic', header.atomic) ?? false,
    agent: bool('agent', flags.agent || undefined) ?? bool('agent', header.agent) ?? false,
    maxTurns: num('max-turns', pick('max-turns'), true) ?? TASK_DEFAULTS.maxTurns,
    maxBudgetUsd: num('max-budget-usd', pick('max-budget-usd'), false) ?? TASK_DEFAULTS.maxBudgetUsd,
    maxTokens: num('max-tokens', pick('max-tokens'), true) ?? TASK_DEFAULTS.maxTokens,
    mcpServers: mcp ? mcp.split(',').map((s) => s.trim()).filter((s) => s !== '') : [],
  };
  if (model !== undefined && model !== '') task.model = model;
  return task;
}

/** Checks a task that arrived as JSON (from the queue or over SSH). */
export function validateTask(value: unknown): Task {
  const t = value as Partial<Task> | null;
  const ok =
    t !== null &&
    typeof t === 'object' &&
    typeof t.id === 'string' &&
    typeof t.prompt === 'string' &&
    typeof t.project === 'string' &&
    typeof t.atomic === 'boolean' &&
    typeof t.agent === 'boolean' &&
    Number.isInteger(t.maxTurns) &&
    typeof t.maxBudgetUsd === 'number' &&
    Number.isInteger(t.maxTokens) &&
    Array.isArray(t.mcpServers) &&
    (t.model === undefined || typeof t.model === 'string');
  if (!ok) throw new FarmError('EUSAGE', 'not a farm task (id, prompt, project, atomic, agent, maxTurns, maxBudgetUsd, maxTokens, mcpServers)');
  checkProject(t.project as string);
  return t as Task;
}
