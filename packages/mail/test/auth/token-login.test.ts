// IMAP and SMTP logins with OAuth 2 access tokens against dovecot's oauth2 passdb and the
// XOAUTH2-only SMTP harness, both asking the same authorization server: a full fetch and a
// send, and a token that the server stops taking in the middle of a run (the run reconnects
// once with a refreshed token; nothing fetched twice, nothing lost).
import { startDovecot } from '@jobs/testkit/dovecot';
import { startOAuthServer } from '@jobs/testkit/oauth-server';
import { startSmtpCapture } from '@jobs/testkit/smtp-capture';
import { describe, expect, it } from 'vitest';
import { storeSeededGrant, tempStateDir } from '../grant-helpers.ts';
import { createImapSource } from '../../src/imap/source.ts';
import { message, recordingSleep } from '../support/imap.ts';
import { startImapProxy } from '@jobs/testkit/imap-proxy';
import { createSmtpSender } from '../../src/smtp/sender.ts';
import { createGrantTokenSource } from '../../src/auth/grant-token-source.ts';

async function collect<T>(run: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const m of run) out.push(m);
  return out;
}

describe('token logins', () => {
  it('fetches over IMAP and sends over SMTP with XOAUTH2; a password is not needed', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.deliver('INBOX', [message('a1@x'), message('a2@x')]);
    const { store } = await storeSeededGrant(as, state.dir, 'digest');
    const tokens = createGrantTokenSource({ store, account: 'digest', client: { clientSecret: as.client.secret } });
    await using source = createImapSource({ host: imap.host, port: imap.port, secure: false, user: imap.user, tokens });
    const got = await collect(await source.fetchSince(undefined));
    expect(got.map((m) => m.messageId)).toEqual(['<a1@x>', '<a2@x>']);
    const sender = createSmtpSender({ host: smtp.host, port: smtp.port, secure: false, user: 'test', tokens });
    await sender.send({ from: 'test@shop.test', to: 'dana@example.com', subject: 'Digest', text: 'Hello', autoSubmitted: 'auto-generated', messageId: `<d-${Date.now()}@shop.test>` });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.user).toBe('test');
    expect(as.tokenEvents).toEqual([]); // the stored token was fresh: no refresh
  }, 30_000);

  it('a token the servers stop taking mid-run: one refresh, the run finishes, nothing fetched twice', async () => {
    await using as = await startOAuthServer();
    await using state = await tempStateDir();
    await using imap = await startDovecot({ oauth2: { introspectionUrl: as.introspectionUrl } });
    await using smtp = await startSmtpCapture({ oauth2: { introspect: as.introspect } });
    await imap.deliver('INBOX', [message('c1@x'), message('c2@x'), message('c3@x')]);
    await using proxy = await startImapProxy(imap);
    const { store } = await storeSeededGrant(as, state.dir, 'digest');
    const tokens = createGrantTokenSource({ store, account: 'digest', client: { clientSecret: as.client.secret } });
    const { sleep } = recordingSleep();
    await using source = createImapSource({
      host: proxy.host, port: proxy.port, secure: false, user: imap.user, tokens, sleep, backoffBaseMs: 10,
    });
    const run = await source.fetchSince(undefined);
    // The server ends the token early (as Microsoft does on a password change) and drops the session.
    as.expireAccessTokens();
    proxy.dropOnClientLine(/UID FETCH .*BODY\.PEEK\[\]/);
    const got = await collect(run);
    expect(got.map((m) => m.messageId)).toEqual(['<c1@x>', '<c2@x>', '<c3@x>']);
    expect(run.checkpoint().lastUid).toBe(3);
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    // dovecot refused the stale token once, then took the refreshed one
    expect(as.introspections.map((i) => i.active)).toEqual([true, false, true]);

    // SMTP with a token the server no longer takes: nodemailer asks again, we refresh once more.
    as.expireAccessTokens();
    const sender = createSmtpSender({ host: smtp.host, port: smtp.port, secure: false, user: 'test', tokens });
    await sender.send({ from: 'test@shop.test', to: 'dana@example.com', subject: 'Digest', text: 'Hello', autoSubmitted: 'auto-generated', messageId: `<d-${Date.now()}@shop.test>` });
    expect(smtp.messages).toHaveLength(1);
    expect(as.tokenEvents).toHaveLength(2);
  }, 60_000);
});
