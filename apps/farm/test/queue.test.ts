// Covers scale-out through BullMQ with a real redis-server: two `farm worker` processes, 100
// tasks, each done exactly once; a worker killed mid-task has its task finished by the other.
// Also: `farm enqueue` without REDIS_URL runs in-process, `farm worker` without it exits 78.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import { connectionOf, enqueueTasks } from '../src/queue.ts';
import { buildTask } from '../src/task.ts';
import { APP_DIR, baseEnv, KEY, sandbox } from './helpers.ts';
import { startRedis } from './servers.ts';

const STALL_ID = 'task-000';

describe('queue (real redis-server, two workers)', () => {
  it('100 tasks are each done exactly once; a killed worker\'s task is finished by the other', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await using redis = await startRedis(join(sb.root, 'redis'));
    await sb.writeEnv(baseEnv(sim.url, { REDIS_URL: redis.url, FARM_QUEUE_NAME: 'farmtest', FARM_QUEUE_LOCK_SECONDS: 2 }));
    let stallSeen = 0;
    let stalled!: () => void;
    const stallArrived = new Promise<void>((r) => {
      stalled = r;
    });
    // The first attempt of the stall task never gets an answer: its worker hangs in the call.
    sim.respond((req) => {
      const text = JSON.stringify(req.body?.messages ?? '');
      if (text.includes(STALL_ID) && stallSeen++ === 0) {
        stalled();
        return { kind: 'stall', afterEvents: 0 };
      }
      return { kind: 'reply', text: 'done' };
    });
    const workers: Array<{ child: ChildProcess; log: string }> = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(process.execPath, [join(APP_DIR, 'src/cli.ts'), 'worker'], { cwd: APP_DIR, env: sb.env, stdio: ['ignore', 'ignore', 'pipe'] });
      const w = { child, log: '' };
      child.stderr?.on('data', (c: Buffer) => {
        w.log += c.toString();
      });
      workers.push(w);
    }
    const ids = Array.from({ length: 100 }, (_, i) => `task-${String(i).padStart(3, '0')}`);
    await enqueueTasks(redis.url, 'farmtest', ids.map((id) => ({ task: buildTask(`Summarize ${id}.`, { atomic: true }, id), policy: 'auto' as const })));
    await stallArrived;
    // The worker hanging in the stalled call is the one that logged the task's start.
    const victim = workers.findIndex((w) => w.log.includes(`"taskId":"${STALL_ID}","project"`));
    expect(victim).toBeGreaterThanOrEqual(0);
    workers[victim]?.child.kill('SIGKILL');
    const queue = new Queue('farmtest', { connection: connectionOf(redis.url) });
    try {
      const until = Date.now() + 40_000;
      let counts = await queue.getJobCounts('completed', 'failed');
      while ((counts.completed ?? 0) + (counts.failed ?? 0) < 100 && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 250));
        counts = await queue.getJobCounts('completed', 'failed');
      }
      expect(counts).toMatchObject({ completed: 100, failed: 0 });
      const stallJob = await queue.getJob(STALL_ID);
      expect(stallJob?.returnvalue).toMatchObject({ ok: true, taskId: STALL_ID });
    } finally {
      await queue.close();
      for (const w of workers) w.child.kill('SIGKILL');
    }
    const rows = (await sb.rows()).filter((r) => r.outcome === 'ok');
    const perTask = new Map<string, number>();
    for (const r of rows) perTask.set(r.run_id, (perTask.get(r.run_id) ?? 0) + 1);
    expect(perTask.size).toBe(100);
    expect([...perTask.values()].every((n) => n === 1)).toBe(true);
    // Every task was asked once, except the stalled one, asked again by the survivor.
    expect(sim.messageRequests()).toHaveLength(101);
    expect(stallSeen).toBe(2);
    const survivor = workers[1 - victim];
    expect(survivor?.log).toMatch(new RegExp(`"taskId":"${STALL_ID}"[^\\n]*task finished|task finished[^\\n]*"taskId":"${STALL_ID}"`));
  }, 150_000);

  it('enqueue without REDIS_URL runs in-process; worker without it exits 78', async () => {
    await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
    await using sb = await sandbox();
    await sb.writeEnv(baseEnv(sim.url));
    const r = await sb.run(['enqueue', '--atomic', '--json'], 'Summarize this.');
    expect(r.code, r.stderr.text).toBe(0);
    expect(r.stdout.lines()[0]).toMatchObject({ ok: true, path: 'api' });
    expect(sim.messageRequests()).toHaveLength(1);
    const w = await sb.run(['worker']);
    expect(w.code).toBe(78);
    expect(w.stderr.text).toMatch(/REDIS_URL/);
  }, 30_000);
});
