// Covers forged and stale approvals: a wrong sender, the owner's address without trusted Authentication-Results (none, or another server's), a token of another draft, a token over other content, an expired token, a reused token, an answer quoting a changed draft: none sends, each is logged with its reason; the draft stays held and a real answer (here through the subject tag alone) still sends it once.
import { describe, expect, it } from 'vitest';
import { contentHash, makeToken, noticeMessageId, tokenOf } from '../src/approval/token.ts';
import { answer, AUTHSERV, notices, APPROVAL_KEYS, OWNER, SECRET } from './support/approval.ts';
import { directLead } from './support/sample.ts';
import { startWorld } from './support/world.ts';

const HOUR = 3600_000;

describe('forged approvals', () => {
  it('none of them sends; the real answer still does, once', { timeout: 120_000 }, async () => {
    await using w = await startWorld({ ...APPROVAL_KEYS, LEAD_APPROVAL_EXPIRY_HOURS: '24' });
    await w.deliver(directLead(1), directLead(2));
    expect((await w.run(['--approve'])).code).toBe(0);
    const [n1, n2] = await notices(w);
    expect(n1 && n2).toBeTruthy();
    const t1 = tokenOf(n1!)!;
    const t2 = tokenOf(n2!)!;
    const draft1 = (await w.mailbox('Drafts')).find((d) => d.message.to[0]?.address === n1!.text.match(/^To: (.+)$/m)![1])!;
    const forged = async (raw: string, reason: string, extra: Parameters<typeof w.run>[1] = {}) => {
      await w.deliver(raw);
      const r = await w.run([], extra);
      expect(r.code, r.stderr).toBe(0);
      expect(r.report?.skipped[`approval-${reason}`], `${reason}: ${JSON.stringify(r.report?.skipped)}`).toBe(1);
      expect(r.stderr).toContain('an answer to an approval notice was ignored');
      expect(w.replies(), reason).toHaveLength(0);
    };
    await forged(answer(n1!, 'send', { from: 'mallory@evil.example', auth: `${AUTHSERV}; dkim=pass header.d=evil.example` }), 'not-from-owner');
    await forged(answer(n1!, 'send', { auth: null }), 'not-authenticated');
    await forged(answer(n1!, 'send', { auth: `mx.evil.example; dkim=pass header.d=carolesgardens.example` }), 'not-authenticated');
    await forged(answer(n1!, 'send', { auth: `${AUTHSERV}; dkim=fail header.d=carolesgardens.example; spf=softfail smtp.mailfrom=${OWNER}` }), 'not-authenticated');
    // draft 2's MAC under draft 1's reference
    const swapped = `<lead-approval.${t1.ref}.${t2.expires.toString(36)}.${t2.mac}@carolesgardens.example>`;
    await forged(answer(n1!, 'send', { inReplyTo: swapped, subject: 'Re: send it' }), 'token-mismatch');
    // the right secret and draft, but over other content (the draft as it was before a change)
    const draftId = draft1.message.messageId;
    const other = makeToken(SECRET, draftId, contentHash({ to: 'customer1@example.org', subject: 'Re: Garden question 1', text: 'an older text' }), t1.expires);
    await forged(answer(n1!, 'send', { inReplyTo: noticeMessageId(other, 'carolesgardens.example'), subject: 'Re: send it' }), 'token-mismatch');
    // a well-made token past its expiry; and the real notice's token read after it expired
    const old = makeToken(SECRET, draftId, contentHash({ to: 'customer1@example.org', subject: 'Re: Garden question 1', text: '' }), Date.now() - HOUR);
    await forged(answer(n1!, 'send', { inReplyTo: noticeMessageId(old, 'carolesgardens.example'), subject: 'Re: send it' }), 'token-expired');
    await forged(answer(n1!, 'send'), 'token-expired', { now: () => Date.now() + 25 * HOUR });
    // the quoted draft is not the held one
    await forged(answer(n1!, 'send', { quoted: n1!.text.replace('($95)', '($9)') }), 'quoted-draft-changed');
    // drop draft 2 for real, then reuse its token
    await w.deliver(answer(n2!, 'drop'));
    expect((await w.run()).code).toBe(0);
    await forged(answer(n2!, 'send'), 'token-used');
    expect(w.replies()).toHaveLength(0);
    // the real answer through the subject tag alone
    await w.deliver(answer(n1!, 'send', { inReplyTo: '<elsewhere@carolesgardens.example>' }));
    await w.run();
    await w.run();
    expect(w.replies().map((r) => r.to)).toEqual([n1!.text.match(/^To: (.+)$/m)![1]]);
  });
});
