/**
 * Runs one task on the path the router chose, with the fallback of policy `auto`: a
 * subscription that is logged out or rate-limited hands the task to the API when the task
 * has a budget and the day's API budget (from the ledger) has room.
 */
import { redactDeep } from '@jobs/credentials/redact';
import { readLedger } from '@jobs/ledger/read';
import { summarizeStream } from '@jobs/ledger/report';
import { runApi } from './paths/api.ts';
import type { FarmContext } from './context.ts';
import { runRemote } from './paths/remote.ts';
import type { TaskResult } from './result.ts';
import type { Route } from './route.ts';
import { runSubscription } from './paths/subscription.ts';
import type { Task } from './task.ts';

const FALLBACK_CODES = new Set(['ENOT_LOGGED_IN', 'ERATE_LIMITED']);

/** Is there API budget left for this task? Returns the reason when there is not. */
export async function apiBudgetLeft(ctx: FarmContext, task: Task): Promise<string | undefined> {
  if (ctx.apiKey === undefined) return 'no ANTHROPIC_API_KEY in repos.env';
  if (!(task.maxBudgetUsd > 0)) return 'the task has no budget';
  if (ctx.dailyApiBudgetUsd === undefined || ctx.ledgerPath === undefined) return undefined;
  const d = new Date(ctx.now());
  const since = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const s = await summarizeStream(readLedger(ctx.ledgerPath, { since, logger: ctx.logger }), { by: 'path' });
  const spent = s.totals.billedUsd;
  if (spent + task.maxBudgetUsd > ctx.dailyApiBudgetUsd) {
    return `today's API spend $${spent.toFixed(4)} + this task's $${task.maxBudgetUsd} would pass FARM_DAILY_API_BUDGET_USD $${ctx.dailyApiBudgetUsd}`;
  }
  return undefined;
}

/**
 * Runs the task on `route`, falling back to the API when the route allows it. The result is
 * redacted here, the one place every TaskResult leaves through (`farm run` prints it, a queue
 * worker returns it into Redis): the CLI's stderr in an error message, or a reply that echoes
 * the child's env, can carry the login token or the API key.
 */
export async function runTask(ctx: FarmContext, task: Task, route: Route): Promise<TaskResult> {
  return redactDeep(await routeTask(ctx, task, route), ctx.redact);
}

async function routeTask(ctx: FarmContext, task: Task, route: Route): Promise<TaskResult> {
  ctx.logger.info({ taskId: task.id, project: task.project, path: route.path, reason: route.reason }, 'task started');
  if (route.path === 'api') return runApi(ctx, task, route.reason);
  if (route.path === 'remote') return runRemote(ctx, task, route.reason);
  const sub = await runSubscription(ctx, task, route.reason);
  const code = sub.error?.code;
  if (sub.ok || code === undefined || !FALLBACK_CODES.has(code)) return sub;
  const why = code === 'ENOT_LOGGED_IN' ? 'subscription not logged in' : 'subscription rate-limited';
  if (!route.mayFallBack) return sub;
  const noBudget = await apiBudgetLeft(ctx, task);
  if (noBudget !== undefined) {
    return { ...sub, error: { code, message: `${sub.error?.message ?? why}; no fallback to the API: ${noBudget}` } };
  }
  ctx.logger.warn({ taskId: task.id, from: 'subscription', to: 'api', code }, `${why}: falling back to the API path`);
  const api = await runApi(ctx, task, `auto: fallback to API (${why})`);
  return { ...api, fellBackFrom: { path: 'subscription', code } };
}
