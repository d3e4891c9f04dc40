/**
 * Test support: answers the digest's summary calls on the Anthropic simulator with valid JSON
 * built from the thread ids in the request, and a Claude client wired to the simulator, a real
 * ledger on a temp file, and a fake clock and sleeper (no wall-clock waits).
 */
import { createClaudeClient, type ClaudeClient } from '@jobs/claude/client';
import { createLedger } from '@jobs/ledger/ledger';
import type { AnthropicSimulator, SimRequest } from '@jobs/testkit/anthropic-simulator';

export const TEST_KEY = 'sk-ant-test-digest-0123456789';

/** The text of the last user message of a Messages request. */
export function userText(req: SimRequest): string {
  const messages = (req.body?.messages ?? []) as Array<{ role: string; content: unknown }>;
  const users = messages.filter((m) => m.role === 'user');
  const content = users[0]?.content;
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((b: { text?: string }) => b.text ?? '').join('') : '';
}

/** Thread ids (`t1`, ...) in a summary request. */
export function threadIds(req: SimRequest): string[] {
  return [...userText(req).matchAll(/<thread id="(t\d+)"/g)].map((m) => m[1]!);
}

/** A valid summary reply for `req`: every thread needs a reply (has an action) when its text has "?". */
export function summaryReply(req: SimRequest): string {
  const text = userText(req);
  const blocks = text.split('<thread id="').slice(1);
  return JSON.stringify({
    t: blocks.map((b) => {
      const id = b.slice(0, b.indexOf('"'));
      const subject = /subject="([^"]*)"/.exec(b)?.[1] ?? '';
      return { id, s: `Summary of ${subject}`, ...(b.includes('?') ? { r: 'Answer the question' } : {}) };
    }),
  });
}

/** A fake clock whose sleeper advances it (retries and batch polls take no real time). */
export function fakeClock(start = Date.parse('2026-11-23T12:00:00Z')) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

/** A client on the simulator with a real ledger at `ledgerPath`. */
export function simClient(sim: AnthropicSimulator, ledgerPath: string, clock: ReturnType<typeof fakeClock>, budgetUsd = 1): ClaudeClient {
  return createClaudeClient({
    apiKey: TEST_KEY,
    baseURL: sim.url,
    app: 'digest',
    job: 'test',
    runId: 'run-test',
    budgetUsd,
    ledger: createLedger({ path: ledgerPath }),
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
  });
}
