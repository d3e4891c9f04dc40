// Covers the lock's takeovers with real processes: many takers racing for a lock left by a dead
// pid end with exactly one holder, round after round; a lock file still being written is not
// stolen (but one torn long ago is); a live pid that now belongs to another process (another
// start time), and a lock of another boot or host name, are taken over.
import { mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBootId, readStartTime } from '../src/internal/process-identity.ts';
import { acquireLock } from '../src/lock.ts';
import { deadPid, startTaker, type Taker } from './support/takers.ts';

const TAKERS = 6;
const ROUNDS = 100;
let takers: Taker[] = [];
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'core-lock-'));
  takers = Array.from({ length: TAKERS }, () => startTaker());
});
afterAll(async () => {
  await Promise.all(takers.map((t) => t[Symbol.asyncDispose]()));
});

const here = () => ({ host: hostname(), bootId: readBootId() });

describe('lock takeover across processes', () => {
  it(`${TAKERS} takers on a dead-pid lock: exactly one holder in each of ${ROUNDS} rounds`, async () => {
    const path = join(dir, 'race.lock');
    const pid = await deadPid();
    const counts: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await writeFile(path, JSON.stringify({ pid, ...here(), token: `dead-${round}`, since: '' }));
      const answers = await Promise.all(takers.map((t) => t.ask(`take ${path}`)));
      expect(answers.filter((a) => a !== 'held' && a !== 'busy')).toEqual([]);
      counts.push(answers.filter((a) => a === 'held').length);
      await Promise.all(takers.map((t) => t.ask('release')));
    }
    expect(counts.filter((n) => n !== 1)).toEqual([]);
  }, 120_000);

  it('does not steal a lock file still being written, but takes one torn long ago', async () => {
    const path = join(dir, 'writing.lock');
    const [taker] = takers as [Taker];
    for (const partial of ['', '{"pid":']) {
      await writeFile(path, partial);
      expect(await taker.ask(`take ${path}`)).toBe('busy');
      expect(await readFile(path, 'utf8')).toBe(partial);
    }
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    expect(await taker.ask(`take ${path}`)).toBe('held');
    expect(JSON.parse(await readFile(path, 'utf8'))).toMatchObject({ pid: taker.pid });
    await taker.ask('release');
  });

  it('takes over a live pid that started at another time (pid reuse), not one that did not', async () => {
    const [taker, other] = takers as [Taker, Taker];
    const path = join(dir, 'reuse.lock');
    const startTime = readStartTime(other.pid) as string;
    expect(startTime).toMatch(/^\d+$/);
    await writeFile(path, JSON.stringify({ pid: other.pid, ...here(), startTime, token: 'live' }));
    expect(await taker.ask(`take ${path}`)).toBe('busy');
    await writeFile(path, JSON.stringify({ pid: other.pid, ...here(), startTime: String(Number(startTime) - 1), token: 'reused' }));
    expect(await taker.ask(`take ${path}`)).toBe('held');
    await taker.ask('release');
  });

  it('takes over a live pid recorded under another boot id or another host name (a recreated container)', async () => {
    const [, other] = takers as [Taker, Taker];
    const path = join(dir, 'container.lock');
    const startTime = readStartTime(other.pid);
    for (const foreign of [{ host: 'old-container' }, { bootId: '00000000-0000-0000-0000-000000000000' }]) {
      await writeFile(path, JSON.stringify({ pid: other.pid, ...here(), startTime, token: 'x', ...foreign }));
      const lock = await acquireLock({ path });
      expect(lock.tookOverFrom).toMatchObject({ pid: other.pid, ...foreign });
      await lock.release();
    }
  });
});
