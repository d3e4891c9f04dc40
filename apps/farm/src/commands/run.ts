/** `farm run`: one task, routed (auto | subscription | api | remote). */
import { loadConfigForDryRun } from './dry-run-config.ts';
import { parseArgs } from 'node:util';
import { buildContext } from '../config.ts';
import { isFarmError } from '../errors.ts';
import { type CliDeps, loadConfig, pathPolicy, printResult, readTaskText, TASK_OPTIONS, pick } from './common.ts';
import { chooseRoute } from '../route.ts';
import { runTask } from '../runner.ts';
import { buildTask, type RoutePath, type Task } from '../task.ts';
import type { FarmContext } from '../context.ts';
import { DEFAULT_MODEL } from '@jobs/claude/models';
import { cliArgs } from '../paths/cli-task.ts';
import { sshArgs } from '../paths/remote.ts';

export const RUN_HELP = `Usage: farm run [options] < task.md

Runs one task on the subscription, the API or a remote worker.

Options:
  --path auto|subscription|api|remote  route (default auto: atomic -> api, others -> subscription,
                                        falling back to the API when logged out or rate-limited)
  --project NAME        project (lock, session, instructions.md); default "default"
  --atomic              a single self-contained call (no session)
  --agent               needs the agent loop (on the API path: claude --bare)
  --model M             model (default ${DEFAULT_MODEL})
  --max-turns N         default 8
  --max-budget-usd X    default 0.5
  --max-tokens N        output cap of a single API call, default 2048
  --mcp a,b             MCP servers (from FARM_MCP_CONFIG) the task may use
  --task FILE           read the task from FILE instead of stdin
  --no-wait             refuse instead of waiting when the project is busy
  --env-file PATH       repos.env to use
  --json                print one JSON summary on stdout
  --dry-run             print the route and the command (argv, no secret), run nothing
  -h, --help

Examples:
  pnpm farm run --project site < fix-footer.md
  echo "Summarize: ..." | pnpm farm run --atomic --json`;

/** Parses and runs `farm run`. */
export async function runCommand(argv: string[], deps: CliDeps): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: { ...TASK_OPTIONS, 'no-wait': { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  });
  if (values.help) {
    deps.stdout.write(`${RUN_HELP}\n`);
    return 0;
  }
  const policy = pathPolicy(values.path);
  const loaded = values['dry-run'] ? await loadConfigForDryRun(deps, values['env-file']) : await loadConfig(deps, values['env-file']);
  const task = buildTask(await readTaskText(deps, values.task), values);
  const ctx = await buildContext(loaded.cfg, { env: deps.env, home: deps.home, logger: loaded.logger, redact: loaded.redact, ...pick(deps) });
  if (values['no-wait']) ctx.lockWait = false;
  const route = chooseRoute(task, { policy, remoteConfigured: ctx.remote !== undefined });
  if (values['dry-run']) {
    const command = dryRunCommand(ctx, task, route.path);
    printResult(deps, values.json ?? false, {
      ok: true,
      dryRun: true,
      taskId: task.id,
      project: task.project,
      path: route.path,
      reason: route.reason,
      command,
      text: `[dry-run] would run task ${task.id} on ${route.path}: ${route.reason}\n[dry-run] command: ${command.join(' ')}`,
    });
    return 0;
  }
  let result: Awaited<ReturnType<typeof runTask>>;
  try {
    result = await runTask(ctx, task, route);
  } catch (err) {
    // With --json, a failure before any result (ELOCKED, a bad project) is printed as data too:
    // a caller reading stdout gets an answer, not an empty line.
    if (!values.json || !isFarmError(err)) throw err;
    const error = { code: err.code, message: loaded.redact(err.message) };
    printResult(deps, true, { ok: false, taskId: task.id, project: task.project, path: route.path, reason: route.reason, error });
    return err.exitCode;
  }
  printResult(deps, values.json ?? false, { ...result });
  return result.ok ? 0 : 1;
}

/**
 * The command a route would run, for --dry-run: argv only, never a secret (the key travels in
 * the child's env or on ssh's stdin). Session and MCP flags are decided at run time and shown
 * as placeholders.
 */
export function dryRunCommand(ctx: FarmContext, task: Task, path: RoutePath): string[] {
  const mcp = task.mcpServers.length > 0 ? ['--mcp-config', '<task mcp file>', '--strict-mcp-config'] : [];
  if (path === 'subscription') {
    const session = task.atomic ? ['--no-session-persistence'] : ['<--session-id NEW | --resume ID>'];
    return [ctx.claudeBin, ...cliArgs(task, [...session, ...mcp])];
  }
  if (path === 'remote') return ctx.remote ? ['ssh', ...sshArgs(ctx.remote)] : ['ssh', '<FARM_SSH_HOST unset>'];
  if (task.agent) return [ctx.claudeBin, ...cliArgs(task, ['--bare', '--no-session-persistence', ...mcp, '<--append-system-prompt instructions>'])];
  return ['POST', `${ctx.baseURL ?? 'https://api.anthropic.com'}/v1/messages`, `model=${task.model ?? DEFAULT_MODEL}`, `max_tokens=${task.maxTokens}`, `budget_usd=${task.maxBudgetUsd}`];
}

