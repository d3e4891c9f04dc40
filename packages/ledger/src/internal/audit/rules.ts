/** The call-site audit's rules: one id, a severity, what it means, and the fix. */

/** How bad a finding is: `high` can run away with money without bound, and fails the audit. */
export type Severity = 'high' | 'medium' | 'low';

/** Rule ids. */
export type RuleId =
  | 'claude-no-max-turns'
  | 'claude-no-model'
  | 'claude-unbounded-loop'
  | 'opus-model'
  | 'sdk-no-model'
  | 'sdk-query-no-max-turns'
  | 'global-api-key-export'
  | 'script-api-key-export';

/** A rule's description. */
export interface Rule {
  id: RuleId;
  severity: Severity;
  /** What was found. */
  message: string;
  /** What to change. */
  fix: string;
}

/** Every rule, by id. */
export const RULES: Readonly<Record<RuleId, Rule>> = {
  'claude-no-max-turns': {
    id: 'claude-no-max-turns',
    severity: 'high',
    message: 'headless `claude -p` without --max-turns: one prompt can run any number of agent turns',
    fix: 'add --max-turns N (a small N, e.g. 3-10) and --max-budget-usd',
  },
  'claude-no-model': {
    id: 'claude-no-model',
    severity: 'medium',
    message: 'headless `claude -p` without --model: it runs on the CLI default, which may be Opus or Sonnet',
    fix: 'add --model claude-haiku-5-5 (or the cheapest model that does the job)',
  },
  'claude-unbounded-loop': {
    id: 'claude-unbounded-loop',
    severity: 'high',
    message: 'Claude is called inside an unbounded loop (while true / for(;;) / while :): a failure or a stuck condition repeats the spend forever',
    fix: 'bound the loop (a counter or `for i in $(seq N)`), or run it on a schedule (cron, farm schedule) with a daily budget',
  },
  'opus-model': {
    id: 'opus-model',
    severity: 'medium',
    message: 'Claude call on an Opus model: several times the price of Haiku or Sonnet per token',
    fix: 'use claude-haiku-5-5 (or Sonnet) unless this task is shown to need Opus; then cap it with a budget',
  },
  'sdk-no-model': {
    id: 'sdk-no-model',
    severity: 'medium',
    message: 'SDK call without a model: it runs on a default that may be Opus or Sonnet',
    fix: "name the model explicitly, e.g. model: 'claude-haiku-5-5'",
  },
  'sdk-query-no-max-turns': {
    id: 'sdk-query-no-max-turns',
    severity: 'high',
    message: 'Agent SDK query() without maxTurns: the agent loop has no turn limit',
    fix: 'set maxTurns (max_turns in Python) to a small number, and maxBudgetUsd',
  },
  'global-api-key-export': {
    id: 'global-api-key-export',
    severity: 'high',
    message: 'ANTHROPIC_API_KEY exported from a shell start-up file: every shell and every `claude` bills the API instead of the subscription, and every program started inherits the key',
    fix: 'remove the export; keep the key in repos.env (mode 600) and hand it only to the process that needs it',
  },
  'script-api-key-export': {
    id: 'script-api-key-export',
    severity: 'medium',
    message: 'ANTHROPIC_API_KEY exported in a script: every command the script starts inherits the key and bills the API',
    fix: 'pass it to the one command that needs it (ANTHROPIC_API_KEY=... cmd), or load it from repos.env in that program',
  },
};

/** Rule ids in a stable order. */
export const RULE_IDS = Object.keys(RULES) as RuleId[];
