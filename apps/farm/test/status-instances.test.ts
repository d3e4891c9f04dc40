// Covers `farm status` with a jobs file: one line per instance after a scripted history per
// instance (one succeeded then failed twice, one is running and holds its lock), the next run
// from each instance's own cron and zone, today's billed spend from the ledger rows carrying
// the instance against its per-run budget, the table on a terminal; and that status (and
// `farm alert --help`) needs no repos.env: exit 0 on the defaults.
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '@jobs/core/lock';
import { historyPath, putRun, type RunRecord } from '../src/history.ts';
import { main } from '../src/main.ts';
import { Capture, sandbox, type Sandbox } from './helpers.ts';

const NOW = Date.parse('2026-11-23T10:00:00Z'); // 11:00 in Paris

function rec(instance: string, job: string, startedAt: string, outcome: RunRecord['outcome'], more: Partial<RunRecord> = {}): RunRecord {
  const closed = outcome === 'running' ? {} : { endedAt: new Date(Date.parse(startedAt) + 65_000).toISOString(), durationMs: 65_000, exitCode: outcome === 'ok' ? 0 : 1 };
  return { id: `${instance}-${startedAt}`, job, instance, trigger: 'schedule', startedAt, outcome, pid: 4242, host: hostname(), ...closed, ...more };
}

function ledgerRow(ts: string, app: string, usd: number, instance?: string, path = 'api') {
  return { ts, run_id: 'r', app, job: 'x', call_site: 'summarize', path, host: 'h', model: 'claude-haiku-5-5', input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, usd, latency_ms: 1, attempts: 1, outcome: 'ok', request_id: null, ...(instance ? { instance } : {}) };
}

async function jobsFile(sb: Sandbox): Promise<string> {
  const file = join(sb.root, 'jobs.json');
  const instances = [
    { name: 'acme', job: 'digest', reposEnv: 'acme.env', budgetUsd: 0.2, schedule: { cron: '0 7 * * *', timezone: 'America/New_York' } },
    { name: 'bolt', job: 'lead-responder', reposEnv: 'bolt.env', schedule: { cron: '*/10 * * * *' } },
  ];
  await writeFile(file, JSON.stringify({ instances }, null, 2));
  return file;
}

describe('farm status with a jobs file', () => {
  it('--json: one line per instance with its history, next run, spend, budget and lock; the table', async () => {
    await using sb = await sandbox();
    await sb.writeEnv({ FARM_TIMEZONE: 'Europe/Paris', FARM_DAILY_API_BUDGET_USD: 2 });
    const file = await jobsFile(sb);
    const farm = join(sb.state, 'farm');
    const acme = historyPath(farm, 'instance-acme');
    await putRun(acme, rec('acme', 'digest', '2026-11-22T12:00:00.000Z', 'ok'));
    await putRun(acme, rec('acme', 'digest', '2026-11-23T05:00:00.000Z', 'failed', { code: 'EAUTH', reason: 'IMAP login refused' }));
    await putRun(acme, rec('acme', 'digest', '2026-11-23T06:00:00.000Z', 'failed', { code: 'EAUTH', reason: 'IMAP login refused' }));
    const bolt = historyPath(farm, 'instance-bolt');
    await putRun(bolt, rec('bolt', 'lead-responder', '2026-11-23T09:40:00.000Z', 'failed', { code: 'ECONNECTION', reason: 'no route' }));
    await putRun(bolt, rec('bolt', 'lead-responder', '2026-11-23T09:50:00.000Z', 'ok'));
    await putRun(bolt, rec('bolt', 'lead-responder', '2026-11-23T09:59:00.000Z', 'running', { pid: process.pid }));
    await using _lock = await acquireLock({ path: join(farm, 'locks', 'instance-bolt.lock') });
    // A digest run of the single-instance setup must not count for acme; yesterday's and the subscription's neither.
    const rows = [
      ledgerRow('2026-11-22T20:00:00.000Z', 'digest', 5, 'acme'),
      ledgerRow('2026-11-23T05:01:00.000Z', 'digest', 0.125, 'acme'),
      ledgerRow('2026-11-23T06:01:00.000Z', 'digest', 0.0625, 'acme'),
      ledgerRow('2026-11-23T06:02:00.000Z', 'digest', 1),
      ledgerRow('2026-11-23T09:51:00.000Z', 'lead-responder', 0.5, 'bolt', 'subscription'),
      ledgerRow('2026-11-23T09:52:00.000Z', 'lead-responder', 0.25, 'bolt'),
    ];
    await writeFile(sb.ledger, rows.map((r) => `${JSON.stringify(r)}\n`).join(''), { mode: 0o600 });

    const stdout = new Capture();
    const stderr = new Capture();
    const deps = { env: { ...sb.env, JOBS_FILE: file }, stdout, stderr, cwd: sb.root, home: sb.home, workspaceRoot: sb.root, now: () => NOW };
    expect(await main(['status', '--json'], deps), stderr.text).toBe(0);
    const out = JSON.parse(stdout.text) as { jobsFile: string; jobs: Array<Record<string, unknown>> };
    expect(out.jobsFile).toBe(file);
    expect(out.jobs).toHaveLength(2);
    const [a, b] = out.jobs;
    expect(a).toMatchObject({
      instance: 'acme',
      job: 'digest',
      cron: '0 7 * * *',
      timezone: 'America/New_York',
      lastRun: { startedAt: '2026-11-23T06:00:00.000Z', outcome: 'failed', exitCode: 1, durationMs: 65_000, reason: 'EAUTH: IMAP login refused', trigger: 'schedule' },
      nextRun: '2026-11-23T12:00:00.000Z', // 07:00 in New York
      consecutiveFailures: 2,
      spentTodayUsd: 0.1875,
      budgetUsd: 0.2,
      budgetPer: 'run',
      lock: null,
    });
    expect(b).toMatchObject({
      instance: 'bolt',
      job: 'lead-responder',
      timezone: 'Europe/Paris',
      lastRun: { outcome: 'running', endedAt: null, exitCode: null },
      nextRun: '2026-11-23T10:10:00.000Z',
      consecutiveFailures: 0,
      spentTodayUsd: 0.25,
      budgetUsd: null,
      budgetPer: null,
      lock: { pid: process.pid, host: hostname(), alive: true },
    });

    const table = new Capture();
    expect(await main(['status', '--jobs', file], { ...deps, env: sb.env, stdout: table })).toBe(0);
    const lines = table.text.split('\n');
    expect(lines[0]).toMatch(/^instance\s+job\s+last run\s+outcome\s+exit\s+took\s+next run\s+fails\s+spent today\s+lock\s+reason$/);
    expect(lines[1]).toMatch(/^acme\s+digest\s+2026-11-23 07:00\s+failed\s+1\s+65\.0 s\s+2026-11-23 13:00\s+2\s+\$0\.188 \/ \$0\.20 a run\s+-\s+EAUTH: IMAP login refused$/);
    expect(lines[2]).toMatch(new RegExp(`^bolt\\s+lead-responder\\s+2026-11-23 10:59\\s+running\\s+-\\s+-\\s+2026-11-23 11:10\\s+0\\s+\\$0\\.250\\s+pid ${process.pid}@`));
  });

  it('needs no repos.env: status (with and without a jobs file) and alert --help exit 0', async () => {
    await using sb = await sandbox();
    const env = { REPOS_ENV: '' };
    const plain = await sb.run(['status', '--json'], '', env);
    expect(plain.code, plain.stderr.text).toBe(0);
    expect(plain.stderr.text).toContain('farm: no repos.env: status with the default settings');
    expect((JSON.parse(plain.stdout.text) as { jobs: Array<{ job: string; instance: null }> }).jobs.map((j) => [j.job, j.instance])).toEqual([
      ['digest', null],
      ['lead-responder', null],
    ]);
    const file = await jobsFile(sb);
    const withJobs = await sb.run(['status', '--jobs', file], '', env);
    expect(withJobs.code, withJobs.stderr.text).toBe(0);
    expect(withJobs.stdout.text).toMatch(/^instance\s+job\s/);
    const help = await sb.run(['alert', '--help'], '', env);
    expect(help.code, help.stderr.text).toBe(0);
    expect(help.stdout.text).toMatch(/^Usage: farm alert/);
    // A repos.env named on purpose that is missing is still a configuration error.
    expect((await sb.run(['status'])).code).toBe(78);
  });
});
