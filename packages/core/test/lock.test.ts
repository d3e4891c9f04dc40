// Covers acquireLock in one process: the lock file's body (pid, host, boot id, start time,
// token) and mode, busy without waiting, waiting until released, giving up after the timeout,
// release removing only its own lock, and the older bodies of farm and the lead responder.
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBootId, readStartTime } from '../src/internal/process-identity.ts';
import { acquireLock } from '../src/lock.ts';
import { deadPid } from './support/takers.ts';

const lockPath = async () => join(await mkdtemp(join(tmpdir(), 'core-lock-')), 'sub', 'p.lock');

describe('acquireLock', () => {
  it('writes a 0600 lock naming this process, refuses a second taker, and frees it on release', async () => {
    const path = await lockPath();
    const lock = await acquireLock({ path });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      bootId: readBootId(),
      startTime: readStartTime(process.pid),
    });
    await expect(acquireLock({ path })).rejects.toMatchObject({ code: 'ELOCKED', holder: { pid: process.pid } });
    await lock.release();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await (await acquireLock({ path })).release();
  });

  it('waits for a busy lock until it is released, and gives up after the timeout', async () => {
    const path = await lockPath();
    const first = await acquireLock({ path });
    const slept: number[] = [];
    let t = 0;
    await expect(acquireLock({ path, wait: true, timeoutMs: 1000, pollMs: 250, now: () => (t += 300), sleep: async (ms) => void slept.push(ms) })).rejects.toMatchObject({ code: 'ELOCKED', waited: true });
    expect(slept).toEqual([250, 250, 250]);
    const second = acquireLock({ path, wait: true, pollMs: 5, sleep: async (ms) => {
      await first.release();
      await new Promise((r) => setTimeout(r, ms));
    } });
    await (await second).release();
  });

  it('release leaves alone a lock that is no longer its own', async () => {
    const path = await lockPath();
    const lock = await acquireLock({ path });
    await writeFile(path, JSON.stringify({ pid: process.pid, token: 'someone-else' }));
    await lock.release();
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ token: 'someone-else' });
  });

  it("takes over farm's and the lead responder's older lock bodies when their pid is dead", async () => {
    const pid = await deadPid();
    for (const body of [{ pid, host: hostname(), token: 't-old', since: '' }, { pid, startedAt: 'then' }]) {
      const path = await lockPath();
      await acquireLock({ path }).then((l) => l.release()).catch(() => undefined);
      await writeFile(path, JSON.stringify(body));
      const lock = await acquireLock({ path });
      expect(lock.tookOverFrom).toMatchObject({ pid });
      await lock.release();
    }
  });
});
