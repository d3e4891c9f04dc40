// Benchmark: `cost report` over a generated 1,000,000-row ledger. Streams the file through the
// ledger reader into the summary, the HTML page's collectors and the daily budget check, and
// reports rows/s and peak memory (RSS and heap, sampled while reading), then times the real CLI
// on the same file as a child process. Prints one JSON line.
// Run: node --import tsx test/bench/cost-report.ts [rows]
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { checkDailyBudget } from '@jobs/ledger/budget';
import { createHtmlReport } from '@jobs/ledger/html';
import { readLedger } from '@jobs/ledger/read';
import { createSummarizer } from '@jobs/ledger/report';
import { serializeRow } from '@jobs/ledger/row';
import { prng } from '@jobs/testkit/prng';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const DAYS = 30;
const END = Date.UTC(2026, 10, 24);


async function generate(path: string): Promise<void> {
  const r = prng(42);
  const out = createWriteStream(path, { mode: 0o600 });
  const apps = ['digest', 'lead-responder', 'farm', 'claude-code'];
  const sites = ['summarize-threads', 'rank', 'draft-reply', 'classify', 'farm-task', 'main', 'subagent'];
  const models = ['claude-haiku-5-5', 'claude-haiku-4-5', 'claude-sonnet-4-6', 'claude-opus-4-6'];
  for (let i = 0; i < ROWS; i++) {
    const app = apps[Math.floor(r() * apps.length)] as string;
    const line = serializeRow({
      ts: new Date(END - Math.floor(r() * DAYS * 86_400_000)).toISOString(),
      run_id: `run-${Math.floor(i / 50)}`,
      app,
      job: ['am', 'pm', 'watch'][i % 3] as string,
      call_site: sites[Math.floor(r() * sites.length)] as string,
      path: app === 'claude-code' ? 'subscription' : r() < 0.1 ? 'remote' : 'api',
      host: 'bench-host',
      model: models[Math.floor(r() * models.length)] as string,
      input_tokens: Math.floor(r() * 20_000),
      output_tokens: Math.floor(r() * 2_000),
      cache_creation_input_tokens: Math.floor(r() * 4_000),
      cache_read_input_tokens: Math.floor(r() * 30_000),
      usd: r() < 0.02 ? null : Math.floor(r() * 5_000_000) / 1e9,
      latency_ms: Math.floor(r() * 20_000),
      attempts: 1 + Math.floor(r() * 2),
      outcome: r() < 0.95 ? 'ok' : 'error',
      request_id: `req_${i}`,
    });
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const dir = await mkdtemp(join(tmpdir(), 'cost-bench-'));
try {
  const path = join(dir, 'ledger.jsonl');
  const g0 = performance.now();
  await generate(path);
  const generateMs = performance.now() - g0;
  const bytes = (await stat(path)).size;

  globalThis.gc?.();
  const base = process.memoryUsage();
  let peakRss = base.rss;
  let peakHeap = base.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 25);

  // One pass, as `cost report --by app --html` does it.
  const since = new Date(END - DAYS * 86_400_000);
  const until = new Date(END);
  const t0 = performance.now();
  const summary = createSummarizer({ by: 'app' });
  const page = createHtmlReport({ since, until });
  const reader = readLedger(path, { since, until });
  for await (const row of reader) {
    summary.add(row);
    page.add(row);
  }
  const html = page.render();
  const reportMs = performance.now() - t0;
  const result = summary.result();

  // The budget check alone (a summary by app of the last 24 h; the reader still parses every line).
  const t1 = performance.now();
  await checkDailyBudget(readLedger(path, { since: new Date(END - 86_400_000) }), { budgetUsd: 10, now: new Date(END) });
  const checkMs = performance.now() - t1;
  clearInterval(sampler);

  // The real CLI, as a user runs it.
  const t2 = performance.now();
  const cli = join(import.meta.dirname, '..', '..', 'apps', 'cost', 'src', 'cli.ts');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', cli, 'report', '--ledger', path, '--since', '30d', '--by', 'model', '--json', '--no-claude-logs', '--tz', 'UTC'], {
    maxBuffer: 1 << 24,
  });
  const cliMs = performance.now() - t2;

  const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
  console.log(
    JSON.stringify({
      bench: 'cost-report',
      rows: ROWS,
      rowsRead: reader.stats.rows,
      ledgerMB: mb(bytes),
      generateMs: Math.round(generateMs),
      reportMs: Math.round(reportMs),
      rowsPerSec: Math.round(reader.stats.rows / (reportMs / 1000)),
      checkMs: Math.round(checkMs),
      cliReportMs: Math.round(cliMs),
      baseRssMB: mb(base.rss),
      peakRssMB: mb(peakRss),
      peakHeapMB: mb(peakHeap),
      htmlKB: Math.round(html.length / 1024),
      groups: result.groups.length,
      billedUsd: result.totals.billedUsd,
      node: process.version,
    }),
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
