// IMAP source fetching against a real dovecot: UID ranges since a checkpoint, empty mailboxes, UIDVALIDITY resync, duplicates, keys without Message-ID, what the plan asks the server for, oversized messages, lock release.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import type { Checkpoint } from '../../src/state/checkpoint.ts';
import { createImapSource, type FetchedMessage } from '../../src/imap/source.ts';
import { bigMessage, collect, type Dovecot, message, sourceOptions, startDovecot } from '../support/imap.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';

let imap: Dovecot;

beforeAll(async () => {
  imap = await startDovecot();
});

afterAll(async () => {
  await imap?.close();
});

const ids = (messages: readonly FetchedMessage[]) => messages.map((m) => m.messageId);

describe('fetchSince', () => {
  it('fetches the whole mailbox first, then only UIDs above the checkpoint', async () => {
    await imap.deliver('Range', [message('r1@x'), message('r2@x'), message('r3@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Range' }));

    const first = await source.fetchSince(undefined);
    expect(first.mode).toBe('initial');
    const got1 = await collect(first);
    expect(ids(got1)).toEqual(['<r1@x>', '<r2@x>', '<r3@x>']);
    expect(got1.map((m) => m.uid)).toEqual([1, 2, 3]);
    expect(got1[0]?.raw.toString()).toContain('Body of r1@x.');
    expect(got1[0]?.reduced).toBe(false);
    const cp1 = first.checkpoint();
    expect(cp1.lastUid).toBe(3);
    expect(cp1.uidValidity).toBe(String(await imap.uidValidity('Range')));

    await imap.deliver('Range', [message('r4@x'), message('r5@x')]);
    const second = await source.fetchSince(cp1);
    expect(second.mode).toBe('incremental');
    const got2 = await collect(second);
    expect(ids(got2)).toEqual(['<r4@x>', '<r5@x>']);
    expect(got2.map((m) => m.uid)).toEqual([4, 5]);
    const cp2 = second.checkpoint();
    expect(cp2.lastUid).toBe(5);

    // nothing new: no message, the checkpoint stays where it was
    const third = await source.fetchSince(cp2);
    expect(await collect(third)).toEqual([]);
    expect(third.checkpoint().lastUid).toBe(5);
  });

  it('covers only what was handed over when the consumer stops early, or before a UID it could not handle', async () => {
    await imap.deliver('Partial', [message('p1@x'), message('p2@x'), message('p3@x'), message('p4@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Partial', batchBytes: 300 }));
    const run = await source.fetchSince(undefined);
    const seen: number[] = [];
    for await (const m of run) {
      seen.push(m.uid);
      if (m.uid === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(run.checkpoint().lastUid).toBe(2);
    expect(run.checkpoint({ beforeUid: 2 }).lastUid).toBe(1);
    // the next run starts after the checkpoint: 3 and 4 are not lost
    const next = await source.fetchSince(run.checkpoint());
    expect((await collect(next)).map((m) => m.uid)).toEqual([3, 4]);
  });

  it('handles an empty mailbox (imapflow FETCH 1:* would fail there) with and without a checkpoint', async () => {
    await imap.createMailbox('Empty');
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Empty' }));
    const first = await source.fetchSince(undefined);
    expect(first.total).toBe(0);
    expect(await collect(first)).toEqual([]);
    const cp = first.checkpoint();
    expect(cp.lastUid).toBe(0);
    const again = await source.fetchSince(cp);
    expect(again.mode).toBe('incremental');
    expect(await collect(again)).toEqual([]);
  });

  it('resyncs after a UIDVALIDITY change: no message lost, none twice', async () => {
    const box = 'Resync';
    await imap.deliver(box, [message('u1@x'), message('u2@x'), message('u3@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: box }));
    const first = await source.fetchSince(undefined);
    expect(ids(await collect(first))).toEqual(['<u1@x>', '<u2@x>', '<u3@x>']);
    const cp: Checkpoint = first.checkpoint();
    const before = await imap.uidValidity(box);

    // one message arrives that the run has not seen, then the server rebuilds the mailbox
    // (delete, create, redeliver: new UIDVALIDITY, UIDs restart at 1), then one more arrives
    await imap.deliver(box, [message('u4@x')]);
    await imap.recreateMailbox(box);
    await imap.deliver(box, [message('u5@x')]);
    expect(await imap.uidValidity(box)).not.toBe(before);

    const resync = await source.fetchSince(cp);
    expect(resync.mode).toBe('resync');
    expect(resync.duplicates).toBe(3);
    const got = await collect(resync);
    expect(ids(got)).toEqual(['<u4@x>', '<u5@x>']);
    const cp2 = resync.checkpoint();
    expect(cp2.uidValidity).toBe(String(await imap.uidValidity(box)));
    expect(cp2.lastUid).toBe(5);

    // and the run after that is incremental again, with nothing new
    const after = await source.fetchSince(cp2);
    expect(after.mode).toBe('incremental');
    expect(await collect(after)).toEqual([]);
  });

  it('reduces a message over the size cap to its text parts without downloading it whole', async () => {
    const attachment = 2 * 1024 * 1024;
    await imap.deliver('Big', [message('small@x'), bigMessage('big@x', attachment), message('after@x')]);
    await using proxy = await startImapProxy(imap);
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: 'Big', maxMessageBytes: 64 * 1024 }),
    );
    const got = await collect(await source.fetchSince(undefined));
    expect(ids(got)).toEqual(['<small@x>', '<big@x>', '<after@x>']);
    const big = got[1];
    expect(big?.reduced).toBe(true);
    expect(big?.size).toBeGreaterThan(attachment);
    expect(big?.raw.length).toBeLessThan(16 * 1024);
    expect(big?.raw.toString('latin1')).toContain('X-Jobs-Reduced: original');
    expect(Buffer.from(big?.raw.toString('latin1').split('base64\r\n\r\n')[1] ?? '', 'base64').toString()).toContain(
      'Total due: 420 EUR.',
    );
    expect(big?.omittedParts).toEqual([{ part: '2', contentType: 'application/pdf', size: expect.any(Number), filename: 'drawings.pdf' }]);
    // the attachment (2 MiB, ~2.7 MB base64) never crossed the wire
    expect(proxy.bytesToClient).toBeLessThan(256 * 1024);
  });

  it('honours `since`: older INTERNALDATEs are skipped on the first run', async () => {
    const old = new Date('2026-01-01T00:00:00Z');
    const recent = new Date('2026-11-20T00:00:00Z');
    await imap.deliver('Since', [
      { raw: message('old@x'), internalDate: old },
      { raw: message('new@x'), internalDate: recent },
    ]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Since' }));
    const run = await source.fetchSince(undefined, { since: new Date('2026-11-01T00:00:00Z') });
    expect(ids(await collect(run))).toEqual(['<new@x>']);
    expect(run.checkpoint().lastUid).toBe(2);
  });
});

/** A message without a Message-ID header. */
function noIdMessage(subject: string): string {
  return ['From: Dana <dana@example.com>', 'To: Carole <carole@example.org>', `Subject: ${subject}`, 'Date: Fri, 20 Nov 2026 10:00:00 +0000', '', `About ${subject}.`, ''].join('\r\n');
}

/** FETCH commands the client sent (after the proxy saw them), without their tags. */
function fetches(lines: readonly string[]): string[] {
  return lines.filter((l) => / UID FETCH /i.test(l)).map((l) => l.replace(/^\S+ /, ''));
}

describe('lean plan and keys from the body', () => {
  it('asks only for UID and RFC822.SIZE to plan, never ENVELOPE; BODYSTRUCTURE only for the oversized message', async () => {
    await imap.deliver('Lean', [message('l1@x'), bigMessage('lbig@x', 128 * 1024), message('l3@x')]);
    await using proxy = await startImapProxy(imap);
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: 'Lean', maxMessageBytes: 64 * 1024 }),
    );
    const run = await source.fetchSince(undefined);
    const planned = fetches(proxy.clientLines);
    // imapflow adds MODSEQ (CONDSTORE) and EMAILID (OBJECTID) on its own when the server has them
    expect(planned).toEqual([expect.stringMatching(/^UID FETCH 1:\* \(UID RFC822\.SIZE( MODSEQ| EMAILID)*\)$/)]);
    const got = await collect(run);
    expect(ids(got)).toEqual(['<l1@x>', '<lbig@x>', '<l3@x>']);
    const all = fetches(proxy.clientLines);
    expect(all.some((l) => /ENVELOPE/i.test(l))).toBe(false);
    // ours, then imapflow's download() asks again for the part's encoding: UID 2 only, each time
    const structured = all.filter((l) => /BODYSTRUCTURE/i.test(l)).map((l) => l.split(' ')[2]);
    expect(structured.length).toBeGreaterThan(0);
    expect(new Set(structured)).toEqual(new Set(['2']));
  });

  it('gives each message its flags and INTERNALDATE from the body fetch', async () => {
    const at = new Date('2026-11-18T08:30:00Z');
    await imap.deliver('Meta', [{ raw: message('m1@x'), flags: ['\\Seen', '\\Flagged'], internalDate: at }]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Meta' }));
    const [m] = await collect(await source.fetchSince(undefined));
    expect(m?.flags).toEqual(expect.arrayContaining(['\\Flagged', '\\Seen']));
    expect(m?.internalDate?.toISOString()).toBe(at.toISOString());
    expect(m?.key).toBe('<m1@x>');
    expect(m?.size).toBe(Buffer.byteLength(message('m1@x')));
  });

  it('drops a copy of a handled message: again in a later run, or twice in one run', async () => {
    await imap.deliver('Copies', [message('c1@x'), message('c2@x'), message('c1@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Copies' }));
    const first = await source.fetchSince(undefined);
    expect(first.total).toBe(3); // the plan does not know keys outside a resync
    expect(ids(await collect(first))).toEqual(['<c1@x>', '<c2@x>']);
    expect(first.duplicates).toBe(1);
    const cp = first.checkpoint();
    expect(cp.lastUid).toBe(3);

    await imap.deliver('Copies', [message('c2@x'), message('c4@x')]);
    const second = await source.fetchSince(cp);
    expect(second.mode).toBe('incremental');
    expect(ids(await collect(second))).toEqual(['<c4@x>']);
    expect(second.duplicates).toBe(1);
    expect(second.checkpoint().lastUid).toBe(5);
  });

  it('keys a message without Message-ID by its header fields, alike in a resync plan and a body fetch', async () => {
    const box = 'NoId';
    await imap.deliver(box, [noIdMessage('first'), message('n2@x')]);
    await using proxy = await startImapProxy(imap);
    await using source = createImapSource(sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: box }));
    const first = await source.fetchSince(undefined);
    const got = await collect(first);
    expect(got[0]?.messageId).toBe(null);
    expect(got[0]?.key).toMatch(/^synthetic:[0-9a-f]{64}$/);
    const cp = first.checkpoint();
    expect(cp.recent.map((r) => r.key)).toEqual([got[0]?.key, '<n2@x>']);

    await imap.recreateMailbox(box);
    await imap.deliver(box, [noIdMessage('second')]);
    const before = proxy.clientLines.length;
    const resync = await source.fetchSince(cp);
    expect(resync.mode).toBe('resync');
    // the resync plan reads the key's header fields, not ENVELOPE
    const planned = fetches(proxy.clientLines.slice(before));
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatch(/BODY\.PEEK\[HEADER\.FIELDS \(MESSAGE-ID DATE FROM SUBJECT\)\]/i);
    expect(planned[0]).not.toMatch(/ENVELOPE/i);
    expect(resync.duplicates).toBe(2);
    const again = await collect(resync);
    expect(again.map((m) => m.key)).toHaveLength(1);
    expect(again[0]?.raw.toString()).toContain('About second.');
    expect(again[0]?.key).not.toBe(got[0]?.key);
  });
});

describe('mailbox lock', () => {
  it('is released when an operation fails inside it and when a consumer stops iterating', async () => {
    await imap.deliver('Locked', [message('l1@x'), message('l2@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Locked', lockTimeoutMs: 2000 }));
    // fails inside the lock: stale UIDVALIDITY
    const stale = await source.markFlags([1], { seen: true }, '1').catch((e: unknown) => e);
    expect(isMailError(stale, 'EUIDVALIDITY')).toBe(true);
    // stops iterating mid-run
    for await (const _m of await source.fetchSince(undefined)) break;
    // a leaked lock would make this wait 2 s and fail with ELOCKED
    const caps = await source.mailboxCapabilities();
    expect(caps.path).toBe('Locked');
    const result = await source.markFlags([1], { seen: true }, caps.uidValidity);
    expect(result.applied).toEqual(['\\Seen']);
  });
});
