// Covers the run history's writes: a run's end and the next run's start written at the same
// moment (the end is written after the job's lock is released) both survive, the file is 0600
// and holds the last HISTORY_LIMIT runs.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { putRun, readHistory, type RunRecord } from '../src/history.ts';

const rec = (id: string): RunRecord => ({ id, job: 'digest', instance: 'acme', trigger: 'worker', startedAt: '2026-11-23T06:00:00.000Z', outcome: 'running', pid: 1, host: 'h' });

describe('run history', () => {
  it('keeps every record of writes made at the same moment, bounded, 0600, no lock left behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'farm-history-'));
    try {
      const file = join(dir, 'history', 'instance-acme.json');
      await Promise.all(Array.from({ length: 12 }, (_, i) => putRun(file, rec(`r${i}`))));
      expect((await readHistory(file)).map((r) => r.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
      await Promise.all(Array.from({ length: 4 }, (_, i) => putRun(file, rec(`s${i}`), 5)));
      expect(await readHistory(file)).toHaveLength(5);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect(await readdir(join(dir, 'history'))).toEqual(['instance-acme.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
