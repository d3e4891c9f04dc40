// Benchmark: cold start of every CLI, as cron and systemd start them. For each command it runs
// the real CLI as a child BENCH_ROUNDS times (default 5) and reports the median wall time to
// exit and the median peak RSS (GNU time's %M), once "after" (this Node, plain `node cli.ts`,
// Node's own type stripping) and, when BENCH_NODE_BEFORE names a Node 20 binary, once "before"
// (that Node with `--import tsx`, as the suite ran until it moved to Node 24). Commands: --help,
// --version, and a digest run with nothing to do (an empty Maildir, --dry-run --no-llm).
// Prints one JSON line. Needs /usr/bin/time (Debian's `time` package).
// Run: node test/bench/cold-start.ts
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BEFORE = process.env.BENCH_NODE_BEFORE;

interface Sample {
  readonly wallMs: number;
  readonly rssMb: number;
  readonly code: number;
}

function once(node: string, nodeArgs: string[], args: string[], env: Record<string, string>): Promise<Sample> {
  return new Promise((resolve) => {
    execFile('/usr/bin/time', ['-f', '@@%e %M', node, ...nodeArgs, ...args], { cwd: ROOT, env, timeout: 120_000 }, (err, _out, stderr) => {
      const m = /@@([\d.]+) (\d+)/.exec(stderr);
      resolve({ wallMs: Number(m?.[1] ?? Number.NaN) * 1000, rssMb: Number(m?.[2] ?? Number.NaN) / 1024, code: err ? Number((err as { code?: number }).code ?? 1) : 0 });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

async function measure(node: string, nodeArgs: string[], args: string[], env: Record<string, string>) {
  const samples: Sample[] = [];
  for (let i = 0; i < ROUNDS; i++) samples.push(await once(node, nodeArgs, args, env));
  return { wallMs: Math.round(median(samples.map((s) => s.wallMs))), peakRssMb: Math.round(median(samples.map((s) => s.rssMb))), exit: samples[0]?.code };
}

const dir = await mkdtemp(join(tmpdir(), 'bench-cold-'));
for (const sub of ['cur', 'new', 'tmp']) await mkdir(join(dir, 'Maildir', sub), { recursive: true });
await writeFile(join(dir, 'repos.env'), `DIGEST_SOURCE=maildir:${join(dir, 'Maildir')}\n`, { mode: 0o600 });
const env = { PATH: process.env.PATH ?? '', HOME: dir, JOBS_STATE_DIR: join(dir, 'state'), LOG_LEVEL: 'silent' };
const commands: Record<string, string[]> = {
  'digest --help': ['apps/carole-digest/src/cli.ts', '--', '--help'],
  'digest --version': ['apps/carole-digest/src/cli.ts', '--', '--version'],
  'digest, no new mail': ['apps/carole-digest/src/cli.ts', '--', '--env-file', join(dir, 'repos.env'), '--dry-run', '--no-llm', '--out', join(dir, 'out.html')],
  'lead-responder --help': ['apps/gmb-lead-responder/src/cli.ts', '--', '--help'],
  'farm --help': ['apps/farm/src/cli.ts', '--', '--help'],
  'cost --help': ['apps/cost/src/cli.ts', '--', '--help'],
};
const out: Record<string, unknown> = { rounds: ROUNDS, node: process.version, before: BEFORE ?? null };
for (const [name, args] of Object.entries(commands)) {
  const after = await measure(process.execPath, [], args, env);
  const before = BEFORE ? await measure(BEFORE, ['--import', 'tsx'], args, env) : undefined;
  out[name] = before ? { after, before } : { after };
}
process.stdout.write(`${JSON.stringify(out)}\n`);
