/**
 * What the pipeline needs from a mail source: parsed messages one at a time, a count for the
 * progress display, and a commit that stores the checkpoint (called only after the send).
 */
import type { ParseResult } from '@jobs/mail/message';

/** One message from a source: parsed, or quarantined with the reason. */
export interface SourceItem {
  /** IMAP UID or Maildir file name: what a quarantine report names. */
  readonly id: string;
  readonly result: ParseResult;
}

/** One pass over a source. Iterate once, then `commit()` after the digest went out. */
export interface SourceRun extends AsyncIterable<SourceItem> {
  /** Messages still to be yielded, when known (for the progress display). */
  remaining(): number | undefined;
  /** Stores the checkpoint covering every message yielded. Never called on a dry run. */
  commit(): Promise<void>;
  /** Releases connections; safe to call twice. */
  close(): Promise<void>;
}

/** A mail source: `maildir:PATH` or `imap`. */
export interface MailSource {
  /** `maildir:/home/carole/Maildir`, `imap:INBOX` (for logs and the summary). */
  readonly name: string;
  /** Where its checkpoint lives (the README's state files section). */
  readonly checkpointPath: string;
  /**
   * Plans a pass over what is new since the checkpoint (and since `since`, when given);
   * `firstRunSince` applies only when there is no checkpoint yet.
   */
  open(options: { since?: Date | undefined; firstRunSince?: Date | undefined }): Promise<SourceRun>;
}
