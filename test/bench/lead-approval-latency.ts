/**
 * Benchmark: time from the owner's answer ("send") landing in the mailbox to the approved
 * reply reaching the SMTP capture, with the responder in --approve --watch mode (IMAP IDLE),
 * over 20 leads: each lead is delivered, its approval notice awaited, then the answer timed.
 * Prints one JSON line: median and p95 in ms. Target: p95 under 5 s.
 * Run: node test/bench/lead-approval-latency.ts
 * It uses the app's test helpers by relative path (they are test-only, not package exports).
 */
import { answer, APPROVAL_KEYS, notices } from '../../apps/gmb-lead-responder/test/support/approval.ts';
import { directLead } from '../../apps/gmb-lead-responder/test/support/sample.ts';
import { startWorld } from '../../apps/gmb-lead-responder/test/support/world.ts';

const N = Number(process.env.LEADS ?? 20);
const w = await startWorld({ ...APPROVAL_KEYS, LEAD_WATCH_POLL_SECONDS: '30', LEAD_MAX_REPLIES_PER_DAY: String(N + 1) });
const ac = new AbortController();
const running = w.run(['--approve', '--watch'], { signal: ac.signal });
const latencies: number[] = [];
try {
  await new Promise((r) => setTimeout(r, 1500));
  for (let i = 0; i < N; i++) {
    await w.deliver(directLead(`bench${i}`));
    await w.smtp.waitFor(2 * i + 1, { timeoutMs: 60_000 });
    const notice = (await notices(w)).at(-1)!;
    const t0 = performance.now();
    await w.deliver(answer(notice, 'send'));
    await w.smtp.waitFor(2 * i + 2, { timeoutMs: 60_000 });
    latencies.push(performance.now() - t0);
  }
} finally {
  ac.abort();
  await running;
  await w.close();
}
if (w.replies().length !== N) throw new Error(`expected ${N} approved replies, got ${w.replies().length}`);
const sorted = [...latencies].sort((a, b) => a - b);
const pick = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
console.log(JSON.stringify({ bench: 'lead-approval-latency', answers: N, median_ms: pick(0.5), p95_ms: pick(0.95), max_ms: Math.round(sorted.at(-1)!) }));
