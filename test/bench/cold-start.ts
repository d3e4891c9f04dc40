// Benchmark: cold start of every CLI. For each command it runs the real CLI as a child
// BENCH_ROUNDS times (default 5) and reports the median wall time to exit and the median peak
// RSS (GNU time's %M), in both forms: "src" (`node apps/<app>/src/cli.ts`, Node's own type
// stripping, as `pnpm farm` and the tests run) and "dist" (`node apps/<app>/dist/cli.js`, the
// build, as systemd and cron run it; run `pnpm build` first). When BENCH_NODE_BEFORE names a
// Node 20 binary, also "tsx" (that Node with `--import tsx` on the sources, as the suite ran
// before Node 24). Commands: --help and --version of each CLI, the runs with nothing to do: a
// digest on an empty Maildir (a dry run without Claude, and a scheduled run with an API key and
// SMTP configured), `farm status` (no jobs file, then a jobs file of two instances in two zones),
// `farm run-job digest` (farm and its child, in the same form); and for scale the bare Node start
// (`node -e 0`). When BENCH_BEFORE_DIR names another checkout of the workspace, built
// (`pnpm build` there), also "before" (its dist), to compare two builds on the same machine.
// Prints one JSON line on stdout and a table on stderr. Needs /usr/bin/time (Debian's `time`).
// Run: pnpm build && node test/bench/cold-start.ts
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BEFORE = process.env.BENCH_NODE_BEFORE;
const BEFORE_DIR = process.env.BENCH_BEFORE_DIR;

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
const reposEnv = join(dir, 'repos.env');
// A scheduled run's settings: a key and an SMTP server (never reached: there is nothing to send).
await writeFile(reposEnv, `DIGEST_SOURCE=maildir:${join(dir, 'Maildir')}\nANTHROPIC_API_KEY=sk-ant-bench-0000\nSMTP_HOST=127.0.0.1\nDIGEST_FROM=digest@example.invalid\nDIGEST_TO=owner@example.invalid\n`, { mode: 0o600 });
// Two instances, one in its own zone: status reads the jobs file (YAML parser, schema) and
// computes a next run per zone.
const jobsFile = join(dir, 'jobs.json');
const instances = [
  { name: 'acme-digest', job: 'digest', reposEnv: reposEnv, schedule: { cron: '0 7,17 * * *', timezone: 'Europe/Paris' }, budgetUsd: 0.1 },
  { name: 'bolt-leads', job: 'lead-responder', reposEnv: reposEnv, schedule: { cron: '*/10 * * * 1-5' } },
];
await writeFile(jobsFile, `${JSON.stringify({ instances }, null, 2)}\n`);
const env = { PATH: process.env.PATH ?? '', HOME: dir, JOBS_STATE_DIR: join(dir, 'state'), LOG_LEVEL: 'silent', REPOS_ENV: reposEnv };
const APPS = { digest: 'carole-digest', 'lead-responder': 'gmb-lead-responder', farm: 'farm', cost: 'cost', mailbox: 'mailbox' } as const;
const commands: Array<[string, keyof typeof APPS, string[]]> = [
  ...Object.keys(APPS).flatMap((app): Array<[string, keyof typeof APPS, string[]]> => [
    [`${app} --help`, app as keyof typeof APPS, ['--help']],
    [`${app} --version`, app as keyof typeof APPS, ['--version']],
  ]),
  ['digest, no new mail (--dry-run --no-llm)', 'digest', ['--dry-run', '--no-llm', '--out', join(dir, 'out.html')]],
  ['digest, no new mail (scheduled run)', 'digest', []],
  ['farm status', 'farm', ['status']],
  ['farm status, jobs file of two instances', 'farm', ['status', '--jobs', jobsFile]],
  // What a systemd timer or a crontab line runs: farm, then the digest as its child (peak: the larger).
  ['farm run-job digest, no new mail', 'farm', ['run-job', 'digest']],
];
const entry = (app: keyof typeof APPS, form: 'src' | 'dist', root = ''): string[] => (form === 'src' ? [`apps/${APPS[app]}/src/cli.ts`, '--'] : [join(root, `apps/${APPS[app]}/dist/cli.js`)]);
const out: Record<string, unknown> = { rounds: ROUNDS, node: process.version, tsxNode: BEFORE ?? null, 'node -e 0': await measure(process.execPath, [], ['-e', '0'], env) };
const rows: string[] = [];
const cell = (m: { wallMs: number; peakRssMb: number }): string => `${(m.wallMs / 1000).toFixed(2)} s ${String(m.peakRssMb).padStart(3)} MB`;
for (const [name, app, args] of commands) {
  const src = await measure(process.execPath, [], [...entry(app, 'src'), ...args], env);
  const dist = await measure(process.execPath, [], [...entry(app, 'dist'), ...args], env);
  const tsx = BEFORE ? await measure(BEFORE, ['--import', 'tsx'], [...entry(app, 'src'), ...args], env) : undefined;
  const before = BEFORE_DIR ? await measure(process.execPath, [], [...entry(app, 'dist', BEFORE_DIR), ...args], env) : undefined;
  out[name] = { src, dist, ...(tsx ? { tsx } : {}), ...(before ? { before } : {}) };
  const exits = before ? `${src.exit}/${dist.exit}/${before.exit}` : `${src.exit}/${dist.exit}`;
  rows.push(`${name.padEnd(44)} ${cell(src)}   ${cell(dist)}${before ? `   ${cell(before)}` : ''}${tsx ? `   ${cell(tsx)}` : ''}${/[^0/]/.test(exits) ? `   exit ${exits}` : ''}`);
}
process.stderr.write(`${'command'.padEnd(44)} ${'src (.ts)'.padEnd(15)}   ${'dist (.js)'.padEnd(15)}${BEFORE_DIR ? `   ${'before (dist)'.padEnd(15)}` : ''}${BEFORE ? '   tsx' : ''}\n${rows.join('\n')}\n`);
process.stdout.write(`${JSON.stringify(out)}\n`);
