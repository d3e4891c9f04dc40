// The Gmail proxy in front of dovecot: CAPABILITY offers X-GM-EXT-1 (and no OBJECTID), a FETCH
// that asks for X-GM-MSGID/X-GM-THRID reaches dovecot without them and comes back with the ids
// given for the SELECTed folder and UID, a message without ids gets none, and a body that
// contains IMAP-looking lines passes through byte for byte.
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { startDovecot } from '../src/dovecot.ts';
import { startGmailProxy } from '../src/gmail-proxy.ts';

const trap = ['Subject: trap', 'Message-ID: <trap@x>', '', '* 1 FETCH (UID 1)', 'A1 OK done', ''].join('\r\n');
const plain = ['Subject: plain', 'Message-ID: <plain@x>', '', 'Hello.', ''].join('\r\n');

describe('startGmailProxy', () => {
  it('answers like Gmail for X-GM-EXT-1 and leaves bodies alone', async () => {
    await using imap = await startDovecot();
    await imap.deliver('INBOX', [trap, plain]);
    await imap.deliver('Later', [plain]);
    await using gmail = await startGmailProxy(imap, { ids: (box, uid) => (box === 'INBOX' && uid === 1 ? { msgid: '42', thrid: '7' } : undefined) });
    const client = new ImapFlow({ host: gmail.host, port: gmail.port, secure: false, logger: false, auth: { user: imap.user, pass: imap.password } });
    client.on('error', () => undefined);
    await client.connect();
    try {
      expect(client.capabilities.has('X-GM-EXT-1')).toBe(true);
      expect(client.capabilities.has('OBJECTID')).toBe(false);
      await client.mailboxOpen('INBOX');
      const rows = await client.fetchAll('1:*', { uid: true, threadId: true, source: true });
      expect(rows.map((r) => [r.uid, r.emailId, r.threadId])).toEqual([[1, '42', '7'], [2, undefined, undefined]]);
      expect(rows[0]!.source!.toString('latin1')).toBe(trap);
      expect(gmail.gmailFetches).toHaveLength(1);
      expect(gmail.gmailFetches[0]).toMatch(/X-GM-MSGID/);
      await client.mailboxOpen('Later');
      const later = await client.fetchAll('1:*', { uid: true, threadId: true });
      expect(later.map((r) => r.threadId)).toEqual([undefined]);
    } finally {
      await client.logout();
    }
  }, 30_000);
});
