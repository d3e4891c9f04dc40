/**
 * Watch mode: IMAP IDLE for new mail within seconds, with the two fallbacks IDLE needs. IDLE is
 * known to stop delivering silently (a NAT drops the flow, a server forgets the session), so
 * imapflow restarts it every `maxIdleTimeMs`, and this loop also SELECTs the mailbox again on a
 * timer and reports a change of UIDNEXT (a re-SELECT, not STATUS: dovecot answers STATUS on the
 * selected mailbox from the session's view, which is what went quiet). A lost connection is
 * rebuilt (a new client) with backoff. The consumer catches up with `fetchSince` after each
 * event: events say "look", not "what".
 *
 * IDLE is started right after each SELECT: imapflow's auto-IDLE waits `autoIdleDelay` (15 s, or
 * just under the socket timeout) of quiet first, which would delay every wake-up by that much.
 */
import { isMailError } from '../errors.ts';
import type { ImapConnection } from './connection.ts';
import { backoffMs, type ResolvedImapOptions } from './options.ts';

/** Why the watcher woke the consumer. */
export interface WatchEvent {
  /** start: first event, catch up; exists: IDLE reported mail; poll: the timer saw UIDNEXT move; reconnect: after a new connection. */
  readonly reason: 'start' | 'exists' | 'poll' | 'reconnect';
  /** Message count when known. */
  readonly count?: number;
}

/** Options of `watch`. */
export interface WatchOptions {
  /** Stops the watcher; the iterator then ends. */
  readonly signal?: AbortSignal;
  /** STATUS check interval. Default 60 000. */
  readonly pollIntervalMs?: number;
}

type Wake = { kind: 'exists'; count: number } | { kind: 'close' } | { kind: 'timer' } | { kind: 'abort' };

/** Yields an event whenever the mailbox may hold new mail. Throws only on a final error (EAUTH). */
export async function* watchMailbox(
  conn: ImapConnection,
  opts: ResolvedImapOptions,
  mailbox: string,
  options: WatchOptions = {},
): AsyncGenerator<WatchEvent> {
  const pollIntervalMs = options.pollIntervalMs ?? 60_000;
  const signal = options.signal;
  let pending: Wake | null = null;
  let wakeUp: (() => void) | null = null;
  const push = (w: Wake) => {
    // an 'exists' that arrives while the consumer works is kept, not lost
    if (!pending || pending.kind === 'timer') pending = w;
    wakeUp?.();
  };
  const onExists = (ev: { path: string; count: number }) => {
    if (ev.path === mailbox) push({ kind: 'exists', count: ev.count });
  };
  const onClose = () => push({ kind: 'close' });
  const onAbort = () => push({ kind: 'abort' });
  conn.on('exists', onExists);
  conn.on('close', onClose);
  signal?.addEventListener('abort', onAbort);
  // highest UIDNEXT the consumer has been told about; a SELECT above it means new mail
  let baseline = -1;
  let failures = 0;
  let polling = false;
  try {
    let event: WatchEvent | null = { reason: 'start' };
    while (!signal?.aborted) {
      let selected: { uidNext: number; count: number };
      try {
        const generation = conn.generation;
        selected = await conn.run(
          'watch select',
          async (client) => {
            const view = await conn.withMailbox(
              client,
              mailbox,
              async (mb) => ({ uidNext: mb.uidNext, count: mb.exists }),
              { fresh: true },
            );
            // lock released: IDLE now, on this mailbox, rather than after auto-IDLE's delay.
            // It settles when the next command breaks it; a failure here shows up as 'close'.
            client.idle({ whenFree: true }).catch((err: unknown) => opts.logger.debug({ err }, 'IMAP IDLE ended'));
            return view;
          },
          { idempotent: true, mailbox },
        );
        if (generation !== 0 && conn.generation !== generation) event ??= { reason: 'reconnect' };
        failures = 0;
      } catch (err) {
        if (isMailError(err) && !err.retryable) throw err;
        failures++;
        const wait = backoffMs(failures, opts);
        opts.logger.warn({ err, waitMs: wait }, 'IMAP watch: reconnect failed, waiting');
        await opts.sleep(wait, signal);
        event ??= { reason: 'reconnect' };
        continue;
      }
      // a timer check, or the select after a pass: mail that came while the consumer had another
      // folder selected (Sent, Drafts) raised no EXISTS here, only a higher UIDNEXT
      if (polling || baseline >= 0) {
        polling = false;
        if (selected.uidNext > baseline) event ??= { reason: 'poll', count: selected.count };
      }
      if (event) {
        baseline = Math.max(baseline, selected.uidNext);
        // what arrived until now is covered by the consumer's next fetch
        pending = null;
        yield event;
        event = null;
        continue; // select again: the consumer may have selected another folder meanwhile
      }
      const wake = await nextWake(
        () => pending,
        (fn) => {
          wakeUp = fn;
        },
        opts,
        pollIntervalMs,
      );
      pending = null;
      if (wake.kind === 'abort') break;
      if (wake.kind === 'exists') event = { reason: 'exists', count: wake.count };
      if (wake.kind === 'close') event = { reason: 'reconnect' };
      if (wake.kind === 'timer') polling = true;
    }
  } finally {
    conn.off('exists', onExists);
    conn.off('close', onClose);
    signal?.removeEventListener('abort', onAbort);
  }
}

async function nextWake(
  current: () => Wake | null,
  setWake: (fn: (() => void) | null) => void,
  opts: ResolvedImapOptions,
  pollIntervalMs: number,
): Promise<Wake> {
  const ready = current();
  if (ready) return ready;
  const ac = new AbortController();
  const woken = new Promise<void>((resolve) => setWake(resolve));
  await Promise.race([woken, opts.sleep(pollIntervalMs, ac.signal)]);
  ac.abort();
  setWake(null);
  return current() ?? { kind: 'timer' };
}
