// A lead responder run that logs in with OAuth 2: dovecot's oauth2 passdb (tokens only) and the
// XOAUTH2-only SMTP capture ask the test authorization server about each token. The stored
// token is ended by the server before the run (as after a password change), so dovecot refuses
// it once: the run refreshes once, answers each lead once over XOAUTH2, and no token reaches
// stdout or stderr. A second run answers nothing more.
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { describe, expect, it } from 'vitest';
import { directLead } from './support/sample.ts';
import { startWorld } from './support/world.ts';

describe('a lead responder run over XOAUTH2', () => {
  it('refreshes a token the servers stopped taking, answers each lead once, and logs no token', { timeout: 120_000 }, async () => {
    await using w = await startWorld({}, { oauth: true });
    const as = w.as!;
    const store = createGrantStore({ stateDir: w.stateDir });
    const seeded = await store.require('lead');
    await w.deliver(directLead(1), directLead(2), directLead(3));
    as.expireAccessTokens();
    const r = await w.run([], { env: { JOBS_STATE_DIR: w.stateDir, COST_LEDGER: w.ledgerPath, LOG_LEVEL: 'debug' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.report).toMatchObject({ mode: 'send' });
    // one refresh for the whole run: IMAP and SMTP both use the refreshed token
    expect(as.tokenEvents).toEqual([{ grantType: 'refresh_token', ok: true }]);
    // dovecot itself refused the ended token first
    expect(as.introspections[0]).toEqual({ active: false });
    const replies = w.replies();
    expect(replies.map((x) => x.to).sort()).toEqual(['customer1@example.org', 'customer2@example.org', 'customer3@example.org']);
    // every message went in over XOAUTH2 as the mailbox's user (the capture offers nothing else)
    expect(new Set(w.smtp.messages.map((m) => m.user))).toEqual(new Set([w.imap.user]));
    const inbox = await w.mailbox('INBOX');
    expect(inbox.filter((m) => m.flags.includes('\\Answered'))).toHaveLength(3);
    const saved = await store.require('lead');
    expect(saved.accessToken).not.toBe(seeded.accessToken);
    for (const t of [seeded.accessToken!, seeded.refreshToken!, saved.accessToken!, saved.refreshToken!]) {
      expect(r.stdout + r.stderr).not.toContain(t);
    }
    expect(r.stderr.length).toBeGreaterThan(0);

    const again = await w.run();
    expect(again.code, again.stderr).toBe(0);
    expect(w.replies()).toHaveLength(3);
  });
});
