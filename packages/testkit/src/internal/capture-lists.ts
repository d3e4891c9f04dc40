/**
 * The lists of an SMTP capture (accepted, dropped, rejected messages) and waiting on them.
 */
import { TestkitError } from '../errors.ts';

/** Which list waitFor() watches. */
export type CaptureList = 'messages' | 'dropped' | 'rejected';

/** Three append-only lists with waiters woken on every append and on close. */
export class CaptureLists<T> {
  readonly lists: Record<CaptureList, T[]> = { messages: [], dropped: [], rejected: [] };
  private readonly waiters = new Set<() => void>();
  private closed = false;

  record(list: CaptureList, item: T): void {
    this.lists[list].push(item);
    this.wake();
  }

  clear(): void {
    for (const list of Object.values(this.lists)) list.length = 0;
  }

  /** Ends every wait with ECLOSED. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves with the list once it holds `count` items; ETIMEOUT after `timeoutMs`, ECLOSED on close. */
  waitFor(count: number, list: CaptureList, timeoutMs: number): Promise<T[]> {
    if (!Number.isInteger(count) || count < 0) {
      return Promise.reject(new TestkitError('ECONFIG', `waitFor: count must be an integer >= 0, got ${count}`, { option: 'count' }));
    }
    const items = this.lists[list];
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      const check = (): void => {
        if (items.length >= count) {
          done();
          resolve(items);
        } else if (this.closed) {
          done();
          reject(new TestkitError('ECLOSED', `smtp-capture closed while waiting for ${count} ${list} (have ${items.length})`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new TestkitError(
            'ETIMEOUT',
            `smtp-capture: ${items.length} of ${count} ${list} after ${timeoutMs} ms; ` +
              'check the client reached the server (host, port, auth) or raise timeoutMs',
            { durationMs: Date.now() - started },
          ),
        );
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}
