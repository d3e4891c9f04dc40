/**
 * The run's state under `<state dir>/lead-responder`: the run lock (not in --dry-run), then, under
 * the lock and before the journal is opened, the journal's compaction, then the journal and the
 * IMAP checkpoint store. Everything opened is handed back with its closer.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@jobs/core/logger';
import { type CheckpointStore, createCheckpointStore } from '@jobs/mail/checkpoint';
import { type CompactResult, compactJournal } from './compact.ts';
import type { LeadConfig } from './config.ts';
import { type Journal, openJournal } from './journal.ts';
import { acquireRunLock, type RunLock } from './lock.ts';
import type { RunReport } from './report.ts';

/** The opened state; `close` closes the journal and releases the lock. */
export interface LeadState {
  readonly journal: Journal;
  readonly checkpoints: CheckpointStore;
  readonly compaction: CompactResult | null;
  readonly lock: RunLock | undefined;
  close(): Promise<void>;
}

/** Opens the state for a run in `mode`; throws LeadError ELOCKED / ESTATE. */
export async function openLeadState(
  stateDir: string,
  config: LeadConfig,
  o: { mode: RunReport['mode']; now: () => number; logger: Logger; pid?: number | undefined },
): Promise<LeadState> {
  const appDir = join(stateDir, 'lead-responder');
  await mkdir(appDir, { recursive: true, mode: 0o700 });
  const lock = o.mode === 'dry-run' ? undefined : await acquireRunLock(join(appDir, 'run.lock'), o.pid ? { pid: o.pid } : {});
  try {
    if (lock?.tookOverFrom) o.logger.warn({ pid: lock.tookOverFrom }, 'took over the run lock of a run that is no longer alive');
    const journalPath = join(appDir, 'journal.jsonl');
    const compaction = lock ? await compact(journalPath, config, o) : null;
    const journal = await openJournal(journalPath, { now: o.now, readOnly: o.mode === 'dry-run' });
    const checkpoints = await createCheckpointStore({ stateDir, name: `lead-responder-${config.LEAD_IMAP_MAILBOX.replace(/[^A-Za-z0-9._-]/g, '_')}` });
    const close = async () => {
      await journal.close().catch((err: unknown) => o.logger.warn({ err }, 'close failed'));
      await lock?.release();
    };
    return { journal, checkpoints, compaction, lock, close };
  } catch (err) {
    await lock?.release();
    throw err;
  }
}

async function compact(path: string, config: LeadConfig, o: { now: () => number; logger: Logger }): Promise<CompactResult | null> {
  try {
    const result = await compactJournal(path, { now: o.now, retentionMs: config.LEAD_JOURNAL_RETENTION_DAYS * 24 * 3600_000 });
    if (result.compacted) o.logger.info({ ...result }, 'journal compacted');
    return result;
  } catch (err) {
    // the old journal is intact or the new one complete: the run can go on
    o.logger.warn({ err }, 'journal compaction failed: the journal is unchanged or fully replaced; the run goes on');
    return null;
  }
}
