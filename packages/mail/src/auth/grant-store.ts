/**
 * Grants on disk: `<state dir>/oauth/<account>.json`, one per mailbox, mode 0600 from
 * creation and replaced atomically (state/atomic.ts: temp + fsync + rename + dir fsync). A
 * grant file readable by group or others is refused, as repos.env is. `withLock` serialises
 * refreshes across processes (the suite's one lock, @jobs/core/lock: a lock file beside the
 * grant, a dead holder's taken over) so two jobs never spend one rotated refresh token twice.
 */
import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { acquireLock } from '@jobs/core/lock';
import { MailError } from '../errors.ts';
import { errnoCode, readJson, statePath, writeJsonAtomic } from '../state/atomic.ts';
import { loginHint, parseGrant, type StoredGrant } from './grant.ts';

/** Grants of one state dir. */
export interface GrantStore {
  /** Path of an account's grant file. */
  path(account: string): string;
  /** The grant, or undefined when there is none. EGRANT when unreadable or readable by others. */
  read(account: string): Promise<StoredGrant | undefined>;
  /** The grant, or EGRANT saying how to get one. */
  require(account: string): Promise<StoredGrant>;
  write(grant: StoredGrant): Promise<void>;
  /** Deletes the grant; false when there was none. */
  remove(account: string): Promise<boolean>;
  /** Runs `fn` holding the account's cross-process lock. */
  withLock<T>(account: string, fn: () => Promise<T>): Promise<T>;
}

const ACCOUNT = /^[a-z0-9][a-z0-9_-]{0,40}$/;

function checkAccount(account: string): void {
  if (!ACCOUNT.test(account)) throw new MailError('ECONFIG', `grant account must match ${ACCOUNT}, got ${JSON.stringify(account)}`);
}

/** A store under `stateDir` (JOBS_STATE_DIR, default ~/.local/state/jobs). */
export function createGrantStore(options: { stateDir: string; lockWaitMs?: number }): GrantStore {
  const dir = join(options.stateDir, 'oauth');
  const path = (account: string): string => {
    checkAccount(account);
    return join(dir, `${account}.json`);
  };
  const read = async (account: string): Promise<StoredGrant | undefined> => {
    const file = path(account);
    const info = await stat(file).catch((err: unknown) => {
      if (errnoCode(err) === 'ENOENT') return undefined;
      throw new MailError('EGRANT', `cannot read the grant file ${file}`, { path: file, account, cause: err });
    });
    if (info === undefined) return undefined;
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8);
      throw new MailError('EGRANT', `the grant file ${file} is readable by others (mode ${mode}): run chmod 600 ${file}`, { path: file, account });
    }
    const value = await readJson(file).catch((err: unknown) => {
      throw new MailError('EGRANT', `cannot read the grant file ${file}: ${loginHint(account)}`, { path: file, account, cause: err });
    });
    return value === undefined ? undefined : parseGrant(value, file, account);
  };
  return {
    path,
    read,
    async require(account) {
      const grant = await read(account);
      if (grant === undefined) {
        throw new MailError('EGRANT', `no OAuth 2 grant for the ${account} mailbox yet: ${loginHint(account)}`, { path: path(account), account });
      }
      return grant;
    },
    async write(grant) {
      const file = await statePath(options.stateDir, 'oauth', `${grant.account}.json`);
      checkAccount(grant.account);
      await writeJsonAtomic(file, grant);
    },
    async remove(account) {
      try {
        await unlink(path(account));
        return true;
      } catch (err) {
        if (errnoCode(err) === 'ENOENT') return false;
        throw new MailError('ESTATE', `cannot delete the grant file ${path(account)}`, { path: path(account), cause: err });
      }
    },
    async withLock(account, fn) {
      const file = await statePath(options.stateDir, 'oauth', `${account}.json`);
      const lock = await acquireLock({ path: `${file}.lock`, wait: true, timeoutMs: options.lockWaitMs ?? 30_000, pollMs: 20 }).catch((err: unknown) => {
        throw new MailError('ELOCKED', `the grant lock ${file}.lock stayed taken: another job is refreshing; try again`, { path: file, cause: err });
      });
      try {
        return await fn();
      } finally {
        await lock.release().catch(() => undefined);
      }
    },
  };
}
