// Benchmark: the farm router's overhead per task. The same atomic task N times against the
// Anthropic simulator (loopback), once through `farm run` in-process (argv parsing, repos.env
// load, route, context, ledger row with the reason) and once as a bare @jobs/claude call with
// the same ledger; plus the subscription path's wrapper (lock, session, env, guards) around
// the real CLI versus the CLI spawned directly. Prints one JSON line.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createClaudeClient } from '@jobs/claude/client';
import { createLedger } from '@jobs/ledger/ledger';
import { CLAUDE_CLI_QUIET_ENV, claudeCliArgs, claudeCliEnv, claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { main } from '@jobs/farm/main';

const KEY = 'sk-ant-api03-bench-key-0123456789';
const TOKEN = 'sk-ant-oat01-bench-token-0123456789';
const N = Number(process.env.BENCH_N ?? 200);
const M = Number(process.env.BENCH_CLI_N ?? 5);
const sink = { write: () => true, isTTY: false };

const root = await mkdtemp(join(tmpdir(), 'farm-bench-'));
const sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
sim.respond(() => ({ kind: 'reply', text: 'ok' }));
const reposEnv = join(root, 'repos.env');
await writeFile(reposEnv, `ANTHROPIC_API_KEY=${KEY}\nANTHROPIC_BASE_URL=${sim.url}\nFARM_CLAUDE_BIN=${claudeCliPath()}\n`, { mode: 0o600 });
const env = { PATH: process.env.PATH ?? '', HOME: join(root, 'home'), JOBS_STATE_DIR: join(root, 'state'), COST_LEDGER: join(root, 'ledger.jsonl'), REPOS_ENV: reposEnv, ...CLAUDE_CLI_QUIET_ENV };
const deps = (stdin: string, extra: Record<string, string> = {}) => ({ env: { ...env, ...extra }, stdout: sink, stderr: sink, stdin: Readable.from([stdin]), cwd: root, home: env.HOME, workspaceRoot: root });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// Warm both paths (module loading, connection pool).
await main(['run', '--atomic'], deps('warm'));
const farmMs: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  const code = await main(['run', '--atomic'], deps(`task ${i}`));
  farmMs.push(performance.now() - t);
  if (code !== 0) throw new Error(`farm run failed with ${code}`);
}
const ledger = createLedger({ path: join(root, 'direct.jsonl') });
const directMs: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  const client = createClaudeClient({ apiKey: KEY, baseURL: sim.url, app: 'bench', job: 'direct', runId: String(i), budgetUsd: 0.5, ledger });
  await client.message({ callSite: 'bench', messages: [{ role: 'user', content: `task ${i}` }], maxTokens: 2048 });
  directMs.push(performance.now() - t);
}

async function rawCli(): Promise<number> {
  const home = join(root, 'rawhome');
  const t = performance.now();
  const child = spawn(claudeCliPath(), claudeCliArgs(), { cwd: root, env: claudeCliEnv({ simUrl: sim.url, home, credential: { oauthToken: TOKEN } }), stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin.end('hi');
  await new Promise((r) => child.on('close', r));
  return performance.now() - t;
}
const rawMs: number[] = [];
const subMs: number[] = [];
for (let i = 0; i < M; i++) {
  rawMs.push(await rawCli());
  const t = performance.now();
  const code = await main(['run', '--path', 'subscription', '--project', 'bench'], deps('hi', { CLAUDE_CODE_OAUTH_TOKEN: TOKEN }));
  subMs.push(performance.now() - t);
  if (code !== 0) throw new Error(`farm subscription run failed with ${code}`);
}
await sim.close();
await rm(root, { recursive: true, force: true });
const r = (x: number) => Math.round(x * 100) / 100;
console.log(
  JSON.stringify({
    bench: 'farm-router-overhead',
    tasks: N,
    api_farm_run_median_ms: r(median(farmMs)),
    api_direct_client_median_ms: r(median(directMs)),
    api_router_overhead_median_ms: r(median(farmMs) - median(directMs)),
    cli_runs: M,
    subscription_farm_run_median_ms: r(median(subMs)),
    subscription_raw_cli_median_ms: r(median(rawMs)),
    subscription_wrapper_overhead_median_ms: r(median(subMs) - median(rawMs)),
  }),
);
