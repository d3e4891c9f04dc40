// Covers instance runs on the real redis with two `farm worker` processes: the same runs
// enqueued by two schedulers at once are one queue job each and run once; two slots of one
// instance never run at once (its Redis lock); a worker killed mid-run takes its job's child
// with it, and the run is taken over by the other worker, never running twice at once. A
// worker's runs are in the instance's history (trigger `worker`), as `farm status` reads it.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { pidAlive } from '@jobs/core/lock';
import { enqueueInstanceRuns } from '../src/instances/queue.ts';
import { historyPath, readHistory } from '../src/history.ts';
import { connectionOf } from '../src/queue.ts';
import { APP_DIR, sandbox, type Sandbox, WORKSPACE } from './helpers.ts';
import { startRedis } from './servers.ts';

const JOB = join(APP_DIR, 'test/fixtures/instance-job.ts');
const Q = 'farminst';

async function setup(sb: Sandbox, redisUrl: string, holdMs: Record<string, number>) {
  await sb.writeEnv({ REDIS_URL: redisUrl, FARM_QUEUE_NAME: Q, FARM_QUEUE_LOCK_SECONDS: 2, FARM_JOB_DIGEST_SCRIPT: JOB, FARM_LOCK_WAIT_SECONDS: 60 });
  const instances = [];
  for (const [name, hold] of Object.entries(holdMs)) {
    await writeFile(join(sb.root, `${name}.env`), `HOLD_MS=${hold}\n`, { mode: 0o600 });
    instances.push({ name, job: 'digest', reposEnv: join(sb.root, `${name}.env`) });
  }
  const file = join(sb.root, 'jobs.json');
  await writeFile(file, JSON.stringify({ instances }, null, 2));
  return file;
}

function startWorkers(sb: Sandbox, jobsFile: string, n: number): Array<{ child: ChildProcess; log: string }> {
  return Array.from({ length: n }, () => {
    const child = spawn(process.execPath, [join(APP_DIR, 'src/cli.ts'), 'worker', '--jobs', jobsFile], { cwd: WORKSPACE, env: sb.env, stdio: ['ignore', 'ignore', 'pipe'] });
    const w = { child, log: '' };
    child.stderr?.on('data', (c: Buffer) => {
      w.log += c.toString();
    });
    return w;
  });
}

async function runsLog(sb: Sandbox, instance: string): Promise<Array<{ what: string; pid: number; ppid: number; t: number }>> {
  const text = await readFile(join(sb.state, 'instances', instance, 'runs.log'), 'utf8').catch(() => '');
  return text.trim().split('\n').filter(Boolean).map((l) => {
    const [what = '', pid, ppid, t] = l.split(' ');
    return { what, pid: Number(pid), ppid: Number(ppid), t: Number(t) };
  });
}

async function waitFor<T>(what: string, f: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('instance runs on the queue (real redis-server, two workers)', () => {
  it('runs enqueued twice per slot run once; one instance never runs twice at once', async () => {
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    const file = await setup(sb, redis.url, { alpha: 1500, beta: 300 });
    const workers = startWorkers(sb, file, 2);
    const queue = new Queue(Q, { connection: connectionOf(redis.url) });
    try {
      const slots = ['2026-12-04T06:00:00.000Z', '2026-12-04T18:00:00.000Z'];
      const runs = ['alpha', 'beta'].flatMap((instance) => slots.map((slot) => ({ instance, slot })));
      // Two schedulers (two hosts) enqueue the same due runs at the same time.
      const [a, b] = await Promise.all([enqueueInstanceRuns(redis.url, Q, runs), enqueueInstanceRuns(redis.url, Q, runs)]);
      expect(a?.map((r) => r.id)).toEqual(['instance.alpha.20261204T0600Z', 'instance.alpha.20261204T1800Z', 'instance.beta.20261204T0600Z', 'instance.beta.20261204T1800Z']);
      expect(a?.map((r, i) => Number(r.added) + Number(b?.[i]?.added))).toEqual([1, 1, 1, 1]);
      await waitFor('4 completed runs', async () => ((await queue.getJobCounts('completed')).completed === 4 ? true : undefined));
      expect(await queue.getJobCounts('failed')).toMatchObject({ failed: 0 });
      for (const name of ['alpha', 'beta']) {
        const log = await runsLog(sb, name);
        expect(log.filter((l) => l.what === 'start')).toHaveLength(2);
        expect(log.filter((l) => l.what === 'end')).toHaveLength(2);
        expect(log.filter((l) => l.what.startsWith('OVERLAP'))).toEqual([]);
        // start, end, start, end: the second slot waited for the first.
        expect(log.map((l) => l.what)).toEqual(['start', 'end', 'start', 'end']);
      }
      const rows = (await sb.rows()).filter((r) => r.call_site === 'farm.run-job');
      expect(rows.map((r) => r.instance).sort()).toEqual(['alpha', 'alpha', 'beta', 'beta']);
      for (const name of ['alpha', 'beta']) {
        const runs = await readHistory(historyPath(join(sb.state, 'farm'), `instance-${name}`));
        expect(runs.map((r) => `${r.instance}:${r.trigger}:${r.outcome}`)).toEqual([`${name}:worker:ok`, `${name}:worker:ok`]);
      }
    } finally {
      await queue.close();
      for (const w of workers) w.child.kill('SIGKILL');
    }
  }, 240_000);

  it('a worker killed mid-run: its job child dies with it, the other worker runs it after, never at once', async () => {
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    const file = await setup(sb, redis.url, { gamma: 5000 });
    const workers = startWorkers(sb, file, 2);
    const queue = new Queue(Q, { connection: connectionOf(redis.url) });
    try {
      await enqueueInstanceRuns(redis.url, Q, [{ instance: 'gamma', slot: '2026-12-04T06:00:00.000Z' }]);
      const first = await waitFor('the first start', async () => (await runsLog(sb, 'gamma')).find((l) => l.what === 'start'));
      // The job's parent is the worker (setpriv execs node in place).
      const victim = workers.find((w) => w.child.pid === first.ppid);
      expect(victim).toBeDefined();
      victim?.child.kill('SIGKILL');
      const killedAt = Date.now();
      await waitFor('the orphan to die', async () => (pidAlive(first.pid) ? undefined : true), 10_000);
      const done = await waitFor('the retaken run', async () => ((await queue.getJobCounts('completed')).completed === 1 ? true : undefined));
      expect(done).toBe(true);
      const log = await runsLog(sb, 'gamma');
      expect(log.filter((l) => l.what.startsWith('OVERLAP'))).toEqual([]);
      const starts = log.filter((l) => l.what === 'start');
      expect(starts).toHaveLength(2);
      expect(starts[1]?.t).toBeGreaterThan(killedAt);
      expect(starts[1]?.ppid).not.toBe(first.ppid);
      // The killed run never ended; the retaken one did.
      expect(log.filter((l) => l.what === 'end').map((l) => l.pid)).toEqual([starts[1]?.pid]);
    } finally {
      await queue.close();
      for (const w of workers) w.child.kill('SIGKILL');
    }
  }, 240_000);
});
