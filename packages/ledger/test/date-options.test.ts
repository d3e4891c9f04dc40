// Covers the one Date-option check every entry point uses (internal/checks.ts): an Invalid Date,
// a date string or a number is refused with EOPTION naming the option, before any file is read.
import { describe, expect, it } from 'vitest';
import { checkDailyBudget, noticeDay } from '../src/budget.ts';
import { readClaudeLogs } from '../src/claude-logs.ts';
import { LedgerError } from '../src/errors.ts';
import { daysInRange } from '../src/html.ts';
import { readLedger } from '../src/read.ts';

const OK = new Date('2026-11-23T09:00:00Z');
const price = () => null;

/** The option named by the EOPTION error `fn` throws or rejects with. */
async function refused(fn: () => unknown): Promise<string> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof LedgerError && err.code === 'EOPTION') return String(err.option);
    throw err;
  }
  return 'accepted';
}

describe.each([
  ['an Invalid Date', new Date('soon')],
  ['a date string', '2026-11-23'],
  ['a number', OK.getTime()],
])('a Date option given %s', (_label, bad) => {
  const d = bad as unknown as Date;
  it('is refused by every entry point, naming the option', async () => {
    expect(await refused(() => readLedger('/nonexistent/ledger.jsonl', { since: d }))).toBe('since');
    expect(await refused(() => readLedger('/nonexistent/ledger.jsonl', { since: OK, until: d }))).toBe('until');
    expect(await refused(() => readClaudeLogs('/nonexistent', { price, since: d }))).toBe('since');
    expect(await refused(() => daysInRange(d, OK))).toBe('since');
    expect(await refused(() => daysInRange(OK, d))).toBe('until');
    expect(await refused(() => daysInRange(d, d))).toBe('since');
    expect(await refused(() => checkDailyBudget([], { budgetUsd: 1, now: d }))).toBe('now');
    expect(await refused(() => noticeDay(d))).toBe('now');
  });
});

describe('a valid Date option', () => {
  it('is taken', async () => {
    expect(await refused(() => daysInRange(OK, new Date(OK.getTime() + 86_400_000)))).toBe('accepted');
    expect(noticeDay(OK)).toBe('2026-11-23');
    expect(await refused(() => checkDailyBudget([], { budgetUsd: 1, now: OK }))).toBe('accepted');
  });
});
