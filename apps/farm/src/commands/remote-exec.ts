/**
 * `farm remote-exec` (internal): what the remote path runs on the worker host over SSH. It
 * reads one JSON request on stdin (the task and, for this invocation only, the API key),
 * runs the task on the API path and prints `{ result, rows }` as one JSON line. The key is
 * never put in this process's environment, its argv or a file; repos.env is not read here.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '@jobs/core/logger';
import { createRedactor } from '@jobs/credentials/redact';
import type { LedgerRow } from '@jobs/ledger/row';
import { runApi } from '../paths/api.ts';
import { readRuntimeEnv } from '@jobs/credentials/runtime-env';
import { stateDirOf } from '../config.ts';
import type { FarmContext } from '../context.ts';
import { FarmError } from '../errors.ts';
import { type CliDeps, readTaskText } from './common.ts';
import type { RemoteReply, RemoteRequest } from '../paths/remote.ts';
import { validateTask } from '../task.ts';
import { checkJob, runJobLocal } from '../jobs.ts';
import { createLedger, resolveLedgerPath } from '@jobs/ledger/ledger';

/** Runs one remote request. */
export async function remoteExecCommand(argv: string[], deps: CliDeps): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    deps.stdout.write('Usage: farm remote-exec < request.json\n\nInternal: run by the remote path over SSH. Reads {apiKey, task, reason} on stdin.\n');
    return 0;
  }
  if (argv.length > 0) throw new FarmError('EUSAGE', 'remote-exec takes no arguments (the request comes on stdin)');
  let req: RemoteRequest;
  try {
    req = JSON.parse(await readTaskText(deps, undefined)) as RemoteRequest;
  } catch (cause) {
    throw new FarmError('EUSAGE', 'remote-exec: stdin is not a JSON request', { cause });
  }
  const jobReq = (req as { job?: { name?: string; args?: unknown } }).job;
  if (jobReq !== undefined) return runJobHere(deps, jobReq, typeof req.reason === 'string' ? req.reason : 'remote');
  if (typeof req.apiKey !== 'string' || req.apiKey === '') throw new FarmError('EUSAGE', 'remote-exec: the request has no apiKey');
  const task = validateTask(req.task);
  const redact = createRedactor([req.apiKey]);
  const logger = createLogger({ redact, stream: deps.stderr, base: { app: 'farm', role: 'remote-exec' } });
  const rows: LedgerRow[] = [];
  const runtime = readRuntimeEnv(deps.env);
  const ledger = {
    append: async (row: LedgerRow) => {
      rows.push(row);
    },
  };
  const ctx = workerContext(deps, { claudeBin: runtime.FARM_CLAUDE_BIN ?? 'claude', ledger, logger, redact });
  ctx.apiKey = req.apiKey;
  if (typeof req.baseURL === 'string') ctx.baseURL = req.baseURL;
  const result = await runApi(ctx, task, typeof req.reason === 'string' ? req.reason : 'remote', 'remote');
  const reply: RemoteReply = { result, rows };
  deps.stdout.write(`${redact(JSON.stringify(reply))}\n`);
  return result.ok ? 0 : 1;
}

/** A job request: run the job's CLI on this host (it reads this host's repos.env). */
async function runJobHere(deps: CliDeps, req: { name?: string; args?: unknown }, reason: string): Promise<number> {
  const job = checkJob(req.name);
  const args = Array.isArray(req.args) ? req.args.map(String) : [];
  const logger = createLogger({ stream: deps.stderr, base: { app: 'farm', role: 'remote-exec' } });
  const runtime = readRuntimeEnv(deps.env);
  const stateDir = stateDirOf(runtime, deps.home);
  const ledger = createLedger({ path: resolveLedgerPath({ costLedger: runtime.COST_LEDGER, stateDir }), logger });
  const ctx = workerContext(deps, { claudeBin: 'claude', ledger, logger, redact: (s) => s });
  const r = await runJobLocal(ctx, { job, args, path: 'remote', reason, workspaceRoot: deps.workspaceRoot, timeoutMs: 1_800_000 });
  deps.stdout.write(`${JSON.stringify({ job: r })}\n`);
  return r.ok ? 0 : 1;
}

/** The context of a worker-side run: defaults in place of repos.env, which is not read here. */
function workerContext(deps: CliDeps, o: Pick<FarmContext, 'claudeBin' | 'ledger' | 'logger' | 'redact'>): FarmContext {
  const farmDir = join(stateDirOf(readRuntimeEnv(deps.env), deps.home), 'farm');
  return {
    parentEnv: deps.env,
    farmDir,
    projectsDir: join(farmDir, 'projects'),
    watchdogMs: 300_000,
    lockWaitMs: 600_000,
    lockWait: true,
    sessionTtlMs: 0,
    sessionMaxMessages: 0,
    mcpServers: {},
    app: 'farm',
    host: hostname(),
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
    ...o,
  };
}
