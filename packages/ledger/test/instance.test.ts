// Covers the optional `instance` field: createLedger stamps it on rows appended without one (a
// row's own value wins), a row keeps it through parse, a bad instance option is refused, and
// reports group by it (rows of the single-instance setup under "(none)").
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLedger } from '../src/ledger.ts';
import { readLedger } from '../src/read.ts';
import { summarize } from '../src/report.ts';
import { parseRow } from '../src/row.ts';
import { row, tempDir } from './helpers.ts';

describe('instance attribution', () => {
  it('createLedger({ instance }) writes it on every row without one; a row\'s own instance wins', async () => {
    const path = join(await tempDir(), 'ledger.jsonl');
    await createLedger({ path, instance: 'client-a' }).append(row({ call_site: 'one' }));
    await createLedger({ path, instance: 'client-a' }).append(row({ call_site: 'two', instance: 'client-b' }));
    await createLedger({ path }).append(row({ call_site: 'three' }));
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.instance)).toEqual(['client-a', 'client-b', undefined]);
    const read = [];
    for await (const r of readLedger(path)) read.push(r);
    expect(read.map((r) => r.instance)).toEqual(['client-a', 'client-b', undefined]);
  });

  it('refuses an empty or non-string instance; a row with a non-string instance is EROW', () => {
    expect(() => createLedger({ path: '/tmp/x.jsonl', instance: '' })).toThrow(expect.objectContaining({ code: 'EOPTION' }));
    expect(() => parseRow(JSON.stringify({ ...row(), instance: 3 }))).toThrow(expect.objectContaining({ code: 'EROW', field: 'instance' }));
  });

  it('summarize by instance: one group per instance, rows without one under (none)', () => {
    const s = summarize([row({ instance: 'a', usd: 1 }), row({ instance: 'b', usd: 2 }), row({ instance: 'a', usd: 3 }), row({ usd: 4 })], { by: 'instance' });
    expect(s.groups.map((g) => [g.key, g.calls])).toEqual([
      ['(none)', 1],
      ['a', 2],
      ['b', 1],
    ]);
  });
});
