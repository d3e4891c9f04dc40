// Covers the journal (fsynced appends, torn last line, read-only) and the run lock (second run refused, stale lock taken over).
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJournal } from '../src/journal.ts';
import { buildIndex, repliesToday } from '../src/lead-state.ts';
import { acquireRunLock } from '../src/lock.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lead-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const reply = (to: string, messageId: string) => ({ to, messageId, subject: 'Re: x', text: 'hi', inReplyTo: '<a@b>', references: ['<a@b>'], date: '2026-11-23T15:00:00.000Z' });
const place = { mailbox: 'INBOX', uid: 1, uidValidity: '7' };

describe('journal', () => {
  it('creates the file 0600 and folds records into lead states', async () => {
    const path = join(dir, 'journal.jsonl');
    const j = await openJournal(path, { now: () => Date.parse('2026-11-23T15:00:00Z') });
    await j.append({ t: 'intent', lead: '<l1@x>', place, source: 'direct', reply: reply('a@example.org', '<r1@c>') });
    await j.append({ t: 'sent', lead: '<l1@x>', messageId: '<r1@c>' });
    await j.append({ t: 'intent', lead: '<l2@x>', place, source: 'direct', reply: reply('b@example.org', '<r2@c>') });
    await j.close();
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const index = buildIndex((await openJournal(path, { readOnly: true })).records);
    expect(index.leads.get('<l1@x>')?.status).toBe('answered');
    expect(index.leads.get('<l2@x>')?.status).toBe('unknown');
    expect(index.ourMessageIds.has('<r2@c>')).toBe(true);
    expect(repliesToday(index, 'A@example.org', Date.parse('2026-11-23T20:00:00Z'), 'UTC')).toBe(1);
    expect(repliesToday(index, 'a@example.org', Date.parse('2026-11-24T01:00:00Z'), 'UTC')).toBe(0);
  });

  it('ignores a line torn by a crash and starts the next record on its own line', async () => {
    const path = join(dir, 'journal.jsonl');
    await writeFile(path, '{"t":"skipped","lead":"<a@x>","at":"2026-11-23T00:00:00Z","reason":"daily-cap"}\n{"t":"inte', { mode: 0o600 });
    const j = await openJournal(path);
    expect(j.records).toHaveLength(1);
    await j.append({ t: 'skipped', lead: '<b@x>', reason: 'daily-cap' });
    await j.close();
    const again = await openJournal(path, { readOnly: true });
    expect(again.records.map((r) => ('lead' in r ? r.lead : ''))).toEqual(['<a@x>', '<b@x>']);
  });

  it('a not-sent intent is retried and does not count toward the cap', async () => {
    const j = await openJournal(join(dir, 'j'), { readOnly: false });
    await j.append({ t: 'intent', lead: '<l@x>', place, source: 'direct', reply: reply('a@example.org', '<r@c>') });
    await j.append({ t: 'not-sent', lead: '<l@x>', messageId: '<r@c>', code: 'ETEMP' });
    const index = buildIndex(j.records);
    expect(index.leads.get('<l@x>')?.status).toBe('new');
    expect(index.replies).toHaveLength(0);
    await j.close();
  });

  it('read-only never creates the file', async () => {
    const path = join(dir, 'none.jsonl');
    const j = await openJournal(path, { readOnly: true });
    await expect(j.append({ t: 'skipped', lead: 'x', reason: 'y' })).rejects.toMatchObject({ code: 'ESTATE' });
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('run lock', () => {
  it('refuses a second run while the first is alive, naming its pid', async () => {
    const path = join(dir, 'run.lock');
    const first = await acquireRunLock(path, { pid: 1111, alive: () => true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await expect(acquireRunLock(path, { pid: 2222, alive: () => true })).rejects.toMatchObject({ code: 'ELOCKED', pid: 1111 });
    await first.release();
    const second = await acquireRunLock(path, { pid: 2222, alive: () => true });
    await second.release();
  });

  it('takes over the lock of a dead run', async () => {
    const path = join(dir, 'run.lock');
    await writeFile(path, JSON.stringify({ pid: 999_999_9, startedAt: 'then' }), { mode: 0o600 });
    const lock = await acquireRunLock(path, { pid: process.pid });
    expect(lock.tookOverFrom).toBe(9_999_999);
    expect(JSON.parse(await readFile(path, 'utf8')).pid).toBe(process.pid);
    await lock.release();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
