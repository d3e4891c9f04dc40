// Covers the daily budget check (billed dollars of the last 24 h only, subscription work never
// counted, window edges, exact sums, per-app breakdown) and the once-a-day notice state file
// (day in a time zone, 0600 from creation, atomic replace, damaged file refused).
import { readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDailyBudget, noticeDay, noticeDue, readNoticeState, writeNoticeState } from '../src/budget.ts';
import { LedgerError } from '../src/errors.ts';
import { row, tempDir } from './helpers.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');

describe('checkDailyBudget', () => {
  const rows = [
    row({ ts: '2026-11-22T12:00:00.000Z', usd: 5 }), // exactly 24 h before: outside (window is (since, until])
    row({ ts: '2026-11-22T12:00:00.001Z', usd: 0.1, app: 'digest' }),
    row({ ts: '2026-11-23T08:00:00.000Z', usd: 0.2, app: 'lead-responder' }),
    row({ ts: '2026-11-23T11:59:59.999Z', usd: 0.7, app: 'farm', path: 'remote' }),
    row({ ts: '2026-11-23T11:00:00.000Z', usd: 40, app: 'claude-code', path: 'subscription' }), // not money
    row({ ts: '2026-11-23T11:30:00.000Z', usd: null, app: 'farm' }),
    row({ ts: '2026-11-23T12:00:00.001Z', usd: 9 }), // after now
  ];

  it('sums billed dollars in the last 24 h, exactly, and says when the budget is crossed', async () => {
    const check = await checkDailyBudget(rows, { budgetUsd: 0.99, now: NOW });
    expect(check).toMatchObject({
      budgetUsd: 0.99,
      spentUsd: 1, // 0.1 + 0.2 + 0.7 is 0.9999999999999999 in floats; the ledger sums exactly
      unknownCalls: 1,
      calls: 4,
      over: true,
      since: '2026-11-22T12:00:00.000Z',
      until: '2026-11-23T12:00:00.000Z',
    });
    expect(check.byApp.map((g) => [g.key, g.billedUsd])).toEqual([
      ['farm', 0.7],
      ['lead-responder', 0.2],
      ['digest', 0.1],
    ]);
    expect((await checkDailyBudget(rows, { budgetUsd: 1, now: NOW })).over).toBe(false);
  });

  it('reads an async stream too, and refuses a bad budget', async () => {
    async function* stream() {
      yield* rows;
    }
    expect((await checkDailyBudget(stream(), { budgetUsd: 2, now: NOW })).spentUsd).toBe(1);
    await expect(checkDailyBudget(rows, { budgetUsd: 0, now: NOW })).rejects.toMatchObject({ code: 'EOPTION', option: 'budgetUsd', exitCode: 2 });
    await expect(checkDailyBudget(rows, { budgetUsd: Number.NaN, now: NOW })).rejects.toBeInstanceOf(LedgerError);
  });
});

describe('notice state', () => {
  it('names the day in the owner’s zone', () => {
    expect(noticeDay(new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-23');
    expect(noticeDay(new Date('2026-11-23T23:30:00Z'), 'Europe/Paris')).toBe('2026-11-24');
    expect(noticeDay(new Date('2026-11-23T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-11-22');
  });

  it('is due once per day, written 0600 and atomically', async () => {
    const dir = await tempDir();
    const path = join(dir, 'state', 'cost-budget-notice.json');
    const before = process.umask(0);
    try {
      expect(await readNoticeState(path)).toBeNull();
      expect(noticeDue(null, '2026-11-23')).toBe(true);
      const state = { day: '2026-11-23', sentAt: NOW.toISOString(), spentUsd: 1, budgetUsd: 0.99, messageId: '<a@b>' };
      await writeNoticeState(path, state);
      expect((await stat(path)).mode & 0o777).toBe(0o600);
      expect((await stat(join(dir, 'state'))).mode & 0o777).toBe(0o700);
      const read = await readNoticeState(path);
      expect(read).toEqual(state);
      expect(noticeDue(read, '2026-11-23')).toBe(false);
      expect(noticeDue(read, '2026-11-24')).toBe(true);
      await writeNoticeState(path, { ...state, day: '2026-11-24' });
      expect((await readNoticeState(path))?.day).toBe('2026-11-24');
      expect(await readdir(join(dir, 'state'))).toEqual(['cost-budget-notice.json']); // no temp files left
    } finally {
      process.umask(before);
    }
  });

  it('refuses a damaged state file instead of guessing', async () => {
    const dir = await tempDir();
    const path = join(dir, 'n.json');
    await writeFile(path, '{"day":');
    await expect(readNoticeState(path)).rejects.toMatchObject({ code: 'EREAD', path });
    await writeFile(path, '{"day":"yesterday"}');
    await expect(readNoticeState(path)).rejects.toMatchObject({ code: 'EREAD' });
  });
});
