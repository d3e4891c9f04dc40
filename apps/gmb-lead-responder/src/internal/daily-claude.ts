/**
 * For --watch: a Claude client whose budget is per day (in the cap's time zone) rather than per
 * process, so a watcher that runs for weeks keeps answering and still has a daily ceiling.
 */
import type { ClaudeClient } from '@jobs/claude/client';
import { dayKey } from '../lead-state.ts';

/** A client that is rebuilt (fresh budget) when the day changes. */
export function dailyClaude(make: () => ClaudeClient, now: () => number, timeZone: string): ClaudeClient {
  let day = dayKey(now(), timeZone);
  let client = make();
  const current = (): ClaudeClient => {
    const today = dayKey(now(), timeZone);
    if (today !== day) {
      day = today;
      client = make();
    }
    return client;
  };
  return {
    message: (req) => current().message(req),
    spentUsd: () => current().spentUsd(),
    remainingUsd: () => current().remainingUsd(),
    get model() {
      return client.model;
    },
    get fallbackModel() {
      return client.fallbackModel;
    },
    get pricing() {
      return client.pricing;
    },
  };
}
