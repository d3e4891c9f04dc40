/**
 * Reads a source pass into digest messages: quarantined messages are logged and reported,
 * spam is counted and dropped, the rest arrive already reduced (quotes stripped, text capped)
 * by the source. Only those compact records are kept, so memory grows with the excerpts of the
 * window, not with raw or parsed mail.
 */
import type { Logger } from '@jobs/core/logger';
import type { SourceRun } from './source/types.ts';
import type { DigestMessage, QuarantinedItem } from './types.ts';

/** What a pass produced. */
export interface Collected {
  readonly messages: DigestMessage[];
  /** Messages read (parsed or not). */
  readonly read: number;
  readonly spam: number;
  readonly quarantined: QuarantinedItem[];
}

/** Options of collect. */
export interface CollectOptions {
  readonly logger: Logger;
  /** Called after each message with (done, remaining when known). */
  readonly onProgress?: (done: number, remaining: number | undefined) => void;
}

/** Consumes `run` (see the module comment). */
export async function collect(run: SourceRun, options: CollectOptions): Promise<Collected> {
  const messages: DigestMessage[] = [];
  const quarantined: QuarantinedItem[] = [];
  let read = 0;
  let spam = 0;
  for await (const item of run) {
    read++;
    const { result } = item;
    if (!result.ok) {
      // Reported, never dropped silently; the message stays in the mailbox untouched.
      options.logger.warn({ id: item.id, code: result.code, reason: result.reason, sizeBytes: result.sizeBytes }, 'message quarantined');
      quarantined.push({ id: item.id, code: result.code, reason: result.reason });
    } else if (result.spam) {
      spam++;
      options.logger.debug({ id: item.id }, 'spam-flagged message dropped');
    } else {
      messages.push(result.message);
    }
    options.onProgress?.(read, run.remaining());
  }
  return { messages, read, spam, quarantined };
}
