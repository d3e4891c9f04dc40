/**
 * Benchmark: time from a lead landing in the mailbox to the reply reaching the SMTP capture,
 * with the responder in --watch mode (IMAP IDLE), over 50 leads delivered one at a time.
 * Prints one JSON line: median and p95 in ms. Target: p95 under 5 s.
 * Run: node --import tsx test/bench/lead-watch-latency.ts
 * It uses only the app's test helpers (startWorld: dovecot, SMTP capture, simulator, and the
 * responder's main() in-process; directLead: a sample lead). They are test-only, not part of the
 * package's exports, so they are imported by relative path.
 */
import { startWorld } from '../../apps/gmb-lead-responder/test/support/world.ts';
import { directLead } from '../../apps/gmb-lead-responder/test/support/sample.ts';

const N = Number(process.env.LEADS ?? 50);
const w = await startWorld({ LEAD_WATCH_POLL_SECONDS: '30', LEAD_MAX_REPLIES_PER_DAY: String(N + 1) });
const ac = new AbortController();
const running = w.run(['--watch'], { signal: ac.signal });
const latencies: number[] = [];
try {
  // let the watcher connect and enter IDLE
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await w.deliver(directLead(`bench${i}`));
    await w.smtp.waitFor(i + 1, { timeoutMs: 60_000 });
    latencies.push(performance.now() - t0);
  }
} finally {
  ac.abort();
  await running;
  await w.close();
}
const sorted = [...latencies].sort((a, b) => a - b);
const pick = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
console.log(JSON.stringify({ bench: 'lead-watch-latency', leads: N, median_ms: pick(0.5), p95_ms: pick(0.95), max_ms: Math.round(sorted.at(-1)!) }));
