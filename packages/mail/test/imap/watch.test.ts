// IMAP watch mode against a real dovecot: IDLE wakes the consumer, the periodic STATUS check catches up when IDLE goes silent, reconnect after a drop, abort ends the watch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapSource, type WatchEvent } from '../../src/imap/source.ts';
import { collect, type Dovecot, manualSleep, message, sourceOptions, startDovecot } from '../support/imap.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';

let imap: Dovecot;

beforeAll(async () => {
  // dovecot notices Maildir deliveries during IDLE by inotify, else by this interval
  imap = await startDovecot({ extraConfig: 'mailbox_idle_check_interval = 1 secs\n' });
});

afterAll(async () => {
  await imap?.close();
});

async function next(events: AsyncGenerator<WatchEvent>): Promise<WatchEvent> {
  const step = await events.next();
  if (step.done) throw new Error('the watch ended');
  return step.value;
}

describe('watch', () => {
  it('wakes on IDLE when mail arrives; the consumer catches up with fetchSince', { timeout: 20_000 }, async () => {
    await imap.deliver('Idle', [message('w1@x')]);
    // the poll timer never fires here: only IDLE can wake the consumer
    const timer = manualSleep();
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Idle', sleep: timer.sleep }));
    const ac = new AbortController();
    const events = source.watch({ signal: ac.signal, pollIntervalMs: 60_000 });

    expect(await next(events)).toEqual({ reason: 'start' });
    const first = await source.fetchSince(undefined);
    expect((await collect(first)).map((m) => m.messageId)).toEqual(['<w1@x>']);

    const woken = next(events);
    await timer.waiting();
    await imap.deliver('Idle', [message('w2@x')]);
    expect(await woken).toEqual({ reason: 'exists', count: 2 });
    const second = await source.fetchSince(first.checkpoint());
    expect((await collect(second)).map((m) => m.messageId)).toEqual(['<w2@x>']);

    ac.abort();
    expect((await events.next()).done).toBe(true);
    expect(timer.calls).toEqual([60_000]);
  });

  it('catches up on the timer when IDLE stops delivering', { timeout: 20_000 }, async () => {
    await imap.deliver('Quiet', [message('q1@x')]);
    // a proxy that swallows EXISTS while the client idles: IDLE looks alive but says nothing
    await using proxy = await startImapProxy(imap, {
      rewriteServerLine: (line, connection) => (connection.idling && /^\* \d+ EXISTS/.test(line) ? '' : line),
    });
    const timer = manualSleep();
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: 'Quiet', sleep: timer.sleep }),
    );
    const ac = new AbortController();
    const events = source.watch({ signal: ac.signal, pollIntervalMs: 30_000 });
    expect(await next(events)).toEqual({ reason: 'start' });
    const first = await source.fetchSince(undefined);
    await collect(first);

    const woken = next(events);
    await timer.waiting();
    await imap.deliver('Quiet', [message('q2@x')]);
    // the periodic check: STATUS sees UIDNEXT move
    timer.fire();
    expect(await woken).toEqual({ reason: 'poll', count: 2 });
    const caught = await source.fetchSince(first.checkpoint());
    expect((await collect(caught)).map((m) => m.messageId)).toEqual(['<q2@x>']);
    ac.abort();
    await events.return(undefined);
  });

  it('reports a reconnect after the connection drops, and keeps watching', { timeout: 20_000 }, async () => {
    await imap.deliver('Dropped', [message('d1@x')]);
    await using proxy = await startImapProxy(imap);
    const timer = manualSleep();
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: 'Dropped', sleep: timer.sleep }),
    );
    const ac = new AbortController();
    const events = source.watch({ signal: ac.signal });
    expect(await next(events)).toEqual({ reason: 'start' });
    const woken = next(events);
    await timer.waiting();
    proxy.dropAll();
    expect(await woken).toEqual({ reason: 'reconnect' });
    expect(proxy.connections).toBe(2);
    // the new connection idles too: a delivery wakes the consumer
    const again = next(events);
    await timer.waiting();
    await imap.deliver('Dropped', [message('d2@x')]);
    expect(await again).toEqual({ reason: 'exists', count: 2 });
    ac.abort();
    expect((await events.next()).done).toBe(true);
  });
});
