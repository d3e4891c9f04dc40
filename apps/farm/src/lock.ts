/**
 * One run at a time per project, across processes: a lock file created with O_EXCL holding
 * the owner's pid and host. A crash leaves the file behind; a later run on the same host
 * whose owner pid is gone takes it over (rename, then recreate, so two takers cannot both win).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '@jobs/core/logger';
import { noopLogger } from '@jobs/core/logger';
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
  /** Is this pid alive on this host? Default: signal 0. */
  isAlive?: (pid: number) => boolean;
  host?: string;
  pid?: number;
  logger?: Logger;
}

/** A held lock. */
export interface ProjectLock {
  file: string;
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface LockBody {
  pid: number;
  host: string;
  token: string;
  since: string;
}

/** True when the pid exists (EPERM means it exists but is not ours). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readBody(file: string): Promise<LockBody | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as LockBody;
  } catch {
    return undefined;
  }
}

/** Takes the project's lock, waiting for it (or not); throws FarmError ELOCKED when it cannot. */
export async function acquireProjectLock(o: LockOptions): Promise<ProjectLock> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = o.now ?? Date.now;
  const isAlive = o.isAlive ?? pidAlive;
  const host = o.host ?? hostname();
  const pid = o.pid ?? process.pid;
  const logger = o.logger ?? noopLogger;
  const timeoutMs = o.timeoutMs ?? 600_000;
  const pollMs = o.pollMs ?? 250;
  await mkdir(o.dir, { recursive: true, mode: 0o700 });
  const file = join(o.dir, `${o.project}.lock`);
  const body: LockBody = { pid, host, token: randomUUID(), since: new Date(now()).toISOString() };
  const started = now();
  let warned = false;
  for (;;) {
    try {
      const fh = await open(file, 'wx', 0o600);
      await fh.writeFile(`${JSON.stringify(body)}\n`);
      await fh.sync();
      await fh.close();
      return makeLock(file, body.token);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = await readBody(file);
    // An unreadable body is a writer between open and write: treat it as alive for one poll.
    if (owner !== undefined && owner.host === host && !isAlive(owner.pid)) {
      const stale = `${file}.stale-${body.token}`;
      try {
        await rename(file, stale);
        const moved = await readBody(stale);
        await unlink(stale);
        if (moved?.token === owner.token) {
          logger.warn({ project: o.project, stalePid: owner.pid }, 'took over a stale project lock (its owner is gone)');
          continue;
        }
        // We moved a lock someone else had just taken: that owner is alive; put it back if we can.
        if (moved !== undefined) {
          try {
            const fh = await open(file, 'wx', 0o600);
            await fh.writeFile(`${JSON.stringify(moved)}\n`);
            await fh.close();
          } catch {
            // someone else holds it now; they win
          }
        }
      } catch {
        // another taker got there first
      }
      continue;
    }
    if (o.wait === false) {
      throw new FarmError('ELOCKED', `project ${o.project} is busy (pid ${owner?.pid ?? '?'} on ${owner?.host ?? '?'} holds ${file}); try again later or drop --no-wait`, { project: o.project });
    }
    if (now() - started >= timeoutMs) {
      throw new FarmError('ELOCKED', `project ${o.project} stayed busy for ${Math.round(timeoutMs / 1000)} s (lock ${file}); raise FARM_LOCK_WAIT_SECONDS or check pid ${owner?.pid ?? '?'}`, { project: o.project });
    }
    if (!warned) {
      warned = true;
      logger.info({ project: o.project, ownerPid: owner?.pid }, 'project busy: waiting for the run in progress');
    }
    await sleep(pollMs);
  }
}

function makeLock(file: string, token: string): ProjectLock {
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    const cur = await readBody(file);
    // Only remove our own lock: after a takeover the file may belong to another run.
    if (cur?.token === token) await unlink(file).catch(() => {});
  };
  return { file, release, [Symbol.asyncDispose]: release };
}
