// Gmail's habits against real dovecot behind @jobs/testkit's Gmail proxy (X-GM-EXT-1, with
// X-GM-MSGID/X-GM-THRID per folder and UID, as Gmail assigns them): reading INBOX and a label's
// folder yields a labelled message once, known by X-GM-MSGID (two messages that share a
// Message-ID stay two); a reply with no References joins its conversation by X-GM-THRID; a label
// added after a run does not bring the message back. Straight to dovecot (no X-GM-EXT-1) the same
// folders give no Gmail ids, copies are known by Message-ID, and no thread is joined by a hint.
import { startGmailProxy } from '@jobs/testkit/gmail-proxy';
import { describe, expect, it } from 'vitest';
import { fetchFolders } from '../../src/imap/folders-fetch.ts';
import { createImapSource, type FetchedMessage } from '../../src/imap/source.ts';
import { parseMessage } from '../../src/parse.ts';
import { threadMessages } from '../../src/thread.ts';
import { message, startDovecot } from '../support/imap.ts';

type Ids = Record<string, Record<number, { msgid: string; thrid: string }>>;

const IDS: Ids = {
  INBOX: { 1: { msgid: '101', thrid: '900' }, 2: { msgid: '102', thrid: '901' }, 3: { msgid: '105', thrid: '903' } },
  Quotes: { 1: { msgid: '101', thrid: '900' }, 2: { msgid: '103', thrid: '900' }, 3: { msgid: '104', thrid: '902' }, 4: { msgid: '105', thrid: '903' } },
};

async function seed() {
  const imap = await startDovecot();
  await imap.deliver('INBOX', [message('m1@x', { subject: 'Roof quote' }), message('m2@x', { subject: 'Order 17' }), message('m5@x', { subject: 'Invoice' })]);
  await imap.deliver('Quotes', [
    message('m1@x', { subject: 'Roof quote' }), // the same message under a second label
    message('m3@x', { subject: 'Photos of the leak', date: new Date('2026-11-21T09:00:00Z') }), // a reply that lost its References
    message('m2@x', { subject: 'Another message, same Message-ID' }), // a different message
  ]);
  return imap;
}

async function threads(got: readonly FetchedMessage[]) {
  const parsed = await Promise.all(got.map(async (m) => {
    const r = await parseMessage(m.raw);
    if (!r.ok) throw new Error(r.reason);
    return { ...r.message, threadHint: m.gmail?.threadId ?? null };
  }));
  return threadMessages(parsed).map((t) => t.messages.map((m) => m.messageId).join(' ')).sort();
}

async function collect(run: AsyncIterable<FetchedMessage>): Promise<FetchedMessage[]> {
  const out: FetchedMessage[] = [];
  for await (const m of run) out.push(m);
  return out;
}

describe('Gmail ids, when offered', () => {
  for (const textPrefixBytes of [0, 4096]) {
    it(`reads two labels as one mailbox and threads by X-GM-THRID (${textPrefixBytes ? 'text plan' : 'whole messages'})`, async () => {
      await using imap = await seed();
      await using gmail = await startGmailProxy(imap, { ids: (box, uid) => IDS[box]?.[uid] });
      await using source = createImapSource({ host: gmail.host, port: gmail.port, secure: false, user: imap.user, password: imap.password, textPrefixBytes });
      expect((await source.serverCapabilities()).gmail).toBe(true);
      const run = await fetchFolders(source, [{ mailbox: 'INBOX', checkpoint: undefined }, { mailbox: 'Quotes', checkpoint: undefined }]);
      const got = await collect(run);
      expect(got.map((m) => `${m.mailbox}/${m.uid} ${m.gmail?.messageId}`)).toEqual(['INBOX/1 101', 'INBOX/2 102', 'INBOX/3 105', 'Quotes/2 103', 'Quotes/3 104']);
      expect(run.copies).toBe(1);
      expect(await threads(got)).toEqual(['<m1@x> <m3@x>', '<m2@x>', '<m2@x>', '<m5@x>']);
      expect(gmail.gmailFetches.some((f) => f.includes('X-GM-THRID'))).toBe(true);

      // A label added later gives the message a new UID in that folder: not a new message.
      const checkpoints = [...run.runs].map(([mailbox, r]) => ({ mailbox, checkpoint: r.checkpoint() }));
      await imap.deliver('Quotes', [message('m5@x', { subject: 'Invoice' })]);
      const again = await fetchFolders(source, checkpoints);
      expect(await collect(again)).toEqual([]);
      expect(again.copies).toBe(1);
      expect(again.runs.get('Quotes')!.checkpoint().lastUid).toBe(4);
    });
  }
});

describe('Gmail ids, when not offered', () => {
  it('plain dovecot: no ids, copies by Message-ID, no hint joins a thread', async () => {
    await using imap = await seed();
    await using source = createImapSource({ host: imap.host, port: imap.port, secure: false, user: imap.user, password: imap.password });
    expect((await source.serverCapabilities()).gmail).toBe(false);
    const run = await fetchFolders(source, [{ mailbox: 'INBOX', checkpoint: undefined }, { mailbox: 'Quotes', checkpoint: undefined }]);
    const got = await collect(run);
    expect(got.map((m) => `${m.mailbox}/${m.uid} ${String(m.gmail)}`)).toEqual(['INBOX/1 null', 'INBOX/2 null', 'INBOX/3 null', 'Quotes/2 null']);
    expect(run.copies).toBe(2);
    expect(await threads(got)).toEqual(['<m1@x>', '<m2@x>', '<m3@x>', '<m5@x>']);
    const twice = [{ mailbox: 'INBOX', checkpoint: undefined }, { mailbox: 'INBOX', checkpoint: undefined }];
    await expect(fetchFolders(source, twice)).rejects.toMatchObject({ code: 'ECONFIG' });
  });
});
