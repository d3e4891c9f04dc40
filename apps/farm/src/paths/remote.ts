/**
 * The remote path: the task runs on a worker host over SSH (`ssh -o BatchMode=yes`, never a
 * password prompt). The API key travels on ssh's stdin, inside the one JSON request of this
 * invocation: never in argv (visible in `ps` on both hosts), never in the remote environment
 * or a profile file. The worker runs `farm remote-exec`, which reads that request, runs the
 * task on the API path and prints one JSON line: the result and its ledger rows.
 */
import { spawn as nodeSpawn } from 'node:child_process';
import { childEnv } from '@jobs/credentials/child-env';
import type { LedgerRow } from '@jobs/ledger/row';
import type { FarmContext, RemoteSettings } from '../context.ts';
import { FarmError } from '../errors.ts';
import { killGroup, type SpawnFn } from '@jobs/claude/cli-run';
import { appendRow } from '../ledger.ts';
import type { TaskResult } from '../result.ts';
import type { Task } from '../task.ts';

/** What `farm remote-exec` reads on stdin. */
export interface RemoteRequest {
  apiKey: string;
  baseURL?: string;
  task: Task;
  reason: string;
}

/** What `farm remote-exec` prints. */
export interface RemoteReply {
  result: TaskResult;
  rows: LedgerRow[];
}

/**
 * ssh's arguments: options, destination, `--`, the remote command. No secret among them.
 * `StrictHostKeyChecking=yes` always (a command-line option outranks any ssh_config that says
 * `no` or `accept-new`): the API key goes on stdin, so only a host whose key is already known
 * (FARM_SSH_KNOWN_HOSTS, else the user's known_hosts) may receive it.
 */
export function sshArgs(r: RemoteSettings): string[] {
  const args = ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=15', '-o', 'StrictHostKeyChecking=yes', '-T'];
  if (r.port !== undefined) args.push('-p', String(r.port));
  if (r.identityFile !== undefined) args.push('-i', r.identityFile, '-o', 'IdentitiesOnly=yes');
  if (r.knownHostsFile !== undefined) args.push('-o', `UserKnownHostsFile=${r.knownHostsFile}`);
  args.push(r.user !== undefined ? `${r.user}@${r.host}` : r.host, '--', r.command);
  return args;
}

/** Sends one JSON request to `farm remote-exec` on the worker and returns its last stdout line, parsed. */
export async function sshRoundTrip(ctx: FarmContext, payload: object): Promise<{ reply: unknown; code: number | null; stderr: string }> {
  const r = ctx.remote;
  if (r === undefined) throw new FarmError('ECONFIG', 'the remote path needs FARM_SSH_HOST in repos.env', { option: 'FARM_SSH_HOST' });
  const { env } = childEnv('plain', { parentEnv: ctx.parentEnv, allow: ['SSH_AUTH_SOCK'] });
  const spawn = ctx.spawn ?? (nodeSpawn as SpawnFn);
  const child = spawn(r.sshBin ?? 'ssh', sshArgs(r), { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let out = '';
  let err = '';
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    if (err.length < 16_384) err += c.toString();
  });
  child.stdin?.on('error', () => {});
  // The secret travels here, on ssh's stdin, for this invocation only.
  child.stdin?.end(`${JSON.stringify(payload)}\n`);
  // The worker prints only at the end; a hung connection is bounded by three watchdog periods.
  const timer = setTimeout(() => killGroup(child), ctx.watchdogMs * 3);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', (e) => {
      err += String(e);
      resolve(null);
    });
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  let reply: unknown;
  try {
    reply = JSON.parse(out.trim().split('\n').pop() ?? '');
  } catch {
    reply = undefined;
  }
  return { reply, code, stderr: ctx.redact(err.trim()) };
}

/** Runs a task on the remote worker; appends the rows it reports to the local ledger. */
export async function runRemote(ctx: FarmContext, task: Task, reason: string): Promise<TaskResult> {
  if (ctx.apiKey === undefined) throw new FarmError('ECONFIG', 'the remote path needs ANTHROPIC_API_KEY in repos.env (it is sent to the worker on stdin)', { option: 'ANTHROPIC_API_KEY' });
  const request: RemoteRequest = { apiKey: ctx.apiKey, task, reason };
  if (ctx.baseURL !== undefined) request.baseURL = ctx.baseURL;
  const started = ctx.now();
  const { reply, code, stderr } = await sshRoundTrip(ctx, request);
  const rep = reply as RemoteReply | undefined;
  if (rep?.result === undefined) {
    throw new FarmError('ESSH', `the remote worker ${ctx.remote?.host ?? '?'} gave no result (ssh exit ${code}): ${stderr.slice(0, 400)}`, { exitCode: code, durationMs: ctx.now() - started });
  }
  for (const row of rep.rows ?? []) await appendRow(ctx, { ...row, path: 'remote', reason });
  return { ...rep.result, path: 'remote', reason };
}
