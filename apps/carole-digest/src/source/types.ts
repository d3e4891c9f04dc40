/**
 * What the pipeline needs from a mail source: messages one at a time, already reduced to what
 * the digest keeps (or flagged as spam, or quarantined), a count for the progress display, and
 * a commit that stores the checkpoint (called only after the send).
 */
import type { ClassifyOptions } from '../classify.ts';
import type { ItemResult } from '../parse/item.ts';

/** One message from a source: reduced, spam, or quarantined with the reason. */
export interface SourceItem {
  /** IMAP UID or Maildir file name: what a quarantine report names. */
  readonly id: string;
  readonly result: ItemResult;
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

/** Options of MailSource.open. */
export interface OpenOptions {
  readonly since?: Date | undefined;
  readonly firstRunSince?: Date | undefined;
  /** How messages are reduced (the owner's addresses, the text kept). Default: no owner, 1 500 characters. */
  readonly classify?: ClassifyOptions | undefined;
}

/** Classification when open() is given none. */
export const DEFAULT_CLASSIFY: ClassifyOptions = Object.freeze({ ownAddresses: [], maxMessageChars: 1500 });

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
  open(options: OpenOptions): Promise<SourceRun>;
}
