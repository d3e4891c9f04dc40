/**
 * What running a task produced, whichever path ran it: the summary `farm run --json` prints
 * and the queue returns.
 */
import type { FarmErrorCode } from './errors.ts';
import type { RoutePath } from './task.ts';

/** The outcome of a task (the CLI result subtypes, `error` for everything else). */
export type TaskOutcome = 'success' | 'error_max_turns' | 'error_max_budget_usd' | 'error_during_execution' | 'error';

/** A finished task. */
export interface TaskResult {
  taskId: string;
  project: string;
  path: RoutePath;
  /** Why this path: the route's reason, with the fallback's when one happened. */
  reason: string;
  outcome: TaskOutcome;
  ok: boolean;
  text: string;
  model: string | null;
  /** Real API dollars (api, remote) or the plan's equivalent (subscription); null when unknown. */
  usd: number | null;
  /** `billed` for api/remote, `equivalent` for subscription: never add the two. */
  usdKind: 'billed' | 'equivalent';
  sessionId: string | null;
  /** `system/api_retry` events (CLI) or extra HTTP attempts (client). */
  apiRetries: number;
  durationMs: number;
  /** Set when the task failed: the stable code and the message. */
  error?: { code: FarmErrorCode | string; message: string };
  /** The first path's failure when the task fell back to another path. */
  fellBackFrom?: { path: RoutePath; code: string };
}
