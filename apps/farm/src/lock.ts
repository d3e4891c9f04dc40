/**
 * One run at a time per project, across processes: farm's use of the suite's lock
 * (@jobs/core/lock), one lock file per project under the farm's `locks` folder. A busy project
 * is waited for (polling) or refused with FarmError ELOCKED saying what to do.
 */
import { join } from 'node:path';
import { acquireLock, type HeldLock, LockBusyError, type LockHolder } from '@jobs/core/lock';
import type { Logger } from '@jobs/core/logger';
import { FarmError } from './errors.ts';

/** Options of acquireProjectLock. */
export interface LockOptions {
  /** Directory of lock files (created 0700). */
  dir: string;
  project: string;
  /** Wait for a busy project (polling) instead of refusing. Default true. */
  wait?: boolean;
  /** Give up waiting after this long. Default 600 000 ms. */
  timeoutMs?: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Is the lock's holder alive? Default: same boot, host, live pid with the same start time. */
  isAlive?: (holder: LockHolder) => boolean;
  logger?: Logger;
}

/** A held project lock. */
export type ProjectLock = HeldLock;

/** Takes the project's lock, waiting for it (or not); throws FarmError ELOCKED when it cannot. */
export async function acquireProjectLock(o: LockOptions): Promise<ProjectLock> {
  const path = join(o.dir, `${o.project}.lock`);
  try {
    return await acquireLock({
      path,
      wait: o.wait ?? true,
      ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.pollMs !== undefined ? { pollMs: o.pollMs } : {}),
      ...(o.sleep ? { sleep: o.sleep } : {}),
      ...(o.now ? { now: o.now } : {}),
      ...(o.isAlive ? { alive: o.isAlive } : {}),
      ...(o.logger ? { logger: o.logger } : {}),
    });
  } catch (err) {
    if (!(err instanceof LockBusyError)) throw err;
    const who = `pid ${err.holder?.pid ?? '?'} on ${err.holder?.host ?? '?'}`;
    const seconds = Math.round((o.timeoutMs ?? 600_000) / 1000);
    throw new FarmError(
      'ELOCKED',
      err.waited
        ? `project ${o.project} stayed busy for ${seconds} s (lock ${path}); raise FARM_LOCK_WAIT_SECONDS or check ${who}`
        : `project ${o.project} is busy (${who} holds ${path}); try again later or drop --no-wait`,
      { project: o.project },
    );
  }
}
