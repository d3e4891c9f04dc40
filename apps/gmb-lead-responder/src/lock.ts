/**
 * The run lock: one responder at a time per state dir (cron plus a manual run, or a watch
 * process plus cron). It is the suite's lock (@jobs/core/lock): a second run exits at once
 * naming the holder's pid; a lock of a run that is gone (killed, pid reused, container
 * recreated) is taken over, by exactly one of several runs starting at once, and a lock file
 * still being written is never called stale.
 */
import { acquireLock, LockBusyError } from '@jobs/core/lock';
import { LeadError } from './errors.ts';

/** A held lock. */
export interface RunLock {
  readonly path: string;
  /** Set when a stale lock of a dead run was taken over. */
  readonly tookOverFrom: number | null;
  release(): Promise<void>;
}

/** Options of acquireRunLock (tests and a pid given by the caller). */
export interface RunLockOptions {
  readonly pid?: number;
  /** Is the holder's pid alive? Default: same boot, host, live pid with the same start time. */
  readonly alive?: (pid: number) => boolean;
}

/** Takes the lock or throws LeadError ELOCKED saying who holds it. */
export async function acquireRunLock(path: string, options: RunLockOptions = {}): Promise<RunLock> {
  const { alive } = options;
  try {
    const lock = await acquireLock({
      path,
      ...(options.pid !== undefined ? { self: { pid: options.pid } } : {}),
      ...(alive ? { alive: (h: { pid: number }) => alive(h.pid) } : {}),
    });
    return { path, tookOverFrom: lock.tookOverFrom?.pid ?? null, release: () => lock.release() };
  } catch (err) {
    if (err instanceof LockBusyError) {
      const holder = err.holder?.pid;
      throw new LeadError(
        'ELOCKED',
        `another lead responder run (pid ${holder ?? '?'}, started ${err.holder?.since ?? '?'}) holds ${path}: this run stops; try again when it ends`,
        { path, pid: holder },
      );
    }
    throw new LeadError('ESTATE', `cannot take the run lock ${path}: check the state dir`, { path, cause: err });
  }
}
