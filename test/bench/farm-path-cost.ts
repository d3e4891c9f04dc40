// Benchmark: what the same task costs on each path, per the ledger. One prompt run K times on
// the subscription (real Claude Code CLI, OAuth token, against the simulator) and K times on
// the API path (@jobs/claude); the ledger's summary by path gives the subscription's
// equivalent dollars (not billed) and the API's billed dollars, with tokens. Prints one JSON line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readLedger } from '@jobs/ledger/read';
import { summarizeStream } from '@jobs/ledger/report';
import { CLAUDE_CLI_QUIET_ENV, claudeCliPath, startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { main } from '@jobs/farm/main';

const KEY = 'sk-ant-api03-bench-key-0123456789';
const TOKEN = 'sk-ant-oat01-bench-token-0123456789';
const K = Number(process.env.BENCH_K ?? 3);
const TASK = 'Summarize in two sentences: the client wants the garden quote by Friday and asks whether the patio can be done in oak.';
const sink = { write: () => true, isTTY: false };

const root = await mkdtemp(join(tmpdir(), 'farm-cost-'));
const sim = await startAnthropicSimulator({ apiKeys: [KEY], oauthTokens: [TOKEN] });
sim.respond(() => ({ kind: 'reply', text: 'The client needs the quote by Friday. They ask if the patio can be oak.' }));
const reposEnv = join(root, 'repos.env');
await writeFile(reposEnv, `ANTHROPIC_API_KEY=${KEY}\nANTHROPIC_BASE_URL=${sim.url}\nFARM_CLAUDE_BIN=${claudeCliPath()}\n`, { mode: 0o600 });
const ledgerPath = join(root, 'ledger.jsonl');
const env = { PATH: process.env.PATH ?? '', HOME: join(root, 'home'), JOBS_STATE_DIR: join(root, 'state'), COST_LEDGER: ledgerPath, REPOS_ENV: reposEnv, CLAUDE_CODE_OAUTH_TOKEN: TOKEN, ...CLAUDE_CLI_QUIET_ENV };
const run = (argv: string[]) => main(argv, { env, stdout: sink, stderr: sink, stdin: Readable.from([TASK]), cwd: root, home: env.HOME, workspaceRoot: root });

for (let i = 0; i < K; i++) {
  if ((await run(['run', '--path', 'subscription', '--project', 'cost'])) !== 0) throw new Error('subscription run failed');
  if ((await run(['run', '--path', 'api', '--project', 'cost'])) !== 0) throw new Error('api run failed');
}
const s = await summarizeStream(readLedger(ledgerPath), { by: 'path' });
await sim.close();
await rm(root, { recursive: true, force: true });
const by = Object.fromEntries(s.groups.map((g) => [g.key, g]));
const sub = by.subscription;
const api = by.api;
console.log(
  JSON.stringify({
    bench: 'farm-path-cost',
    runs_per_path: K,
    subscription_equivalent_usd_per_task: sub ? sub.equivalentUsd / sub.calls : null,
    subscription_tokens_per_task: sub ? { input: sub.inputTokens / sub.calls, output: sub.outputTokens / sub.calls, cache_write: sub.cacheCreationInputTokens / sub.calls, cache_read: sub.cacheReadInputTokens / sub.calls } : null,
    api_billed_usd_per_task: api ? api.billedUsd / api.calls : null,
    api_tokens_per_task: api ? { input: api.inputTokens / api.calls, output: api.outputTokens / api.calls } : null,
    ratio_subscription_equivalent_to_api: sub && api && api.billedUsd > 0 ? Math.round((sub.equivalentUsd / api.billedUsd) * 10) / 10 : null,
  }),
);
