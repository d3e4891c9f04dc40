// A digest run over IMAP from a server that answers like Gmail (@jobs/testkit's Gmail proxy in
// front of dovecot: X-GM-EXT-1, X-GM-THRID): a reply that lost its References and changed its
// subject is in its conversation's thread by X-GM-THRID. The same mailbox read from dovecot
// itself (no X-GM-EXT-1) threads by References and subject alone: the hint is used only when offered.
import { join } from 'node:path';
import { startGmailProxy } from '@jobs/testkit/gmail-proxy';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { startDovecot } from './support/dovecot.ts';
import { rawMessage, runMain, workDir } from './support/env.ts';

const instant = async () => {};
const THREADS: Record<number, string> = { 1: '1780000000000000001', 2: '1780000000000000001', 3: '1780000000000000002' };

async function digest(imap: { host: string; port: number; user: string; password: string }) {
  await using smtp = await startSmtpCapture();
  const wd = await workDir({
    DIGEST_SOURCE: 'imap', IMAP_HOST: imap.host, IMAP_PORT: imap.port, IMAP_TLS: 'none', IMAP_USER: imap.user, IMAP_PASSWORD: imap.password,
    IMAP_TIMEOUT_SECONDS: 20, SMTP_HOST: smtp.host, SMTP_PORT: smtp.port, SMTP_TLS: 'none', SMTP_USER: smtp.user, SMTP_PASSWORD: smtp.password,
    DIGEST_FROM: 'digest@carolesgardens.example', DIGEST_TO: 'carole@carolesgardens.example', DIGEST_TIMEZONE: 'America/New_York',
  });
  const r = await runMain(['--env-file', wd.envFile, '--no-llm', '--json'], { JOBS_STATE_DIR: wd.stateDir, COST_LEDGER: join(wd.dir, 'ledger.jsonl') }, { sleep: instant });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { messages: number; threads: number };
}

describe('Gmail conversation ids in a digest run', () => {
  it('joins a reply without References by X-GM-THRID, and only when the server offers it', async () => {
    await using imap = await startDovecot();
    await imap.deliver('INBOX', [
      rawMessage({ id: 'q1@example.com', subject: 'Quote for the back garden', body: 'Could you quote for a new lawn and two beds?' }),
      // the customer answered from another client: no In-Reply-To, no References, a new subject
      rawMessage({ id: 'q2@example.com', subject: 'Photos', date: 'Mon, 23 Nov 2026 09:00:00 -0500', body: 'Here are the photos of the garden you asked for.' }),
      rawMessage({ id: 'b1@example.com', from: 'Sam Neighbour <sam@example.net>', subject: 'Fence', body: 'The fence panel between us came down in the storm.' }),
    ]);
    await using gmail = await startGmailProxy(imap, { ids: (box, uid) => (box === 'INBOX' && THREADS[uid] ? { msgid: String(500 + uid), thrid: THREADS[uid] } : undefined) });
    expect(await digest({ ...imap, host: gmail.host, port: gmail.port })).toMatchObject({ messages: 3, threads: 2 });
    expect(await digest(imap)).toMatchObject({ messages: 3, threads: 3 });
  });
});
