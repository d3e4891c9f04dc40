// Covers the run summary line: leads held back by the per-sender daily cap and a journal compaction are named in it.
import { describe, expect, it } from 'vitest';
import { newReport, record, summaryLine } from '../src/report.ts';

describe('summaryLine', () => {
  it('names the leads not answered because of the daily cap, and a compaction', () => {
    const r = newReport('send');
    expect(summaryLine(r)).not.toContain('daily cap');
    record(r, { key: '<a@x>', uid: 3, action: 'capped', reason: 'daily-cap', to: 'dana@example.org' });
    record(r, { key: '<b@x>', uid: 4, action: 'answered', to: 'sam@example.org' });
    r.compaction = { compacted: true, before: 900, after: 120 };
    const line = summaryLine(r);
    expect(r).toMatchObject({ capped: 1, answered: 1, skipped: {} });
    expect(line).toContain('1 answered');
    expect(line).toContain('1 not answered (daily cap per sender; the owner is told)');
    expect(line).toContain('journal compacted 900 -> 120 records');
  });
});
