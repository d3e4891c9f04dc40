/**
 * The API path. A single call goes through @jobs/claude (Haiku by default, retries, budget,
 * ledger row); a task that needs the agent loop runs the CLI with `--bare`, which never reads
 * OAuth credentials, and the key from childEnv('api') for that child only.
 */
import { childEnv } from '@jobs/credentials/child-env';
import { createClaudeClient } from '@jobs/claude/client';
import { isClaudeError } from '@jobs/claude/errors';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import type { LedgerRow } from '@jobs/ledger/row';
import { CLAUDE_QUIET_ENV, type FarmContext } from '../context.ts';
import { FarmError } from '../errors.ts';
import { runCliTask } from './cli-task.ts';
import { prepareMcp } from './mcp.ts';
import { loadProject } from './project.ts';
import type { TaskResult } from '../result.ts';
import type { Task } from '../task.ts';
import { join } from 'node:path';

/** Runs a task on the API path; `ledgerPath` is `remote` when a worker runs it for another host. */
export async function runApi(ctx: FarmContext, task: Task, reason: string, ledgerPath: LedgerRow['path'] = 'api'): Promise<TaskResult> {
  if (ctx.apiKey === undefined) {
    throw new FarmError('ECONFIG', 'the API path needs ANTHROPIC_API_KEY in repos.env', { option: 'ANTHROPIC_API_KEY' });
  }
  const project = await loadProject(ctx.projectsDir, task.project);
  if (task.agent) return runBare(ctx, task, reason, ledgerPath, project.dir, project.instructions);

  const started = ctx.now();
  // Every row the client writes carries the route's reason and the path it ran on.
  const ledger = { append: (row: LedgerRow) => ctx.ledger.append({ ...row, path: ledgerPath, reason }) };
  const client = createClaudeClient({
    apiKey: ctx.apiKey,
    ...(ctx.baseURL !== undefined ? { baseURL: ctx.baseURL } : {}),
    ...(ctx.fetch !== undefined ? { fetch: ctx.fetch } : {}),
    app: ctx.app,
    job: task.project,
    runId: task.id,
    budgetUsd: task.maxBudgetUsd,
    ledger,
    model: task.model ?? DEFAULT_MODEL,
    logger: ctx.logger,
    redact: ctx.redact,
    host: ctx.host,
    now: ctx.now,
    sleep: ctx.sleep,
  });
  const base = { taskId: task.id, project: task.project, path: ledgerPath === 'remote' ? 'remote' : 'api', reason, usdKind: 'billed', sessionId: null } as const;
  try {
    const r = await client.message({
      callSite: 'farm.api',
      ...(project.instructions !== '' ? { system: project.instructions } : {}),
      messages: [{ role: 'user', content: task.prompt }],
      maxTokens: task.maxTokens,
    });
    return { ...base, outcome: 'success', ok: true, text: r.text, model: r.model, usd: r.usd, apiRetries: r.attempts - 1, durationMs: ctx.now() - started };
  } catch (err) {
    if (!isClaudeError(err)) throw err;
    return {
      ...base,
      outcome: 'error',
      ok: false,
      text: '',
      model: task.model ?? DEFAULT_MODEL,
      usd: null,
      apiRetries: 0,
      durationMs: ctx.now() - started,
      error: { code: err.code === 'EBUDGET' ? 'EBUDGET' : 'EAPI', message: `${err.code}: ${ctx.redact(err.message)}` },
    };
  }
}

async function runBare(ctx: FarmContext, task: Task, reason: string, ledgerPath: LedgerRow['path'], cwd: string, instructions: string): Promise<TaskResult> {
  const set: Record<string, string> = { ...CLAUDE_QUIET_ENV };
  if (ctx.baseURL !== undefined) set.ANTHROPIC_BASE_URL = ctx.baseURL;
  const { env } = childEnv('api', { parentEnv: ctx.parentEnv, set, apiKey: ctx.apiKey as string });
  const mcp = await prepareMcp(task.mcpServers, ctx.mcpServers, join(ctx.farmDir, 'mcp'), task.id);
  try {
    const extra = ['--bare', '--no-session-persistence', ...mcp.args];
    if (instructions !== '') extra.push('--append-system-prompt', instructions);
    const { result } = await runCliTask(ctx, task, { path: ledgerPath, reason, env, cwd, prompt: task.prompt, expectKeySource: 'ANTHROPIC_API_KEY', extraArgs: extra });
    return ledgerPath === 'remote' ? { ...result, path: 'remote' } : result;
  } finally {
    await mcp.cleanup();
  }
}
