// Covers readLedger: streaming rows in file order, a torn last line skipped with a warning (not
// fatal), invalid lines counted, a row glued behind a torn fragment salvaged, since/until, a missing file.
import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LedgerError } from '../src/errors.ts';
import { createLedger } from '../src/ledger.ts';
import { readLedger } from '../src/read.ts';
import { type LedgerRow, serializeRow } from '../src/row.ts';
import { recordingLogger, row, tempDir } from './helpers.ts';

async function collect(rows: AsyncIterable<LedgerRow>): Promise<LedgerRow[]> {
  const out: LedgerRow[] = [];
  for await (const r of rows) out.push(r);
  return out;
}

async function ledgerWith(rows: LedgerRow[]): Promise<string> {
  const path = join(await tempDir(), 'ledger.jsonl');
  const ledger = createLedger({ path });
  for (const r of rows) await ledger.append(r);
  return path;
}

const three = ['a', 'b', 'c'].map((s, i) => row({ call_site: s, ts: `2026-11-2${i + 1}T12:00:00.000Z` }));

describe('readLedger', () => {
  it('skips a torn last line (a crash mid-write) with a warning naming line and path, and reads the rest', async () => {
    const path = await ledgerWith(three);
    await appendFile(path, serializeRow(row({ call_site: 'torn' })).slice(0, 150)); // no newline: torn
    const log = recordingLogger();
    const reader = readLedger(path, { logger: log.logger });
    expect((await collect(reader)).map((r) => r.call_site)).toEqual(['a', 'b', 'c']);
    expect(reader.stats).toEqual({ rows: 3, skipped: 1, filtered: 0 });
    expect(log.warnings()).toHaveLength(1);
    expect(log.warnings()[0]?.obj).toEqual({ line: 4, path, code: 'EROW' });
  });

  it('after a torn line, the next appended row is salvaged from behind the fragment', async () => {
    const path = await ledgerWith(three.slice(0, 1));
    await appendFile(path, serializeRow(row({ call_site: 'torn' })).slice(0, 200));
    await createLedger({ path }).append(row({ call_site: 'after-crash' }));
    const log = recordingLogger();
    const reader = readLedger(path, { logger: log.logger });
    expect((await collect(reader)).map((r) => r.call_site)).toEqual(['a', 'after-crash']);
    expect(reader.stats).toEqual({ rows: 2, skipped: 1, filtered: 0 });
    expect(log.warnings().map((w) => w.obj.line)).toEqual([2]);
  });

  it('skips and counts invalid lines anywhere, naming the bad field; blank lines pass silently', async () => {
    const path = await ledgerWith(three.slice(0, 1));
    await appendFile(path, 'not json at all\n\n');
    await appendFile(path, `${JSON.stringify({ ...row(), usd: 'free' })}\n`);
    await createLedger({ path }).append(three[1]!);
    const log = recordingLogger();
    const reader = readLedger(path, { logger: log.logger });
    expect((await collect(reader)).map((r) => r.call_site)).toEqual(['a', 'b']);
    expect(reader.stats.skipped).toBe(2);
    expect(log.warnings().map((w) => w.obj)).toEqual([
      { line: 2, path, code: 'EROW' },
      { line: 4, path, code: 'EROW', field: 'usd' },
    ]);
  });

  it('yields no rows and no warning for a missing file', async () => {
    const log = recordingLogger();
    const reader = readLedger(join(await tempDir(), 'never-written.jsonl'), { logger: log.logger });
    expect(await collect(reader)).toEqual([]);
    expect(reader.stats).toEqual({ rows: 0, skipped: 0, filtered: 0 });
    expect(log.lines).toEqual([]);
  });

  it('keeps rows at or after since and before until, counting the rest as filtered', async () => {
    const path = await ledgerWith(three);
    const since = new Date('2026-11-22T12:00:00.000Z');
    const onlyB = readLedger(path, { since, until: new Date('2026-11-23T12:00:00.000Z') });
    expect((await collect(onlyB)).map((r) => r.call_site)).toEqual(['b']);
    expect(onlyB.stats).toEqual({ rows: 1, skipped: 0, filtered: 2 });
    expect((await collect(readLedger(path, { since }))).map((r) => r.call_site)).toEqual(['b', 'c']);
  });

  it('streams: stopping early closes the file, and a large ledger reads in order', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    const many = Array.from({ length: 5000 }, (_, i) => serializeRow(row({ input_tokens: i }))).join('');
    await writeFile(path, many);
    const openFds = async () => (await readdir('/proc/self/fd')).length;
    const before = await openFds();
    let n = 0;
    for await (const r of readLedger(path)) {
      expect(r.input_tokens).toBe(n);
      n += 1;
      if (n === 10) break;
    }
    expect(n).toBe(10);
    expect(await openFds()).toBe(before); // the file was closed on break, not left to the GC
    const all = await collect(readLedger(path));
    expect(all).toHaveLength(5000);
    expect(all[4999]?.input_tokens).toBe(4999);
  });

  it('fails with EREAD when the path exists but is not a readable file', async () => {
    const dir = join(await tempDir(), 'a-directory');
    await mkdir(dir);
    await expect(collect(readLedger(dir))).rejects.toMatchObject({ name: 'LedgerError', code: 'EREAD', path: dir });
  });

  it('refuses bad options at call time with EOPTION', () => {
    const bad = (fn: () => unknown) => {
      try {
        fn();
      } catch (err) {
        return err instanceof LedgerError ? err.option : 'other';
      }
      return 'none';
    };
    expect(bad(() => readLedger('/x', { since: new Date('nope') }))).toBe('since');
    expect(bad(() => readLedger('/x', { until: '2026-01-01' as unknown as Date }))).toBe('until');
    expect(bad(() => readLedger(''))).toBe('path');
  });
});
