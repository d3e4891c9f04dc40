/**
 * The subscription path: the `claude` CLI with the owner's login, never an API key.
 * Guards: the child env has no key (childEnv('subscription')), the auth path resolved from that
 * env and every settings layer must be the subscription's (checked by the runner before it
 * spawns), the init event must say `apiKeySource: none`, a watchdog, one run per project (lock), session reuse (TTL, cap),
 * per-task MCP config. A resume that fails starts one fresh session.
 */
import { assertSubscriptionEnv } from '@jobs/claude/cli-run';
import { childEnv } from '@jobs/credentials/child-env';
import { CLAUDE_QUIET_ENV, type FarmContext, SUBSCRIPTION_ALLOW } from '../context.ts';
import { runCliTask } from './cli-task.ts';
import { prepareMcp } from './mcp.ts';
import { loadProject, withInstructions } from './project.ts';
import { acquireProjectLock } from '../lock.ts';
import type { TaskResult } from '../result.ts';
import { createSessionStore, type SessionPlan } from '../sessions.ts';
import type { Task } from '../task.ts';
import { join } from 'node:path';

/** The env of a subscription child: allowlist, no auth override, quiet switches, base URL. */
export function subscriptionEnv(ctx: FarmContext): { env: Record<string, string>; removed: string[] } {
  const set: Record<string, string> = { ...CLAUDE_QUIET_ENV };
  if (ctx.baseURL !== undefined) set.ANTHROPIC_BASE_URL = ctx.baseURL;
  return childEnv('subscription', { parentEnv: ctx.parentEnv, allow: SUBSCRIPTION_ALLOW, set });
}

/** Runs a task on the subscription path (holding the project's lock). */
export async function runSubscription(ctx: FarmContext, task: Task, reason: string): Promise<TaskResult> {
  await using _lock = await acquireProjectLock({
    dir: join(ctx.farmDir, 'locks'),
    project: task.project,
    wait: ctx.lockWait,
    timeoutMs: ctx.lockWaitMs,
    sleep: ctx.sleep,
    now: ctx.now,
    logger: ctx.logger,
  });
  const { env, removed } = subscriptionEnv(ctx);
  // childEnv removed them; the check is the CLI client's own, so both transports refuse alike.
  assertSubscriptionEnv(env);
  if (removed.length > 0) {
    ctx.logger.warn({ removed }, 'not passed to claude: these would move billing off the subscription (see farm doctor)');
  }
  const project = await loadProject(ctx.projectsDir, task.project);
  const sessions = createSessionStore({
    dir: join(ctx.farmDir, 'sessions'),
    ttlMs: ctx.sessionTtlMs,
    maxMessages: ctx.sessionMaxMessages,
    now: ctx.now,
  });
  const mcp = await prepareMcp(task.mcpServers, ctx.mcpServers, join(ctx.farmDir, 'mcp'), task.id);
  try {
    const attempt = async (plan: SessionPlan | undefined): Promise<TaskResult & { resumeFailed?: boolean }> => {
      const sessionArgs =
        plan === undefined ? ['--no-session-persistence'] : plan.kind === 'fresh' ? ['--session-id', plan.id] : ['--resume', plan.id];
      const prompt = plan?.kind === 'resume' ? task.prompt : withInstructions(project.instructions, task.prompt);
      const { result, run } = await runCliTask(ctx, task, {
        path: 'subscription',
        reason,
        env,
        cwd: project.dir,
        prompt,
        expectKeySource: 'none',
        extraArgs: [...sessionArgs, ...mcp.args],
      });
      if (plan !== undefined && result.ok) await sessions.record(task.project, plan);
      // A resume the CLI could not open ends before any init event ("No conversation found").
      const resumeFailed = plan?.kind === 'resume' && !result.ok && run.summary.init === undefined && run.killed === undefined;
      return resumeFailed ? { ...result, resumeFailed } : result;
    };
    // Atomic tasks stand alone: no session is created or reused.
    const first = await attempt(task.atomic ? undefined : await sessions.plan(task.project));
    if (!first.resumeFailed) return first;
    ctx.logger.warn({ project: task.project, error: first.error }, 'resuming the session failed: starting a fresh one');
    await sessions.drop(task.project);
    const second = await attempt(await sessions.plan(task.project));
    return { ...second, reason: `${reason}; resume failed, fresh session` };
  } finally {
    await mcp.cleanup();
  }
}
