// IMAP mailbox operations against a real dovecot: \Answered and keywords, PERMANENTFLAGS without \*, APPEND to special-use folders, search by Message-ID.
import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMailError } from '../../src/errors.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { type Dovecot, message, sourceOptions, startDovecot } from '../support/imap.ts';
import { hideKeywordPermission, startImapProxy } from '@jobs/testkit/imap-proxy';

let imap: Dovecot;

beforeAll(async () => {
  imap = await startDovecot();
});

afterAll(async () => {
  await imap?.close();
});

/** Flags (\Recent left out) of each message of `mailbox`, read with a separate plain imapflow client. */
async function flagsOf(mailbox: string): Promise<Map<number, string[]>> {
  const rows = await readMailbox(mailbox);
  return new Map(rows.map((r) => [r.uid, r.flags]));
}

async function readMailbox(mailbox: string): Promise<Array<{ uid: number; flags: string[]; source: Buffer }>> {
  const client = new ImapFlow({
    host: imap.host,
    port: imap.port,
    secure: false,
    auth: { user: imap.user, pass: imap.password },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const lock = await client.getMailboxLock(mailbox);
    try {
      const rows = await client.fetchAll('1:*', { uid: true, flags: true, source: true });
      return rows.map((r) => ({
        uid: r.uid,
        flags: [...(r.flags ?? [])].filter((f) => f !== '\\Recent').sort(),
        source: r.source ?? Buffer.alloc(0),
      }));
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
}

describe('markFlags', () => {
  it('stores \\Answered and a keyword when PERMANENTFLAGS has \\*', async () => {
    await imap.deliver('Flags', [message('f1@x'), message('f2@x')]);
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Flags' }));
    const caps = await source.mailboxCapabilities();
    expect(caps.keywords).toBe(true);
    expect(caps.permanentFlags).toContain('\\*');
    const result = await source.markFlags([2], { answered: true, keyword: '$LeadAnswered' }, caps.uidValidity);
    expect(result).toEqual({ applied: ['\\Answered', '$LeadAnswered'], unsupported: [] });
    const flags = await flagsOf('Flags');
    expect(flags.get(2)).toEqual(['$LeadAnswered', '\\Answered']);
    expect(flags.get(1)).toEqual([]);
  });

  it('reports a keyword as unsupported when PERMANENTFLAGS lacks \\* (as on Exchange) and stores only \\Answered', async () => {
    await imap.deliver('NoKeywords', [message('k1@x')]);
    await using proxy = await startImapProxy(imap, { rewriteServerLine: hideKeywordPermission });
    await using source = createImapSource(
      sourceOptions({ ...imap, host: proxy.host, port: proxy.port }, { mailbox: 'NoKeywords' }),
    );
    const caps = await source.mailboxCapabilities();
    expect(caps.keywords).toBe(false);
    expect(caps.permanentFlags).not.toContain('\\*');
    const result = await source.markFlags([1], { answered: true, keyword: '$LeadAnswered' });
    expect(result).toEqual({ applied: ['\\Answered'], unsupported: ['$LeadAnswered'] });
    expect((await flagsOf('NoKeywords')).get(1)).toEqual(['\\Answered']);
  });

  it('refuses a malformed keyword before talking to the server', async () => {
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'Flags' }));
    const err = await source.markFlags([1], { keyword: 'bad keyword)' }).catch((e: unknown) => e);
    expect(isMailError(err, 'ECONFIG')).toBe(true);
  });
});

describe('append', () => {
  it('resolves Sent and Drafts by special use and appends the exact bytes with flags', async () => {
    await using source = createImapSource(sourceOptions(imap));
    expect(await source.serverCapabilities()).toMatchObject({ idle: true, uidplus: true, specialUse: true });
    const raw = Buffer.from(message('sent-1@carole.example', { subject: 'Re: Roof quote' }));
    const sent = await source.append('sent', raw, { flags: ['\\Seen'] });
    expect(sent.path).toBe('Sent');
    expect(sent.uid).toBe(1);
    expect(sent.uidValidity).toBe(String(await imap.uidValidity('Sent')));
    const draft = await source.append('drafts', Buffer.from(message('draft-1@carole.example')), { flags: ['\\Draft'] });
    expect(draft.path).toBe('Drafts');
    expect((await flagsOf('Drafts')).get(draft.uid ?? 0)).toEqual(['\\Draft']);
    const [copy] = await readMailbox('Sent');
    expect(copy?.flags).toEqual(['\\Seen']);
    expect(copy?.source.equals(raw)).toBe(true);
  });

  it('uses the folders option over special use, and names the option when no folder has the use', async () => {
    await imap.createMailbox('Sent Items');
    await using configured = createImapSource(sourceOptions(imap, { folders: { sent: 'Sent Items' } }));
    expect((await configured.append('sent', Buffer.from(message('si@x')))).path).toBe('Sent Items');

    await using bare = await startDovecot({ specialUse: [] });
    await using source = createImapSource(sourceOptions(bare));
    const err = await source.append('drafts', Buffer.from(message('d@x'))).catch((e: unknown) => e);
    expect(isMailError(err, 'ENOMAILBOX')).toBe(true);
    expect((err as Error).message).toContain('folders.drafts');
  });
});

describe('findByMessageId', () => {
  it('finds a sent reply by its exact Message-ID, and nothing for a prefix or an unknown id', async () => {
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'INBOX' }));
    // an empty Sent-like folder first: SEARCH is skipped, nothing found
    await imap.createMailbox('Outbox');
    expect(await source.findByMessageId({ path: 'Outbox' }, '<none@x>')).toEqual([]);

    await imap.deliver('Outbox', [message('reply-17@carole.example'), message('reply-1@carole.example')]);
    expect(await source.findByMessageId({ path: 'Outbox' }, '<reply-1@carole.example>')).toEqual([2]);
    // angle brackets are optional in the argument
    expect(await source.findByMessageId({ path: 'Outbox' }, 'reply-17@carole.example')).toEqual([1]);
    expect(await source.findByMessageId({ path: 'Outbox' }, '<reply-2@carole.example>')).toEqual([]);

    // a reply appended through the source is found in Sent right after
    await source.append('sent', Buffer.from(message('after-crash@carole.example')));
    expect((await source.findByMessageId('sent', '<after-crash@carole.example>')).length).toBe(1);
  });
});
