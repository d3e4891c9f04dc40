/**
 * One run of an instance at a time across hosts: a Redis key per instance (SET NX PX) holding a
 * token of its holder, renewed while the run goes on and deleted by its holder only (a
 * compare-and-delete script). A holder that dies stops renewing: the key expires after `ttlMs`
 * and the next taker gets it. A busy instance is waited for, polling, up to `waitMs`
 * (FarmError ELOCKED after that, naming the holder).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { FarmError } from '../errors.ts';

/** The commands used, as BullMQ's ioredis client has them. */
export interface RedisLike {
  set(key: string, value: string, px: 'PX', ms: number, nx: 'NX'): Promise<string | null>;
  get(key: string): Promise<string | null>;
  eval(script: string, keys: number, ...args: Array<string | number>): Promise<unknown>;
}

const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/** Options of acquireRedisLock. */
export interface RedisLockOptions {
  redis: RedisLike;
  key: string;
  ttlMs: number;
  waitMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** A held lock; dispose (or release) to let the next run in. */
export interface RedisLock {
  readonly token: string;
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Takes the lock, waiting up to `waitMs`; renews it every ttl/3 until released. */
export async function acquireRedisLock(o: RedisLockOptions): Promise<RedisLock> {
  const token = `${hostname()}:${process.pid}:${randomUUID()}`;
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const until = now() + o.waitMs;
  while ((await o.redis.set(o.key, token, 'PX', o.ttlMs, 'NX')) !== 'OK') {
    if (now() >= until) {
      const holder = await o.redis.get(o.key);
      throw new FarmError('ELOCKED', `${o.key} stayed busy for ${Math.round(o.waitMs / 1000)} s (held by ${holder?.split(':').slice(0, 2).join(' pid ') ?? 'nobody now'}); raise FARM_LOCK_WAIT_SECONDS or check that run`, { project: o.key });
    }
    await sleep(o.pollMs ?? 500);
  }
  const timer = setInterval(() => {
    o.redis.eval(RENEW, 1, o.key, token, o.ttlMs).catch(() => {});
  }, Math.max(100, Math.floor(o.ttlMs / 3)));
  timer.unref();
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    clearInterval(timer);
    await o.redis.eval(RELEASE, 1, o.key, token);
  };
  return { token, release, [Symbol.asyncDispose]: release };
}
