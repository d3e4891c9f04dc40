/**
 * Journal compaction: the append-only journal is rewritten with only what a run still needs,
 * at the start of a run, under the run lock (no other writer), before the journal is opened.
 *
 * Kept, record for record and in order:
 * - every lead that is not settled (an intent of unknown outcome, a hold not confirmed, an
 *   answer without its Sent copy or flags, a lead the owner was not told of yet), whatever its
 *   age: the recovery that follows in the same run needs it;
 * - every lead whose last record is within the retention window: the "already handled" check
 *   (dedup by the lead's key), the Message-IDs of our replies (loop guard) and the replies of
 *   the current day (the per-sender cap) all come from these;
 * - `notice` records, cut down to the leads kept.
 * Dropped: settled leads older than the window, and lines torn by a crash. The retention must
 * exceed LEAD_MAX_AGE_HOURS (older mail is never answered, so a dropped key cannot be answered
 * again) and a day (the cap's day); config.ts checks that.
 *
 * The rewrite is atomic, through @jobs/core/atomic-file: a temporary file (0600) is written and
 * fsynced, renamed over the journal, then the folder is fsynced. A crash before the rename leaves the old journal (and a
 * temporary file the next compaction removes); after it, the new one, complete. Either holds
 * everything needed.
 */
import { readFile } from 'node:fs/promises';
import { removeLeftoverTemps } from '@jobs/core/atomic-file';
import { LeadError } from './errors.ts';
import { rewriteJournal } from './internal/journal-rewrite.ts';
import { type JournalRecord, parseJournal } from './journal.ts';
import { buildIndex, isSettled } from './lead-state.ts';

/** Default retention of settled leads: 30 days. */
export const DEFAULT_RETENTION_MS = 30 * 24 * 3600_000;

/** The steps of a rewrite, in order (a test hook can stop after any of them, as a crash would). */
export type CompactStep = 'planned' | 'temp-written' | 'temp-synced' | 'renamed' | 'dir-synced';

/** Options of compactJournal. */
export interface CompactOptions {
  readonly now?: () => number;
  /** Settled leads whose last record is older than this are dropped. Default 30 days. */
  readonly retentionMs?: number;
  /** Rewrite only when at least this many records go, or a quarter of the file. Default 200. */
  readonly minDrop?: number;
  /** Called after each step; a throw there stands for a crash at that point (tests). */
  readonly afterStep?: (step: CompactStep) => void | Promise<void>;
}

/** What a compaction did. */
export interface CompactResult {
  readonly compacted: boolean;
  /** Records before and after (after = before when not compacted). */
  readonly before: number;
  readonly after: number;
}

/** The records to keep (pure; see the module comment). */
export function compactRecords(records: readonly JournalRecord[], nowMs: number, retentionMs: number): JournalRecord[] {
  const index = buildIndex(records);
  const lastAt = new Map<string, number>();
  for (const r of records) {
    if (r.t === 'notice') continue;
    // an unparseable date counts as recent: keeping too much is harmless, dropping is not
    const at = Number.isNaN(Date.parse(r.at)) ? Number.POSITIVE_INFINITY : Date.parse(r.at);
    lastAt.set(r.lead, Math.max(lastAt.get(r.lead) ?? Number.NEGATIVE_INFINITY, at));
  }
  const cutoff = nowMs - retentionMs;
  const kept = new Set<string>();
  for (const [key, state] of index.leads) {
    const recent = (lastAt.get(key) ?? Number.POSITIVE_INFINITY) >= cutoff;
    // a `new` lead (its reply certainly not sent) holds nothing a run needs once old
    if (recent || (state.status !== 'new' && !isSettled(state))) kept.add(key);
  }
  const out: JournalRecord[] = [];
  for (const r of records) {
    if (r.t !== 'notice') {
      if (kept.has(r.lead)) out.push(r);
      continue;
    }
    const leads = r.leads.filter((l) => kept.has(l));
    if (leads.length > 0) out.push({ ...r, leads });
  }
  return out;
}

/** Compacts the journal at `path` when enough can go. Throws LeadError ESTATE; the journal is then unchanged or fully replaced. */
export async function compactJournal(path: string, options: CompactOptions = {}): Promise<CompactResult> {
  const now = options.now ?? Date.now;
  const retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
  const minDrop = options.minDrop ?? 200;
  try {
    // temporary files left by a crash mid-compaction: the journal itself was not replaced
    await removeLeftoverTemps(path);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return { compacted: false, before: 0, after: 0 };
      throw err;
    }
    const records = parseJournal(text);
    const kept = compactRecords(records, now(), retentionMs);
    const dropped = records.length - kept.length;
    if (dropped === 0 || (dropped < minDrop && dropped * 4 < records.length)) {
      return { compacted: false, before: records.length, after: records.length };
    }
    await options.afterStep?.('planned');
    await rewriteJournal(path, kept.map((r) => `${JSON.stringify(r)}\n`).join(''), options.afterStep);
    return { compacted: true, before: records.length, after: kept.length };
  } catch (err) {
    throw new LeadError('ESTATE', `could not compact the journal ${path}: it is left as it was or fully replaced; check the state dir`, {
      path,
      cause: err,
    });
  }
}
