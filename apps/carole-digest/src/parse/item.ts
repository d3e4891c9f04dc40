/**
 * One message, from raw bytes to what the digest keeps: header lines it never reads dropped,
 * read by @jobs/mail's lean parse (header lines, the text parts, attachment metadata; the
 * bytes may be only the message's start) under its size cap, spam flagged, then reduced to a compact
 * DigestMessage (ids, references, subject, from, date, a capped text excerpt). This runs in a
 * parse worker (see pool.ts) or in-process, and its result is small and structured-cloneable:
 * the full parsed message never leaves the function, so a run never holds the mailbox.
 */
import type { ParseResult } from '@jobs/mail/message';
import { parseLean } from '@jobs/mail/lean';
import type { ParseOptions } from '@jobs/mail/parse';
import { type ClassifyOptions, classifyMessage } from '../classify.ts';
import type { DigestMessage } from '../types.ts';
import { keepDigestHeaders } from './headers.ts';

/** What the pipeline gets for one message. */
export type ItemResult =
  /** Parsed and kept. */
  | { readonly ok: true; readonly spam: false; readonly message: DigestMessage }
  /** Parsed, flagged as spam: counted and dropped. */
  | { readonly ok: true; readonly spam: true }
  /** Quarantined: reported, never dropped silently. */
  | { readonly ok: false; readonly code: string; readonly reason: string; readonly sizeBytes: number };

/** Parse caps and classification, the same for every message of a run. */
export interface ItemOptions {
  readonly parse?: Omit<ParseOptions, 'uid' | 'path'>;
  readonly classify: ClassifyOptions;
}

/**
 * Body text handed to quote stripping: far more than any excerpt, enough to get past a long
 * quote to a reply written below it. A larger text only costs time.
 */
const TEXT_CAP = 64 * 1024;

/** Reduces a parse result (see ItemResult). */
export function reduceParsed(result: ParseResult, classify: ClassifyOptions): ItemResult {
  if (!result.ok) return { ok: false, code: result.code, reason: result.reason, sizeBytes: result.sizeBytes };
  const classified = classifyMessage(result.message, classify);
  return classified.spam ? { ok: true, spam: true } : { ok: true, spam: false, message: classified.message };
}

/** What a source knows of the bytes it read: whether they are only the message's start, and its size. */
export interface RawMeta {
  readonly truncated?: boolean;
  /** The whole message's size (default: the bytes given). */
  readonly sizeBytes?: number;
  /** The server's conversation id (Gmail's X-GM-THRID), when it offers one: joins threads (@jobs/mail/thread). */
  readonly threadHint?: string;
}

/** Parses and reduces one raw message. Never throws for bad mail (it is quarantined). */
export async function parseForDigest(raw: Buffer, options: ItemOptions, meta: RawMeta = {}): Promise<ItemResult> {
  const { timeoutMs: _timeout, ...caps } = options.parse ?? {};
  const parse = { maxTextChars: TEXT_CAP, ...caps, sizeBytes: meta.sizeBytes ?? raw.length, truncated: meta.truncated === true };
  const item = reduceParsed(parseLean(keepDigestHeaders(raw), parse), options.classify);
  if (meta.threadHint === undefined || !item.ok || item.spam) return item;
  return { ...item, message: { ...item.message, threadHint: meta.threadHint } };
}
