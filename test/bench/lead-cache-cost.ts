/**
 * Benchmark: tokens and cost per reply with and without the cached profile. The worked
 * example profile (~1,600 tokens) is below Haiku's 4,096-token cache minimum, so it is never
 * cached; a long profile (the example plus a price list and FAQ, over the minimum) is drafted
 * 10 times with cache_control and 10 times without, against the simulator (which caches as
 * the API does). Prints one JSON line.
 * Run: node --import tsx test/bench/lead-cache-cost.ts
 * The responder's code comes through @jobs/lead-responder's exports (./draft, ./profile,
 * ./classify); only test helpers are imported by relative path.
 */
import { readFileSync } from 'node:fs';
import { createClaudeClient } from '@jobs/claude/client';
import { startAnthropicSimulator } from '@jobs/testkit/anthropic-simulator';
import type { Lead } from '@jobs/lead-responder/classify';
import { draftReply } from '@jobs/lead-responder/draft';
import { profileFromText } from '@jobs/lead-responder/profile';
// test-only helpers (the simulator's scripted draft, its API key, the example profile's path):
// not part of the package's exports, so imported by path
import { goodDraft, API_KEY } from '../../apps/gmb-lead-responder/test/support/world.ts';
import { PROFILE_PATH } from '../../apps/gmb-lead-responder/test/support/sample.ts';

const N = 10;
const base = readFileSync(PROFILE_PATH, 'utf8');
const extraFaq = Array.from({ length: 40 }, (_, i) => `**Question ${i + 1} about planting bed ${i + 1}?** Answer: we look at soil, light and water on the consultation visit, then suggest plants that suit bed ${i + 1}; natives where they fit, and a written plan if wanted.`).join('\n\n');
const profiles = { example: profileFromText(base), long: profileFromText(`${base}\n\n## More questions\n\n${extraFaq}`) };
const lead = (i: number): Lead => ({
  key: `<b${i}@x>`, sourceId: 'direct', kind: 'direct', subject: `Question ${i}`, messageId: `<b${i}@x>`, references: [],
  details: { name: `Customer ${i}`, email: `c${i}@example.org`, phone: null, message: `Could you help with a shady bed? (${i})` },
});

await using sim = await startAnthropicSimulator({ apiKeys: [API_KEY] });
sim.respond(goodDraft);
const rows: Array<{ ledger: object[] }> = [];
async function measure(name: keyof typeof profiles, cache: boolean) {
  const ledger = { rows: [] as object[], async append(row: object) { this.rows.push(row); } };
  const claude = createClaudeClient({ apiKey: API_KEY, baseURL: sim.url, app: 'lead-responder', job: 'bench', runId: `bench-${name}-${cache}`, budgetUsd: 5, ledger });
  let input = 0, output = 0, read = 0, write = 0, usd = 0;
  for (let i = 0; i < N; i++) {
    const r = await draftReply(claude, profiles[name], lead(i), { cacheSystem: cache });
    input += r.inputTokens; output += r.outputTokens; read += r.cacheReadTokens; write += r.cacheWriteTokens; usd += r.usd ?? 0;
  }
  rows.push({ ledger: ledger.rows });
  const per = (x: number) => Math.round(x / N);
  return { profile: name, cache, input_tokens_per_reply: per(input), cache_write_per_reply: per(write), cache_read_per_reply: per(read), output_tokens_per_reply: per(output), usd_per_reply: Number((usd / N).toFixed(7)) };
}
const results = [await measure('example', true), await measure('long', false), await measure('long', true)];
console.log(JSON.stringify({ bench: 'lead-cache-cost', replies_each: N, results }));
