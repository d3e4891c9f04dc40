/**
 * The suite's one cross-process lock (one run at a time per project, per state folder). The lock
 * file holds its owner's pid, host, boot id and process start time and a random token; it is
 * taken by link()-ing a fully written temp file to its name, so no reader ever sees it half
 * written. A lock whose owner is gone (dead pid, pid reused by a later process, another boot,
 * a recreated container's old host name) is taken over under a second lock, so exactly one of
 * many takers wins. A lock file that cannot be parsed is left alone until it is `staleWriteMs`
 * old (a writer of an older format between create and write), then taken over.
 *
 * Busy: throws LockBusyError (`code` ELOCKED). File system errors are thrown as they are: the
 * caller wraps both in its own error with what to do.
 */
import { mkdir, unlink } from 'node:fs/promises';
import { type LockFileState, linkExclusive, readLockFile, takeOver, writeTemp } from './internal/lock-file.ts';
import { holderAlive, type ProcessIdentity, processIdentity } from './internal/process-identity.ts';
import { type LockHolder, LockBusyError, parseHolder } from './lock-holder.ts';
import type { Logger } from './logger.ts';
import { noopLogger } from './logger.ts';

export { LockBusyError, type LockHolder, parseHolder } from './lock-holder.ts';
export { pidAlive, readStartTime } from './internal/process-identity.ts';

/** Options of acquireLock. */
export interface LockOptions {
  /** The lock file; its folder is created 0700. */
  readonly path: string;
  /** Wait (polling) for a busy lock instead of throwing at once. Default false. */
  readonly wait?: boolean;
  /** Give up waiting after this long. Default 600 000 ms. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
  /** Age after which an unparseable lock file counts as torn by a crash. Default 10 000 ms. */
  readonly staleWriteMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clock of the wait timeout. */
  readonly now?: () => number;
  /** Wall clock compared with the lock file's mtime. Default Date.now. */
  readonly fileClock?: () => number;
  /** Who we are; fields given replace this process's own (tests). */
  readonly self?: Partial<ProcessIdentity>;
  /** Is the holder still running? Default: boot id, host, pid and start time all match a live process. */
  readonly alive?: (holder: LockHolder) => boolean;
  readonly logger?: Logger;
}

/** A held lock. */
export interface HeldLock {
  readonly path: string;
  /** The holder of the stale lock this one replaced, else null. */
  readonly tookOverFrom: LockHolder | null;
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Takes the lock at `o.path`, waiting for it if `o.wait`; throws LockBusyError when it cannot. */
export async function acquireLock(o: LockOptions): Promise<HeldLock> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const fileClock = o.fileClock ?? Date.now;
  const self: ProcessIdentity = { ...processIdentity(o.self?.pid), ...o.self };
  const alive = o.alive ?? ((h: LockHolder) => holderAlive(h, self));
  const staleWriteMs = o.staleWriteMs ?? 10_000;
  const logger = o.logger ?? noopLogger;
  const timeoutMs = o.timeoutMs ?? 600_000;
  const pollMs = o.pollMs ?? 250;
  const dir = o.path.slice(0, Math.max(0, o.path.lastIndexOf('/'))) || '.';
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Web Crypto's global: node:crypto loads on the first lock taken, not for a reader of holders.
  const token = globalThis.crypto.randomUUID();
  const body = { ...self, token, since: new Date(fileClock()).toISOString() };
  const temp = `${o.path}.${token}.tmp`;
  const isStale = (f: LockFileState) => {
    const h = parseHolder(f.text);
    return h === undefined ? fileClock() - f.mtimeMs >= staleWriteMs : !alive(h);
  };
  await writeTemp(temp, `${JSON.stringify(body)}\n`);
  try {
    const started = now();
    let told = false;
    for (let contended = 0; ; ) {
      if (await linkExclusive(temp, o.path)) return held(o.path, token, null);
      const seen = await readLockFile(o.path);
      if (seen === undefined) continue; // released meanwhile
      const holder = parseHolder(seen.text);
      if (isStale(seen)) {
        const outcome = await takeOver(o.path, temp, seen, isStale);
        if (outcome === 'taken') {
          logger.warn({ lock: o.path, stalePid: holder?.pid }, 'took over a stale lock (its owner is gone)');
          return held(o.path, token, holder ?? null);
        }
        if (outcome === 'contended' && ++contended < 200) {
          await new Promise<void>((r) => setTimeout(r, 5));
          continue;
        }
        if (outcome === 'lost') continue;
      }
      if (o.wait !== true) throw new LockBusyError(o.path, holder, false);
      if (now() - started >= timeoutMs) throw new LockBusyError(o.path, holder, true);
      if (!told) logger.info({ lock: o.path, ownerPid: holder?.pid }, 'lock busy: waiting for the run in progress');
      told = true;
      await sleep(pollMs);
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

function held(path: string, token: string, tookOverFrom: LockHolder | null): HeldLock {
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const cur = await readLockFile(path).catch(() => undefined);
    // Only remove our own lock: a lock judged stale may have been taken over meanwhile.
    if (cur !== undefined && parseHolder(cur.text)?.token === token) await unlink(path).catch(() => undefined);
  };
  return { path, tookOverFrom, release, [Symbol.asyncDispose]: release };
}
