/**
 * Test-only child for the compaction crash test (bundled by child.ts): compacts the journal
 * given as argv[2] as of argv[3] (ms), with a retention of argv[4] ms, saying `start` on stdout
 * just before, then each step with its time since `start`, so the parent can aim its kills.
 */
import { compactJournal } from '../../src/compact.ts';

const [path, now, retention] = process.argv.slice(2);
if (!path || !now || !retention) throw new Error('usage: compact-child.mjs JOURNAL NOW_MS RETENTION_MS');
process.stdout.write('start\n');
const started = performance.now();
const result = await compactJournal(path, {
  now: () => Number(now),
  retentionMs: Number(retention),
  minDrop: 1,
  afterStep: (step) => {
    process.stdout.write(`${step} ${Math.round(performance.now() - started)}\n`);
  },
});
process.stdout.write(`${JSON.stringify(result)}\n`);
