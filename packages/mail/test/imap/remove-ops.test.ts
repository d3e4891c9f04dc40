// Covers removeByMessageId: only the exact Message-ID is removed (not a prefix match), a repeat removes nothing and does not fail, and an empty folder is fine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImapSource } from '../../src/imap/source.ts';
import { type Dovecot, message, sourceOptions, startDovecot } from '../support/imap.ts';

let imap: Dovecot;
beforeAll(async () => {
  imap = await startDovecot();
});
afterAll(async () => {
  await imap?.close();
});

describe('removeByMessageId', () => {
  it('removes the exact Message-ID only, and is safe to repeat', async () => {
    await using source = createImapSource(sourceOptions(imap, { mailbox: 'INBOX' }));
    await imap.createMailbox('Held');
    expect(await source.removeByMessageId({ path: 'Held' }, '<none@x>')).toBe(0);
    await imap.deliver('Held', [message('draft-17@carole.example'), message('draft-1@carole.example')]);
    expect(await source.removeByMessageId({ path: 'Held' }, '<draft-1@carole.example>')).toBe(1);
    expect(await source.findByMessageId({ path: 'Held' }, '<draft-1@carole.example>')).toEqual([]);
    expect(await source.findByMessageId({ path: 'Held' }, '<draft-17@carole.example>')).toEqual([1]);
    expect(await source.removeByMessageId({ path: 'Held' }, '<draft-1@carole.example>')).toBe(0);
  });
});
