// Covers `farm status` after a scripted history: a job whose last two runs failed after a
// success (consecutive failures, the reason), a job running now whose lock this process holds
// (holder pid, host, alive), a running record whose process is gone (interrupted), the next run
// from the cron in the zone at the injected clock, today's billed spend from the ledger (not
// yesterday's, not the subscription's), the table on a terminal, --help, and 0600 history; the
// queue depth from the sources and from the build (bullmq stays in node_modules, outside the
// bundle: the built farm must still find it).
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '@jobs/core/lock';
import { historyPath, putRun, type RunRecord } from '../src/history.ts';
import { Capture, sandbox, WORKSPACE } from './helpers.ts';
import { main } from '../src/main.ts';
import { enqueueTasks } from '../src/queue.ts';
import { startRedis } from './servers.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z'); // 11:00 in Paris

function rec(job: string, startedAt: string, outcome: RunRecord['outcome'], more: Partial<RunRecord> = {}): RunRecord {
  const end = Date.parse(startedAt) + 4200;
  const closed = outcome === 'running' ? {} : { endedAt: new Date(end).toISOString(), durationMs: 4200, exitCode: outcome === 'ok' ? 0 : 1 };
  return { id: `${job}-${startedAt}`, job, trigger: 'cron', startedAt, outcome, pid: 4242, host: hostname(), ...closed, ...more };
}

function ledgerRow(ts: string, app: string, usd: number, path = 'api') {
  return { ts, run_id: 'r', app, job: 'x', call_site: 'summarize', path, host: 'h', model: 'claude-haiku-5-5', input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, usd, latency_ms: 1, attempts: 1, outcome: 'ok', request_id: null };
}

describe('farm status', () => {
  it('--json after success, failures, a running locked job; the table; an interrupted run', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_DAILY_API_BUDGET_USD: 2 });
    const farm = join(sb.state, 'farm');
    const digest = historyPath(farm, 'digest');
    await putRun(digest, rec('digest', '2026-11-22T17:00:00.000Z', 'ok'));
    await putRun(digest, rec('digest', '2026-11-23T05:00:00.000Z', 'failed', { code: 'EAUTH', reason: 'IMAP login refused' }));
    await putRun(digest, rec('digest', '2026-11-23T05:30:00.000Z', 'failed', { code: 'EAUTH', reason: 'IMAP login refused' }));
    const lead = historyPath(farm, 'lead-responder');
    await putRun(lead, rec('lead-responder', '2026-11-23T09:50:00.000Z', 'ok'));
    await putRun(lead, rec('lead-responder', '2026-11-23T09:55:00.000Z', 'running', { pid: process.pid }));
    await using _lock = await acquireLock({ path: join(farm, 'locks', 'job-lead-responder.lock') });
    const rows = [ledgerRow('2026-11-22T20:00:00.000Z', 'digest', 5), ledgerRow('2026-11-23T05:01:00.000Z', 'digest', 0.125), ledgerRow('2026-11-23T09:56:00.000Z', 'lead-responder', 0.5, 'subscription')];
    await writeFile(sb.ledger, rows.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });

    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(['status', '--json'], { env: sb.env, stdout, stderr, cwd: sb.root, home: sb.home, workspaceRoot: sb.root, now: () => NOW });
    expect(code, stderr.text).toBe(0);
    const out = JSON.parse(stdout.text) as { timezone: string; jobs: Array<Record<string, unknown>>; queue: unknown };
    expect(out.timezone).toBe('Europe/Paris');
    expect(out.queue).toBeNull();
    const [d, l] = out.jobs;
    expect(d).toMatchObject({
      job: 'digest',
      lastRun: { startedAt: '2026-11-23T05:30:00.000Z', outcome: 'failed', exitCode: 1, durationMs: 4200, reason: 'EAUTH: IMAP login refused', trigger: 'cron' },
      nextRun: '2026-11-23T17:00:00.000Z',
      consecutiveFailures: 2,
      spentTodayUsd: 0.125,
      budgetUsd: 2,
      lock: null,
    });
    expect(l).toMatchObject({
      job: 'lead-responder',
      lastRun: { outcome: 'running', endedAt: null },
      nextRun: '2026-11-23T10:05:00.000Z',
      consecutiveFailures: 0,
      spentTodayUsd: 0,
      lock: { pid: process.pid, host: hostname(), alive: true },
    });
    expect((await stat(digest)).mode & 0o777).toBe(0o600);

    const table = { stdout: new Capture() };
    expect(await main(['status'], { env: sb.env, stdout: table.stdout, stderr, cwd: sb.root, home: sb.home, workspaceRoot: sb.root, now: () => NOW })).toBe(0);
    const lines = table.stdout.text.split('\n');
    expect(lines[0]).toMatch(/^job\s+last run\s+outcome\s+exit\s+took\s+next run\s+fails\s+spent today\s+lock\s+reason$/);
    expect(lines[1]).toMatch(/^digest\s+2026-11-23 06:30\s+failed\s+1\s+4\.2 s\s+2026-11-23 18:00\s+2\s+\$0\.125 \/ \$2\.00\s+-\s+EAUTH: IMAP login refused$/);
    expect(lines[2]).toContain(`pid ${process.pid}@${hostname()}`);
    expect(table.stdout.text).toContain('times in Europe/Paris; queue: none (REDIS_URL unset)');

    // The running record of a process that is gone (killed at a timeout, a reboot): interrupted.
    await putRun(lead, rec('lead-responder', '2026-11-23T09:55:00.000Z', 'running', { pid: 2 ** 22 + 1 }));
    const again = await sb.run(['status', '--json']);
    expect((JSON.parse(again.stdout.text) as { jobs: Array<{ lastRun: { outcome: string; reason: string } }> }).jobs[1]?.lastRun).toMatchObject({ outcome: 'interrupted', reason: `pid ${2 ** 22 + 1} is gone` });

    const help = await sb.run(['status', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: farm status/);
  });

  it('shows the queue depth when REDIS_URL is set', async () => {
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    await sb.writeEnv({ REDIS_URL: redis.url, FARM_QUEUE_NAME: 'status-test' });
    const task = (id: string) => ({ task: { id, prompt: 'hi', project: 'default', atomic: true, agent: false, maxTurns: 1, maxBudgetUsd: 0.1, maxTokens: 10, mcpServers: [] }, policy: 'api' as const });
    await enqueueTasks(redis.url, 'status-test', [task('a'), task('b'), task('c')]);
    const r = await sb.run(['status', '--json']);
    expect(r.code, r.stderr.text).toBe(0);
    expect((JSON.parse(r.stdout.text) as { queue: unknown }).queue).toEqual({ name: 'status-test', waiting: 3, active: 0, delayed: 0, failed: 0 });
  });

  it('the built farm (dist/cli.js, type stripping off) reads the queue depth through bullmq', async () => {
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    await sb.writeEnv({ REDIS_URL: redis.url, FARM_QUEUE_NAME: 'built-status' });
    const task = { task: { id: 'a', prompt: 'hi', project: 'default', atomic: true, agent: false, maxTurns: 1, maxBudgetUsd: 0.1, maxTokens: 10, mcpServers: [] }, policy: 'api' as const };
    await enqueueTasks(redis.url, 'built-status', [task]);
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['apps/farm/dist/cli.js', 'status', '--json'], { cwd: WORKSPACE, env: { ...sb.env, NODE_OPTIONS: '--no-experimental-strip-types' }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { queue: unknown }).queue).toEqual({ name: 'built-status', waiting: 1, active: 0, delayed: 0, failed: 0 });
  });
});
