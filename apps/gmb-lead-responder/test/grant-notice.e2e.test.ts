// A revoked OAuth 2 grant of the leads mailbox: every run exits 78 naming the mailbox and
// `pnpm mailbox login lead`, answers nothing, and the owner is told once a day, not once a
// run: over ALERT_WEBHOOK_URL (the job's SMTP needs the refused grant too), or by mail when
// LEAD_SMTP_* logs in with a password. Two runs on one day give one notice; a run the next day
// (injected clock) gives one more. With no channel the run says so and still exits 78.
import { createGrantStore } from '@jobs/mail/auth/grant-store';
import { startWebhookReceiver } from '@jobs/testkit/webhook';
import { describe, expect, it } from 'vitest';
import { directLead } from './support/sample.ts';
import { startWorld, type World } from './support/world.ts';

const DAY = 86_400_000;

/** Revokes every grant at the server and makes the stored access token due, so the run must refresh. */
async function revoke(w: World): Promise<void> {
  await w.as!.revokeAll();
  const store = createGrantStore({ stateDir: w.stateDir });
  await store.write({ ...(await store.require('lead')), expiresAt: 0 });
}

describe('a revoked grant of the leads mailbox', () => {
  it('exits 78 with the login command and posts one notice a day to the webhook', { timeout: 120_000 }, async () => {
    await using hook = await startWebhookReceiver();
    await using w = await startWorld({ ALERT_WEBHOOK_URL: `${hook.url}/hooks/T0KEN-lead` }, { oauth: true });
    await w.deliver(directLead(1));
    await revoke(w);
    const t0 = Date.now();
    const first = await w.run([], { now: () => t0 });
    expect(first.code, first.stderr).toBe(78);
    expect(first.stderr).toContain('pnpm mailbox login lead');
    expect(first.stderr).toContain('lead mailbox');
    expect(hook.posts).toHaveLength(1);
    const body = JSON.parse(hook.posts[0]!.body) as Record<string, unknown>;
    expect(body).toMatchObject({ event: 'grant-refused', account: 'lead', login: 'pnpm mailbox login lead' });
    expect(String(body.text)).toContain('pnpm mailbox login lead');
    expect(first.stderr).not.toContain('T0KEN-lead');

    const second = await w.run([], { now: () => t0 + 60_000 });
    expect(second.code).toBe(78);
    expect(hook.posts).toHaveLength(1);

    const nextDay = await w.run([], { now: () => t0 + DAY });
    expect(nextDay.code).toBe(78);
    expect(hook.posts).toHaveLength(2);
    expect(w.smtp.messages).toHaveLength(0);
    expect(w.replies()).toHaveLength(0);
  });

  it('mails the owner once a day through LEAD_SMTP_* when that logs in with a password', { timeout: 120_000 }, async () => {
    await using w = await startWorld({}, { oauth: true, smtpPassword: true });
    await w.deliver(directLead(2));
    await revoke(w);
    const t0 = Date.now();
    for (const at of [t0, t0 + 3_600_000]) {
      const r = await w.run([], { now: () => at });
      expect(r.code, r.stderr).toBe(78);
      expect(r.stderr).toContain('pnpm mailbox login lead');
    }
    expect(w.smtp.messages).toHaveLength(1);
    const notice = w.smtp.messages[0]!;
    expect(notice.envelope.to).toEqual(['carole@carolesgardens.example']);
    expect(notice.parsed.subject).toContain('lead mailbox');
    expect(notice.parsed.text).toContain('pnpm mailbox login lead');
    const nextDay = await w.run([], { now: () => t0 + DAY });
    expect(nextDay.code).toBe(78);
    expect(w.smtp.messages).toHaveLength(2);
    expect(w.replies()).toHaveLength(0);
  });

  it('with no channel that works without the grant: says so, exits 78, sends nothing', { timeout: 120_000 }, async () => {
    await using w = await startWorld({}, { oauth: true });
    await revoke(w);
    const r = await w.run();
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('no channel to tell the owner');
    expect(w.smtp.messages).toHaveLength(0);
  });
});
