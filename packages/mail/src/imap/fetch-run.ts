/**
 * Second phase of a fetch: bodies, in chunks. Each chunk is fetched under the mailbox lock and
 * read to its end before the lock is released, so the consumer runs with no FETCH open and no
 * lock held and may call other IMAP methods (flags, append) between messages. One chunk is
 * prefetched while the consumer works on the previous one; memory is bounded by two chunks
 * (`batchBytes` each) plus one oversized message reduced to its text parts.
 *
 * Key, Message-ID, flags and INTERNALDATE come with the body (the plan holds UID and size
 * only): the key is read from the header lines the body already carries. A message whose key
 * was handled before (a copy delivered again) or already came in this run is dropped here and
 * counted in `duplicates`; a resync drops most of its duplicates in the plan, unfetched.
 */
import type { FetchMessageObject, ImapFlow } from 'imapflow';
import { MailError } from '../errors.ts';
import { advanceCheckpoint, type Checkpoint, type HandledMessage } from '../state/checkpoint.ts';
import type { ImapConnection } from './connection.ts';
import { dateMs, type FetchMode, type FetchPlan, type PlannedMessage, toSequenceSet, uidValidityOf } from './fetch-plan.ts';
import { messageIdentity } from './message-key.ts';
import { type GmailIds, gmailIdsOf, gmailQuery, offersGmailIds } from './gmail-ids.ts';
import type { ResolvedImapOptions } from './options.ts';
import { buildReducedMessage, type OmittedPart, planParts } from './oversize.ts';
import { loadByTextPlan } from './text-fetch.ts';

/** One message as the source yields it. */
export interface FetchedMessage {
  readonly uid: number;
  readonly uidValidity: string | null;
  readonly mailbox: string;
  /** Deduplication key: Message-ID in angle brackets, or `synthetic:<sha256>`. */
  readonly key: string;
  readonly messageId: string | null;
  readonly flags: readonly string[];
  readonly internalDate: Date | null;
  /** RFC822.SIZE as the server reported it. */
  readonly size: number;
  /** The whole message, or, when `reduced`, its headers and text parts only. */
  readonly raw: Buffer;
  /** True when the message was over `maxMessageBytes` and only its text was fetched. */
  readonly reduced: boolean;
  /** Parts left out of a reduced message (attachments are never downloaded whole). */
  readonly omittedParts: readonly OmittedPart[];
  /**
   * X-GM-MSGID and X-GM-THRID when the server offers X-GM-EXT-1 (Gmail), else null: the
   * message's one identity across labels, and Gmail's conversation as a threading hint.
   */
  readonly gmail: GmailIds | null;
}

/** A planned fetch: iterate it, then save `checkpoint()` once the messages are handled. */
export interface FetchRun extends AsyncIterable<FetchedMessage> {
  readonly mode: FetchMode;
  readonly uidValidity: string | null;
  /** Messages that will be yielded (some may vanish if expunged meanwhile). */
  readonly total: number;
  /**
   * Messages skipped because their key was already handled: those a resync's plan dropped,
   * plus copies found while fetching (counted as they are reached).
   */
  readonly duplicates: number;
  /**
   * The checkpoint covering every message yielded so far. With `beforeUid`, only messages
   * below that UID count (the caller could not handle that one: it is fetched again next run).
   */
  checkpoint(options?: { beforeUid?: number }): Checkpoint;
}

/** The query of a body chunk: the key is read from `source`, no ENVELOPE. */
const BODY_QUERY = { uid: true, source: true, flags: true, internalDate: true } as const;

/** Builds the run for a plan made under `checkpoint`. */
export function createFetchRun(
  conn: ImapConnection,
  opts: ResolvedImapOptions,
  mailbox: string,
  plan: FetchPlan,
  previous: Checkpoint | undefined,
): FetchRun {
  const chunks = chunk(plan.messages, opts);
  // keys handled before (resync and incremental runs) and those yielded in this run
  const seen = new Set(plan.mode === 'initial' ? [] : (previous?.recent ?? []).map((r) => r.key));
  /** Messages of the plan passed (yielded, gone or duplicate), in UID order. */
  let passed = 0;
  let duplicates = plan.duplicates;
  const handled: HandledMessage[] = [];

  async function load(part: readonly PlannedMessage[]): Promise<Map<number, FetchedMessage>> {
    return conn.run(
      'fetch bodies',
      (client) =>
        conn.withMailbox(client, mailbox, async (mb) => {
          // UIDs from the plan only mean something under the same UIDVALIDITY
          if (uidValidityOf(mb) !== plan.uidValidity) {
            throw new MailError('EUIDVALIDITY', `UIDVALIDITY of ${mailbox} changed during the run: run again to resync`, {
              mailbox,
            });
          }
          const gm = offersGmailIds(client);
          const first = part[0];
          if (part.length === 1 && first && first.size > opts.maxMessageBytes) {
            return new Map(await loadReduced(client, first, gm));
          }
          const sizes = new Map(part.map((m) => [m.uid, m.size]));
          const out = new Map<number, FetchedMessage>();
          if (opts.textPrefixBytes > 0) {
            for (const t of await loadByTextPlan(client, part, opts.textPrefixBytes, gmailQuery(gm))) {
              out.set(t.row.uid, toFetched(t.row, t.size, t.header, t.raw, t.reduced, [], gm));
            }
            return out;
          }
          // read to the end before the lock is released; no IMAP command inside this loop
          for await (const row of client.fetch(toSequenceSet(part.map((m) => m.uid)), { ...BODY_QUERY, ...gmailQuery(gm) }, { uid: true })) {
            const size = sizes.get(row.uid);
            if (size === undefined || !row.source) continue;
            out.set(row.uid, toFetched(row, size, row.source, row.source, false, [], gm));
          }
          return out;
        }),
      { idempotent: true, mailbox },
    );
  }

  async function loadReduced(client: ImapFlow, m: PlannedMessage, gm: boolean): Promise<Array<[number, FetchedMessage]>> {
    const meta = await client.fetchOne(
      String(m.uid),
      { uid: true, bodyStructure: true, headers: true, flags: true, internalDate: true, ...gmailQuery(gm) },
      { uid: true },
    );
    if (meta === false || !meta.bodyStructure) return [];
    const header = meta.headers ?? Buffer.alloc(0);
    const parts = planParts(meta.bodyStructure);
    const plain = parts.plain ? await download(client, m.uid, parts.plain) : null;
    const html = parts.html ? await download(client, m.uid, parts.html) : null;
    const raw = buildReducedMessage({ header, plain, html, originalSize: m.size, omitted: parts.omitted });
    opts.logger.info({ uid: m.uid, size: m.size, omitted: parts.omitted.length }, 'oversized message reduced to its text parts');
    return [[m.uid, toFetched(meta, m.size, header, raw, true, parts.omitted, gm)]];
  }

  async function download(client: ImapFlow, uid: number, part: string): Promise<Buffer | null> {
    const { content } = await client.download(String(uid), part, { uid: true, maxBytes: opts.maxTextPartBytes });
    if (!content) return null;
    const buffers: Buffer[] = [];
    for await (const piece of content) buffers.push(Buffer.isBuffer(piece) ? piece : Buffer.from(piece as string));
    return Buffer.concat(buffers);
  }

  function toFetched(
    row: FetchMessageObject,
    size: number,
    header: Buffer,
    raw: Buffer,
    reduced: boolean,
    omittedParts: readonly OmittedPart[],
    gm: boolean,
  ): FetchedMessage {
    const { key, messageId } = messageIdentity(header, size);
    const at = dateMs(row.internalDate);
    return {
      uid: row.uid,
      uidValidity: plan.uidValidity,
      mailbox,
      key,
      messageId,
      flags: [...(row.flags ?? [])],
      internalDate: Number.isNaN(at) ? null : new Date(at),
      size,
      raw,
      reduced,
      omittedParts,
      gmail: gmailIdsOf(row, gm),
    };
  }

  async function* iterate(): AsyncGenerator<FetchedMessage> {
    let next: Promise<Map<number, FetchedMessage>> | undefined;
    const start = (i: number) => {
      const part = chunks[i];
      if (!part) return undefined;
      const p = load(part);
      p.catch(() => undefined); // awaited below; this only keeps a prefetch from being "unhandled"
      return p;
    };
    try {
      next = start(0);
      for (let i = 0; i < chunks.length; i++) {
        const part = chunks[i] ?? [];
        const loaded = await (next ?? load(part));
        next = start(i + 1);
        for (const m of part) {
          const fetched = loaded.get(m.uid);
          loaded.delete(m.uid); // the consumer may keep what it got; the run does not
          passed++; // counted once handed over (even if the consumer stops here), gone or dropped
          if (!fetched) continue; // expunged since the plan
          if (seen.has(fetched.key)) {
            duplicates++;
            continue;
          }
          seen.add(fetched.key);
          handled.push({ uid: fetched.uid, key: fetched.key, internalDate: fetched.internalDate });
          yield fetched;
        }
      }
    } finally {
      await next?.catch(() => undefined); // let a prefetch finish and release its lock
    }
  }

  return {
    mode: plan.mode,
    uidValidity: plan.uidValidity,
    total: plan.messages.length,
    get duplicates() {
      return duplicates;
    },
    [Symbol.asyncIterator]: iterate,
    checkpoint(options = {}) {
      // everything below `bound` is handled, a duplicate, gone, or was not a candidate
      const pending = plan.messages[passed];
      const bound = Math.min(options.beforeUid ?? Number.POSITIVE_INFINITY, plan.scanTop + 1, pending?.uid ?? Number.POSITIVE_INFINITY);
      return advanceCheckpoint(
        previous,
        plan.uidValidity,
        handled.filter((m) => m.uid < bound),
        bound - 1,
        { now: opts.now(), retainMs: opts.retainMs, maxRecent: opts.maxRecent },
      );
    },
  };
}

/** Groups small messages up to `batchBytes` (and 200 per FETCH); an oversized one goes alone. */
function chunk(messages: readonly PlannedMessage[], opts: ResolvedImapOptions): PlannedMessage[][] {
  const out: PlannedMessage[][] = [];
  let current: PlannedMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    if (m.size > opts.maxMessageBytes) {
      if (current.length) out.push(current);
      out.push([m]);
      current = [];
      bytes = 0;
      continue;
    }
    if (current.length && (bytes + m.size > opts.batchBytes || current.length >= 200)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += m.size;
  }
  if (current.length) out.push(current);
  return out;
}
