// Covers the build (`pnpm build`, scripts/build-apps.ts) as systemd and cron run it: each app's
// dist/ is copied alone (with its package.json) into a bare tree that holds no TypeScript file
// and no node_modules, and run there with Node's type stripping switched off
// (NODE_OPTIONS=--no-experimental-strip-types, which worker threads inherit): every CLI's
// --version and --help, the digest on the sample Maildir through its parse workers
// (dist/parse-worker.js), the digest sent through SMTP (nodemailer bundled, loaded at the send),
// `farm status`, and a digest started by the built farm's run-job, which must start the job's
// build (a .ts entry does not exist there). The build runs first (vitest globalSetup), from the
// sources under test.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIS } from './clis.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SAMPLE = join(ROOT, 'apps/carole-digest/sample/Maildir');
const NO_TS = '--no-experimental-strip-types';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

let tree = '';

function run(cwd: string, args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const base = { PATH: process.env.PATH ?? '', HOME: join(tree, 'home'), JOBS_STATE_DIR: join(tree, 'state'), NODE_OPTIONS: NO_TS };
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, env: { ...base, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  tree = await mkdtemp(join(tmpdir(), 'built-cli-'));
  for (const { dir } of CLIS) {
    await mkdir(join(tree, 'apps', dir), { recursive: true });
    await cp(join(ROOT, 'apps', dir, 'package.json'), join(tree, 'apps', dir, 'package.json'));
    await cp(join(ROOT, 'apps', dir, 'dist'), join(tree, 'apps', dir, 'dist'), { recursive: true });
  }
  await mkdir(join(tree, 'home'));
  // Two parse workers whatever the machine's cores: the run must start dist/parse-worker.js.
  await writeFile(join(tree, 'repos.env'), `DIGEST_SOURCE=maildir:${SAMPLE}\nDIGEST_PARSE_WORKERS=2\n`, { mode: 0o600 });
});

afterAll(async () => {
  if (tree) await rm(tree, { recursive: true, force: true });
});

describe('the detector', () => {
  it('a TypeScript entry fails under the same NODE_OPTIONS, so a .ts left in the build would fail the tests below', async () => {
    const r = await run(ROOT, ['apps/farm/src/cli.ts', '--version']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/ERR_UNKNOWN_FILE_EXTENSION|SyntaxError/);
  });
});

describe.each(CLIS)('built $name', ({ name, dir }) => {
  it('--version prints the name and the package version', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'apps', dir, 'package.json'), 'utf8')) as { version: string };
    const r = await run(tree, [`apps/${dir}/dist/cli.js`, '--version']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${name} ${version}\n`);
  });

  it('--help prints usage, exit 0, nothing on stderr', async () => {
    const r = await run(tree, [`apps/${dir}/dist/cli.js`, '--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/usage/i);
    expect(r.stderr).toBe('');
  });
});

describe('built jobs', () => {
  it('the digest on the sample Maildir parses in its worker threads and writes the HTML', async () => {
    const out = join(tree, 'digest.html');
    const r = await run(tree, ['apps/carole-digest/dist/cli.js', '--dry-run', '--no-llm', '--since', '36500d', '--out', out], { LOG_LEVEL: 'info' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digest \(dry run, not sent\): 32 messages, 18 threads/);
    expect(r.stderr).toContain('"parseWorkers":2');
    // A worker that cannot load its module is replaced, then the pool parses in-process: either says so.
    expect(r.stderr).not.toMatch(/did not start|could not start|in-process/);
    expect(await readFile(out, 'utf8')).toContain('Backyard patio and planting plan');
  });

  it('the digest is sent through SMTP, then the checkpoint moves', async () => {
    await using smtp = await startSmtpCapture();
    const env = join(tree, 'send.env');
    const keys = { DIGEST_SOURCE: `maildir:${SAMPLE}`, SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none', SMTP_USER: smtp.user, SMTP_PASSWORD: smtp.password, DIGEST_FROM: 'digest@example.test', DIGEST_TO: 'owner@example.test' };
    await writeFile(env, `${Object.entries(keys).map(([k, v]) => `${k}=${v}`).join('\n')}\n`, { mode: 0o600 });
    const state = join(tree, 'send-state');
    const r = await run(tree, ['apps/carole-digest/dist/cli.js', '--env-file', env, '--no-llm', '--since', '36500d', '--json'], { JOBS_STATE_DIR: state });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'sent', checkpointAdvanced: true, messages: 32 });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]?.envelope.to).toEqual(['owner@example.test']);
    expect(smtp.messages[0]?.parsed.html).toContain('Backyard patio and planting plan');
    // The next run finds nothing new: no second mail.
    const again = await run(tree, ['apps/carole-digest/dist/cli.js', '--env-file', env, '--no-llm', '--json'], { JOBS_STATE_DIR: state });
    expect(JSON.parse(again.stdout)).toMatchObject({ outcome: 'empty' });
    expect(smtp.messages).toHaveLength(1);
  });

  it('farm status prints every job', async () => {
    const r = await run(tree, ['apps/farm/dist/cli.js', 'status', '--json'], { REPOS_ENV: join(tree, 'repos.env') });
    expect(r.code, r.stderr).toBe(0);
    const status = JSON.parse(r.stdout) as { jobs: Array<{ job: string }>; queue: unknown };
    expect(status.jobs.map((j) => j.job)).toEqual(['digest', 'lead-responder']);
    expect(status.queue).toBeNull();
  });

  it('the built farm runs the digest from its build (run-job)', async () => {
    const out = join(tree, 'run-job.html');
    const r = await run(tree, ['apps/farm/dist/cli.js', 'run-job', 'digest', '--json', '--', '--dry-run', '--no-llm', '--since', '36500d', '--out', out, '--json'], { REPOS_ENV: join(tree, 'repos.env') });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, job: 'digest', exitCode: 0, jobSummary: { outcome: 'dry-run', messages: 32, threads: 18 } });
    expect(await readFile(out, 'utf8')).toContain('Backyard patio and planting plan');
  });
});
