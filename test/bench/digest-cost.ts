/**
 * Benchmark: tokens and USD of the digest's summaries, from the Anthropic simulator's usage
 * priced with @jobs/claude's table (default model, list price): the bundled sample, a
 * 200-thread day (threads of the SpamAssassin ham corpus, all treated as conversations), the
 * whole 4,150-message ham corpus against a naive baseline (each raw message in its own call),
 * direct and --batch. Prints one JSON line.
 *
 * The simulator's scripted reply is what sets output tokens, so it follows what the prompt asks
 * for, at its limits: every thread gets a summary of exactly SUMMARY_WORDS (20) words (the
 * model is told "at most", so this is the upper end), and one thread in three gets an action
 * of ACTION_WORDS (8) words, in the prompt's compact JSON. Words are taken from realistic
 * business prose (about 5.5 characters a word with the space).
 *
 *   node --import tsx test/bench/digest-cost.ts
 */
import { mkdtemp, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClaudeClient } from '@jobs/claude/client';
import { costOf } from '@jobs/claude/pricing';
import { createLedger } from '@jobs/ledger/ledger';
import { parseMessage } from '@jobs/mail/parse';
import { type SimRequest, startAnthropicSimulator, tokensForText } from '@jobs/testkit/anthropic-simulator';
import { toDigestMessage } from '@jobs/digest/classify';
import { collect } from '@jobs/digest/collect';
import { spamAssassinDataDir } from '@jobs/testkit/spam-assassin';
import { noopLogger } from '@jobs/core/logger';
import { SAMPLE_MAILDIR } from '@jobs/digest/sample';
import { createMaildirSource } from '@jobs/digest/source/maildir';
import { summarizeThreads } from '@jobs/digest/summarize';
import { ACTION_WORDS, SUMMARY_WORDS } from '@jobs/digest/prompt';
import { buildThreads, type PendingThread } from '@jobs/digest/threads';

const KEY = 'sk-ant-bench-0123456789';
const MODEL = 'claude-haiku-5-5';
const dir = await promisify(mkdtemp)(join(tmpdir(), 'digest-cost-'));

const WORDS = 'The customer asks about the schedule and the price and wants an answer before Friday so the crew can plan the week'.split(' ');
const words = (n: number, from: number) => Array.from({ length: n }, (_, i) => WORDS[(from + i) % WORDS.length]).join(' ');
function reply(req: SimRequest): string {
  const messages = (req.body?.messages ?? []) as Array<{ content: string }>;
  const text = String(messages[0]?.content ?? '');
  const ids = [...text.matchAll(/<thread id="(t\d+)"/g)].map((m) => m[1]);
  return JSON.stringify({ t: ids.map((id, i) => ({ id, s: `${words(SUMMARY_WORDS, i)}.`, ...(i % 3 === 0 ? { r: words(ACTION_WORDS, i + 3) } : {}) })) });
}

await using sim = await startAnthropicSimulator({ apiKeys: [KEY] });
sim.respond((req) => ({ kind: 'reply', text: reply(req) }));
let n = 0;
const client = () =>
  createClaudeClient({ apiKey: KEY, baseURL: sim.url, app: 'digest', job: 'bench', runId: `bench-${n++}`, budgetUsd: 50, ledger: createLedger({ path: join(dir, 'ledger.jsonl') }), model: MODEL });

async function cost(threads: PendingThread[], batch: boolean) {
  const r = await summarizeThreads(threads, { claude: client(), logger: noopLogger, ...(batch ? { batch: { deadlineMs: 60_000, pollIntervalMs: 10 } } : {}) });
  return { calls: r.calls, inputTokens: r.inputTokens, outputTokens: r.outputTokens, usd: Number(r.usd.toFixed(6)), degraded: r.degraded };
}

// The sample Maildir, as a run sees it.
const sampleRun = await createMaildirSource({ path: SAMPLE_MAILDIR, stateDir: dir }).open({
  classify: { ownAddresses: ['carole@carolesgardens.example', 'hello@carolesgardens.example'], maxMessageChars: 1500 },
});
const sample = await collect(sampleRun, { logger: noopLogger });
const sampleThreads = buildThreads(sample.messages);

// The ham corpus, every thread treated as a conversation (lists included), to price the text
// the digest would send if nothing were grouped by rule.
const root = spamAssassinDataDir();
const files = (JSON.parse(readFileSync(join(root, 'file_list.json'), 'utf8')) as string[]).filter((f) => /^(easy-ham-1|easy-ham-2|hard-ham-1)\//.test(f));
const hamMessages = [];
let naiveInput = 0;
for (const f of files) {
  const raw = readFileSync(join(root, f));
  // Naive baseline: the raw message in its own call with a one-line instruction.
  naiveInput += tokensForText(`Summarize this email in two sentences.\n\n${raw.toString('latin1')}`, MODEL);
  const p = await parseMessage(raw);
  if (p.ok) hamMessages.push({ ...toDigestMessage(p.message, { ownAddresses: [], maxMessageChars: 1500 }), kind: 'person' as const });
}
const hamAll = buildThreads(hamMessages);
const day200 = hamAll.slice(0, 200);
const day200Messages = day200.reduce((s, t) => s + t.messages.length, 0);
const hamDesigned = buildThreads(
  await Promise.all(files.map(async (f) => {
    const p = await parseMessage(readFileSync(join(root, f)));
    return p.ok ? toDigestMessage(p.message, { ownAddresses: [], maxMessageChars: 1500 }) : null;
  })).then((xs) => xs.filter((x) => x !== null)),
);

const sampleDirect = await cost(sampleThreads, false);
const sampleBatch = await cost(sampleThreads, true);
const dayDirect = await cost(day200, false);
const dayBatch = await cost(day200, true);
const hamDirect = await cost(hamAll, false);
const hamAsDesigned = await cost(hamDesigned, false);
const naiveUsd = costOf(MODEL, { input_tokens: naiveInput, output_tokens: 60 * files.length }).usd ?? 0;
const per100 = (usd: number, messages: number) => Number(((usd / messages) * 100).toFixed(6));

console.log(
  JSON.stringify({
    bench: 'digest-cost',
    model: MODEL,
    sample: { messages: 32, threads: sampleThreads.length, direct: sampleDirect, batch: sampleBatch, usdPer100MessagesDirect: per100(sampleDirect.usd, 32), usdPer100MessagesBatch: per100(sampleBatch.usd, 32) },
    day200: { threads: 200, messages: day200Messages, direct: dayDirect, batch: dayBatch, usdPer100MessagesDirect: per100(dayDirect.usd, day200Messages), usdPer100MessagesBatch: per100(dayBatch.usd, day200Messages) },
    ham4150: {
      naiveInputTokens: naiveInput,
      naiveUsd: Number(naiveUsd.toFixed(4)),
      allThreadsAsConversations: { threads: hamAll.length, ...hamDirect, inputReduction: Number((naiveInput / hamDirect.inputTokens).toFixed(1)) },
      asDesigned: { conversations: hamDesigned.filter((t) => t.kind === 'conversation').length, ...hamAsDesigned, inputReduction: Number((naiveInput / Math.max(1, hamAsDesigned.inputTokens)).toFixed(1)) },
      usdPer100MessagesDirect: per100(hamDirect.usd, 4150),
    },
  }),
);
