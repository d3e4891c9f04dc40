/**
 * The price function the ledger's Claude Code log reader takes, built on @jobs/claude's dated
 * table (the ledger itself depends on nothing of ours). An unknown model is priced `null` and
 * warned about once per model, not once per message.
 */
import { costOf } from '@jobs/claude/pricing';
import type { Logger } from '@jobs/core/logger';
import type { PriceFn } from '@jobs/ledger/claude-logs';

/** `(model, usage) => usd | null` over the built-in pricing table. */
export function apiPrice(logger: Logger): PriceFn {
  const warned = new Set<string>();
  return (model, usage) => {
    const { usd } = costOf(model, usage);
    if (usd === null && !warned.has(model)) {
      warned.add(model);
      logger.warn({ model }, `no API price for model ${model}: its Claude Code messages are shown as unpriced`);
    }
    return usd;
  };
}
