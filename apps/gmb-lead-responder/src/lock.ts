/**
 * The run lock: one responder at a time per state dir (cron plus a manual run, or a watch
 * process plus cron). The lock file is created with O_EXCL and holds the owner's pid; a
 * second run exits at once naming that pid. A lock whose pid is no longer alive (the run was
 * killed) is stale and taken over: renamed aside, checked to be the one we judged stale (a
 * concurrent taker may have replaced it), and created afresh.
 */
import { randomBytes } from 'node:crypto';
import { link, open, readFile, rename, unlink } from 'node:fs/promises';
import { LeadError } from './errors.ts';

/** A held lock. */
export interface RunLock {
  readonly path: string;
  /** Set when a stale lock of a dead run was taken over. */
  readonly tookOverFrom: number | null;
  release(): Promise<void>;
}

interface LockContent {
  pid: number;
  startedAt: string;
}

/** True when a process with `pid` exists (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

async function readLock(path: string): Promise<{ text: string; content: LockContent | null } | null> {
  try {
    const text = await readFile(path, 'utf8');
    try {
      const v = JSON.parse(text) as LockContent;
      return { text, content: typeof v?.pid === 'number' ? v : null };
    } catch {
      return { text, content: null };
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return null;
    throw err;
  }
}

async function create(path: string, pid: number, now: number): Promise<boolean> {
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(JSON.stringify({ pid, startedAt: new Date(now).toISOString() }));
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === 'EEXIST') return false;
    throw err;
  }
}

/** Takes the lock or throws LeadError ELOCKED saying who holds it. */
export async function acquireRunLock(
  path: string,
  options: { pid?: number; now?: () => number; alive?: (pid: number) => boolean } = {},
): Promise<RunLock> {
  const pid = options.pid ?? process.pid;
  const now = options.now ?? Date.now;
  const alive = options.alive ?? pidAlive;
  let tookOverFrom: number | null = null;
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (await create(path, pid, now())) return handle(path, pid, tookOverFrom);
      const current = await readLock(path);
      if (!current) continue; // released meanwhile
      // a lock with no readable pid is being written right now, or was torn by a crash at
      // creation: treat it as held unless it stays unreadable (then it is stale)
      const holder = current.content?.pid;
      if (holder !== undefined && alive(holder) && holder !== pid) {
        throw new LeadError(
          'ELOCKED',
          `another lead responder run (pid ${holder}, started ${current.content?.startedAt}) holds ${path}: this run stops; try again when it ends`,
          { path, pid: holder },
        );
      }
      if (holder === undefined && attempt < 2) continue;
      const aside = `${path}.stale.${pid}.${randomBytes(4).toString('hex')}`;
      try {
        await rename(path, aside);
      } catch (err) {
        if ((err as { code?: string }).code === 'ENOENT') continue;
        throw err;
      }
      const moved = await readFile(aside, 'utf8').catch(() => '');
      if (moved !== current.text) {
        // someone replaced the stale lock with a live one before our rename: put it back
        await link(aside, path).catch(() => undefined);
        await unlink(aside).catch(() => undefined);
        continue;
      }
      await unlink(aside).catch(() => undefined);
      tookOverFrom = holder ?? null;
    }
  } catch (err) {
    if (err instanceof LeadError) throw err;
    throw new LeadError('ESTATE', `cannot take the run lock ${path}: check the state dir`, { path, cause: err });
  }
  throw new LeadError('ELOCKED', `the run lock ${path} keeps changing hands: another run is starting; try again`, { path });
}

function handle(path: string, pid: number, tookOverFrom: number | null): RunLock {
  let released = false;
  return {
    path,
    tookOverFrom,
    async release() {
      if (released) return;
      released = true;
      const current = await readLock(path).catch(() => null);
      if (current?.content?.pid === pid) await unlink(path).catch(() => undefined);
    },
  };
}
