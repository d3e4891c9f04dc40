/**
 * What a lock file says about its holder, and the error of a busy lock. Bodies of older formats
 * (farm's `{ pid, host, token, since }`, the lead responder's `{ pid, startedAt }`) parse too:
 * fields they lack are not checked.
 */
import { EXIT } from './exit-code.ts';

/** The holder of a lock, as its file records it. */
export interface LockHolder {
  readonly pid: number;
  readonly host?: string;
  readonly bootId?: string;
  readonly startTime?: string;
  readonly token?: string;
  /** When the lock was taken (ISO 8601). */
  readonly since?: string;
}

/** The holder a lock file names, or undefined when the bytes are not a lock body. */
export function parseHolder(text: string): LockHolder | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (typeof o.pid !== 'number' || !Number.isInteger(o.pid)) return undefined;
  const str = (k: string) => (typeof o[k] === 'string' ? { [k]: o[k] as string } : {});
  const since = typeof o.since === 'string' ? o.since : typeof o.startedAt === 'string' ? o.startedAt : undefined;
  return { pid: o.pid, ...str('host'), ...str('bootId'), ...str('startTime'), ...str('token'), ...(since ? { since } : {}) };
}

/** The lock is held by a live process (`waited`: after waiting the whole timeout). */
export class LockBusyError extends Error {
  readonly code = 'ELOCKED' as const;
  readonly exitCode = EXIT.failure;
  readonly path: string;
  readonly holder: LockHolder | undefined;
  readonly waited: boolean;
  constructor(path: string, holder: LockHolder | undefined, waited: boolean) {
    super(`${path} is held by pid ${holder?.pid ?? '?'}${holder?.host ? ` on ${holder.host}` : ''}${waited ? ' (waited the whole timeout)' : ''}`);
    this.name = 'LockBusyError';
    this.path = path;
    this.holder = holder;
    this.waited = waited;
  }
}
