// Microsoft 365's throttling answers, replayed by a proxy in front of dovecot: a code-less
// "NO Server Unavailable" to AUTHENTICATE, [THROTTLED] to a FETCH, [LIMIT] to a SELECT. Each
// is ETEMP (not EAUTH), backed off and retried within the connect attempts; the run finishes.
import { startThrottleProxy } from '@jobs/testkit/throttle-proxy';
import { describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import { imapErrorCode } from '../../src/imap/normalize-error.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { collect, message, recordingSleep, sourceOptions, startDovecot } from '../support/imap.ts';

describe('Microsoft 365 throttling', () => {
  it('classifies the answers as ETEMP, a real refusal still as EAUTH', () => {
    expect(imapErrorCode({ authenticationFailed: true, response: 'Server Unavailable. 15' })).toBe('ETEMP');
    expect(imapErrorCode({ serverResponseCode: 'THROTTLED', response: 'Request is throttled.' })).toBe('ETEMP');
    expect(imapErrorCode({ serverResponseCode: 'LIMIT' })).toBe('ETEMP');
    expect(imapErrorCode({ authenticationFailed: true, response: 'AUTHENTICATE failed.' })).toBe('EAUTH');
  });

  it('backs off and completes the run through throttled login, select and fetch', async () => {
    await using imap = await startDovecot();
    await imap.deliver('INBOX', [message('t1@x'), message('t2@x')]);
    await using proxy = await startThrottleProxy(imap);
    proxy.throttleNext(2, /^(LOGIN|AUTHENTICATE) /i, 'unavailable');
    proxy.throttleNext(1, /^(SELECT|EXAMINE) /i, 'limit');
    proxy.throttleNext(1, /^UID FETCH .*BODY\.PEEK\[\]/i, 'throttled');
    const { sleep, waits } = recordingSleep();
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { sleep, backoffBaseMs: 100, random: () => 0.5 }),
    );
    const got = await collect(await source.fetchSince(undefined));
    expect(got.map((m) => m.messageId)).toEqual(['<t1@x>', '<t2@x>']);
    expect(proxy.throttled.map((c) => c.toUpperCase())).toEqual(['AUTHENTICATE', 'AUTHENTICATE', 'SELECT', 'UID']);
    // exponential waits between the throttled connects, then one before a command is run again
    expect(waits).toEqual([75, 150, 75]);
  }, 30_000);

  it('gives up with a retryable ETEMP when throttling outlasts the attempts', async () => {
    await using imap = await startDovecot();
    await using proxy = await startThrottleProxy(imap);
    proxy.throttleNext(10, /^(LOGIN|AUTHENTICATE) /i, 'throttled');
    const { sleep } = recordingSleep();
    await using source = createImapSource(sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { sleep, connectAttempts: 3 }));
    const err = await source.fetchSince(undefined).catch((e: unknown) => e);
    expect(isMailError(err, 'ETEMP')).toBe(true);
    expect(proxy.throttled).toHaveLength(3);
  }, 30_000);
});
